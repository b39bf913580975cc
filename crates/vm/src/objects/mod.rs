//! The payload types of Python objects. Each is a Rust struct stored after the gc
//! crate's header; `KIND` tags tell them apart and map built-in objects to their
//! Python type. Containers use `RefCell`s whose borrows never span a call back into
//! Python (the interpreter clones values out first), so re-entrant code cannot panic.

#![allow(unsafe_code)] // `unsafe impl Trace` only: no unsafe blocks.

pub mod dict;
pub mod exception;
pub mod file;
pub mod function;
pub mod instance;
pub mod iter;
pub mod list;
pub mod set;
pub mod str;
pub mod tuple;
pub mod typeobj;

use pyvm_gc::{Trace, Value};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

pub use dict::Dict;
pub use exception::{ExcData, TbEntry};
pub use function::{AttrSlot, BuiltinFn, CodeRt, CodeValue, Function, GlobalCache, GlobalSlot};
pub use instance::Instance;
pub use list::List;
pub use set::Set;
pub use str::Str;
pub use tuple::{Tuple, TupleItems};
pub use typeobj::Type;

/// Type tags of payload kinds (the gc crate's `Trace::KIND`).
pub mod kind {
    pub const NONE: u32 = 1;
    pub const BOOL: u32 = 2;
    pub const INT: u32 = 3;
    pub const FLOAT: u32 = 4;
    pub const STR: u32 = 5;
    pub const BYTES: u32 = 6;
    pub const TUPLE: u32 = 7;
    pub const LIST: u32 = 8;
    pub const DICT: u32 = 9;
    pub const SET: u32 = 10;
    pub const FUNCTION: u32 = 11;
    pub const BUILTIN: u32 = 12;
    pub const METHOD: u32 = 13;
    pub const CELL: u32 = 14;
    pub const TYPE: u32 = 15;
    pub const INSTANCE: u32 = 16;
    pub const MODULE: u32 = 17;
    pub const CODE: u32 = 18;
    pub const RANGE: u32 = 19;
    pub const SLICE: u32 = 20;
    pub const ITER: u32 = 21;
    pub const GENERATOR: u32 = 22;
    pub const PROPERTY: u32 = 23;
    pub const STATICMETHOD: u32 = 24;
    pub const CLASSMETHOD: u32 = 25;
    pub const SUPER: u32 = 26;
    pub const ELLIPSIS: u32 = 27;
    pub const NOTIMPLEMENTED: u32 = 28;
    pub const COMPLEX: u32 = 29;
    pub const WEAKREF: u32 = 30;
    pub const FILE: u32 = 31;
    pub const NULL_MARKER: u32 = 32;
    pub const TRACEBACK: u32 = 33;
    pub const DICTVIEW: u32 = 34;
    pub const BYTEARRAY: u32 = 35;
    pub const ASYNC_WRAPPED: u32 = 36;
    pub const ASYNC_ASEND: u32 = 37;
    pub const BIGRANGE: u32 = 38;
    /// Files from `open()` (a payload distinct from `Stream`, same Python type).
    pub const FILEIO: u32 = 39;
    /// `sys.stdin`.
    pub const STDIN: u32 = 40;
    pub const GETSET: u32 = 41;
}

macro_rules! atomic {
    ($t:ty, $kind:expr, $name:literal) => {
        // SAFETY: atomic payloads hold no `Value`s, so there is nothing to trace.
        unsafe impl Trace for $t {
            const KIND: u32 = $kind;
            const NAME: &'static str = $name;
            const CONTAINER: bool = false;
        }
    };
}

/// `None`, `Ellipsis`, `NotImplemented`: singletons without state.
pub struct Singleton(pub &'static str);
atomic!(Singleton, kind::NONE, "NoneType");

pub struct EllipsisObj;
atomic!(EllipsisObj, kind::ELLIPSIS, "ellipsis");
pub struct NotImplementedObj;
atomic!(NotImplementedObj, kind::NOTIMPLEMENTED, "NotImplementedType");
/// Marker pushed for PUSH_NULL (never visible to Python code).
pub struct NullMarker;
atomic!(NullMarker, kind::NULL_MARKER, "NULL");

pub struct Bool(pub bool);
atomic!(Bool, kind::BOOL, "bool");

/// An int outside the tagged small-int range.
pub struct BigIntObj(pub num_bigint::BigInt);
atomic!(BigIntObj, kind::INT, "int");

pub struct Float(pub f64);
atomic!(Float, kind::FLOAT, "float");

pub struct Complex {
    pub re: f64,
    pub im: f64,
}
atomic!(Complex, kind::COMPLEX, "complex");

pub struct Bytes(pub Box<[u8]>);
atomic!(Bytes, kind::BYTES, "bytes");


pub struct Range {
    pub start: i64,
    pub stop: i64,
    pub step: i64,
}
atomic!(Range, kind::RANGE, "range");

pub struct Slice {
    pub start: Value,
    pub stop: Value,
    pub step: Value,
}
// SAFETY: visits the three fields.
unsafe impl Trace for Slice {
    const KIND: u32 = kind::SLICE;
    const NAME: &'static str = "slice";
    /// Slices are GC-tracked in 3.11 (they may hold any objects).
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        visit(&self.start);
        visit(&self.stop);
        visit(&self.step);
    }
}

/// A closure cell.
pub struct CellObj(pub RefCell<Option<Value>>);
// SAFETY: visits the contents; clear empties the cell.
unsafe impl Trace for CellObj {
    const KIND: u32 = kind::CELL;
    const NAME: &'static str = "cell";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        if let Ok(b) = self.0.try_borrow() {
            if let Some(v) = &*b {
                visit(v);
            }
        }
    }
    fn clear(&self) {
        let old = self.0.borrow_mut().take();
        drop(old);
    }
}

/// A bound method: function + self.
pub struct Method {
    pub func: Value,
    pub self_: Value,
}
// SAFETY: visits both references.
unsafe impl Trace for Method {
    const KIND: u32 = kind::METHOD;
    const NAME: &'static str = "method";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        visit(&self.func);
        visit(&self.self_);
    }
}

pub struct Module {
    pub name: Rc<str>,
    pub dict: Value,
}
// SAFETY: visits the namespace dict.
unsafe impl Trace for Module {
    const KIND: u32 = kind::MODULE;
    const NAME: &'static str = "module";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        visit(&self.dict);
    }
}

/// `property(fget, fset, fdel, doc)`.
pub struct Property {
    pub fget: Option<Value>,
    pub fset: Option<Value>,
    pub fdel: Option<Value>,
    pub doc: Option<Value>,
}
// SAFETY: visits every accessor.
unsafe impl Trace for Property {
    const KIND: u32 = kind::PROPERTY;
    const NAME: &'static str = "property";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        for v in [&self.fget, &self.fset, &self.fdel, &self.doc].into_iter().flatten() {
            visit(v);
        }
    }
}

/// `staticmethod(f)` / `classmethod(f)` share a layout; the kind tells them apart.
pub struct StaticMethod(pub Value);
// SAFETY: visits the wrapped callable.
unsafe impl Trace for StaticMethod {
    const KIND: u32 = kind::STATICMETHOD;
    const NAME: &'static str = "staticmethod";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        visit(&self.0);
    }
}
pub struct ClassMethod(pub Value);
// SAFETY: visits the wrapped callable.
unsafe impl Trace for ClassMethod {
    const KIND: u32 = kind::CLASSMETHOD;
    const NAME: &'static str = "classmethod";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        visit(&self.0);
    }
}

/// `super(cls, obj)`.
pub struct Super {
    pub cls: Value,
    pub obj: Value,
}
// SAFETY: visits both.
unsafe impl Trace for Super {
    const KIND: u32 = kind::SUPER;
    const NAME: &'static str = "super";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        visit(&self.cls);
        visit(&self.obj);
    }
}

/// A generator, coroutine or async generator: owns its suspended frame.
pub struct Generator {
    pub frame: RefCell<Option<Box<crate::frame::Frame>>>,
    pub code: std::rc::Rc<pyvm_compiler::bytecode::CodeObject>,
    /// The function's `__name__` and `__qualname__` objects when the generator was
    /// made (shared, not copied: `gen.__name__ is func.__name__`, as in CPython).
    pub name: Value,
    pub qualname: Value,
    pub running: Cell<bool>,
    pub started: Cell<bool>,
    pub kind: GenKind,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum GenKind {
    Generator,
    Coroutine,
    AsyncGenerator,
}

// SAFETY: visits every reference held by the suspended frame.
unsafe impl Trace for Generator {
    const KIND: u32 = kind::GENERATOR;
    const NAME: &'static str = "generator";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        if let Ok(f) = self.frame.try_borrow() {
            if let Some(f) = &*f {
                f.trace(visit);
            }
        }
        visit(&self.name);
        visit(&self.qualname);
    }
    fn clear(&self) {
        let f = self.frame.borrow_mut().take();
        drop(f);
    }
    fn has_finalizer(&self) -> bool {
        // A suspended generator runs its `finally` blocks (close()) when it dies.
        self.started.get()
            && self.frame.try_borrow().map(|f| f.as_ref().is_some_and(|f| f.has_active_handlers())).unwrap_or(false)
    }
}

/// `sys.stdout`/`sys.stderr`: a minimal file-like object with `write` and `flush`.
pub struct Stream {
    pub is_err: bool,
}
atomic!(Stream, kind::FILE, "TextIOWrapper");

/// One level of an exception's traceback as a Python object: the exception and the
/// level's index, outermost first (`tb_next` is the next index; see `crate::introspect`).
pub struct TracebackObj(pub Value, pub usize);
// SAFETY: visits the exception it describes.
unsafe impl Trace for TracebackObj {
    const KIND: u32 = kind::TRACEBACK;
    const NAME: &'static str = "traceback";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        visit(&self.0);
    }
}

/// A value yielded by an async generator's own `yield` (as opposed to a suspension of
/// an `await` inside it); unwrapped by the awaitable returned from `__anext__`/`asend`.
pub struct AsyncGenWrapped(pub Value);
// SAFETY: visits the wrapped value.
unsafe impl Trace for AsyncGenWrapped {
    const KIND: u32 = kind::ASYNC_WRAPPED;
    const NAME: &'static str = "async_generator_wrapped_value";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        visit(&self.0);
    }
}

/// The awaitable of `agen.__anext__()`, `asend(v)`, `athrow(e)` and `aclose()`.
pub struct AsyncGenAsend {
    pub gen: Value,
    /// The value to send (or exception to throw) on first resumption.
    pub pending: RefCell<Option<Value>>,
    pub throw: RefCell<Option<Value>>,
    /// `aclose()`: yielding a value in response is an error.
    pub closing: bool,
    pub done: Cell<bool>,
}
// SAFETY: visits the generator and pending values.
unsafe impl Trace for AsyncGenAsend {
    const KIND: u32 = kind::ASYNC_ASEND;
    const NAME: &'static str = "async_generator_asend";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        visit(&self.gen);
        if let Ok(p) = self.pending.try_borrow() {
            if let Some(v) = &*p {
                visit(v);
            }
        }
        if let Ok(p) = self.throw.try_borrow() {
            if let Some(v) = &*p {
                visit(v);
            }
        }
    }
}

/// `weakref.ref`: a weak reference with an optional callback.
pub struct WeakRef {
    pub referent: Cell<Option<pyvm_gc::WeakAddr>>,
    pub callback: RefCell<Option<Value>>,
    pub hash: Cell<Option<i64>>,
    /// A `weakref.proxy` rather than a `ref`.
    pub proxy: bool,
    /// A proxy to a callable object (its type is `CallableProxyType`).
    pub callable: bool,
}
// SAFETY: visits the callback (the referent is not owned).
unsafe impl Trace for WeakRef {
    const KIND: u32 = kind::WEAKREF;
    const NAME: &'static str = "weakref";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        if let Ok(c) = self.callback.try_borrow() {
            if let Some(v) = &*c {
                visit(v);
            }
        }
    }
    fn clear(&self) {
        let c = self.callback.borrow_mut().take();
        drop(c);
    }
}

/// `bytearray`: mutable bytes.
pub struct ByteArray(pub RefCell<Vec<u8>>);
atomic!(ByteArray, kind::BYTEARRAY, "bytearray");

/// A `range` whose bounds do not fit in i64 (`range(10 ** 20)`).
pub struct BigRange {
    pub start: num_bigint::BigInt,
    pub stop: num_bigint::BigInt,
    pub step: num_bigint::BigInt,
}
atomic!(BigRange, kind::BIGRANGE, "range");
