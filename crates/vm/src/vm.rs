//! The interpreter state: singletons, built-in types, modules, the handled-exception
//! state and recursion accounting, plus constructors for common values and errors.

use crate::objects::typeobj::TypeFlags;
use crate::objects::*;
use hashbrown::HashMap;
use pyvm_gc::Value;
use std::rc::Rc;

/// An exception in flight: the exception instance.
#[derive(Clone)]
pub struct PyErr(pub Value);

pub type PyResult<T> = Result<T, PyErr>;

/// Native function signature: positional arguments followed by the values of the
/// keyword arguments named in `kwnames` (the vectorcall convention of CALL/KW_NAMES).
pub type NativeFn = fn(&mut Vm, &[Value], &[Value]) -> PyResult<Value>;

macro_rules! builtin_types {
    ($($field:ident),* $(,)?) => {
        /// The built-in type objects.
        #[derive(Clone)]
        pub struct Types { $(pub $field: Value,)* }
    };
}

builtin_types!(
    object, type_, int, bool_, float, complex, str_, bytes, bytearray, list, tuple, dict, set, frozenset, none_type,
    ellipsis_type, notimpl_type, function, builtin_function, method, cell, code, module, range, slice, generator,
    coroutine, async_generator, property, staticmethod, classmethod, super_, iterator, dict_keys, dict_values,
    dict_items, traceback, weakref, file,
);

pub struct Vm {
    pub none: Value,
    pub true_: Value,
    pub false_: Value,
    pub ellipsis: Value,
    pub not_implemented: Value,
    /// The NULL marker pushed by PUSH_NULL; never escapes to Python code.
    pub null: Value,
    pub types: Types,
    /// Exception types by name.
    pub exc: HashMap<&'static str, Value>,
    /// `exc["OSError"]`, which every exception's `__init__` checks for.
    pub os_error: Value,
    /// `UnicodeError`, checked by every exception `__init__` (as `os_error`).
    pub unicode_error: Value,
    /// Iterator types by name (`list_iterator`, `enumerate`, ...).
    pub iter_types: HashMap<&'static str, Value>,
    pub builtins: Value,
    pub builtins_module: Value,
    pub modules: Value,
    pub sys: Option<Value>,
    pub main_globals: Option<Value>,
    /// Interned attribute-name strings.
    pub interned: HashMap<Box<str>, Value>,
    /// The cache of `intern_static`: (address, length, interned string).
    pub static_names: Box<[Option<(usize, usize, Value)>]>,
    /// The exception being handled (`sys.exc_info()`), or None.
    pub exc_info: Value,
    pub depth: usize,
    pub recursion_limit: usize,
    /// Source text of compiled files, for tracebacks.
    pub sources: HashMap<String, Rc<str>>,
    pub stdout: crate::io::Output,
    pub stderr: crate::io::Output,
    pub argv: Vec<String>,
    /// Registered `atexit` callbacks.
    pub atexit: Vec<Value>,
    /// Recursion guard for repr of self-containing containers.
    pub repr_stack: Vec<usize>,
    /// Native modules available to `import`.
    pub native_modules: HashMap<&'static str, fn(&mut Vm) -> PyResult<Value>>,
    /// Modules written in Python and embedded in the binary (pyvm-stdlib's lib/):
    /// name -> source text, compiled at first import.
    pub source_modules: HashMap<&'static str, &'static str>,
    /// Native modules being initialised (import cycle guard).
    pub native_importing: Vec<String>,
    pub small_ints_cache: (),
    /// The `gc` module once imported (its `callbacks` and `garbage` lists).
    pub gc_module: Option<Value>,
    /// A collection (including its gc.callbacks) is running.
    pub gc_collecting: bool,
    /// The program ended with an uncaught KeyboardInterrupt: the process should end by
    /// SIGINT, as CPython's does.
    pub exit_by_sigint: bool,
    /// The instruction whose refcount drop queued the finalizers now running (code,
    /// instruction index): CPython's unraisable report shows that frame when the error
    /// has no traceback of its own (a built-in weakref callback that raised).
    pub unraisable_site: Option<(std::rc::Rc<pyvm_compiler::bytecode::CodeObject>, u32)>,
    /// Released frames kept for reuse (their `fast`/`stack` buffers stay allocated):
    /// a Python-to-Python call then allocates nothing for its frame.
    pub frame_pool: Vec<Box<crate::frame::Frame>>,
    /// Frames waiting for the frame they called to return (innermost last).
    pub frame_stack: Vec<Box<crate::frame::Frame>>,
    /// The empty code pooled frames hold (so they keep no constants alive).
    pub blank_code: Rc<crate::objects::CodeRt>,
    /// The type attribute cache of `lookup_mro`.
    pub type_cache: Box<[std::cell::Cell<TypeCacheEntry>]>,
    /// `pyvm run --trace-gc` / `--gc-stats`.
    pub diagnostics: crate::diagnostics::Diagnostics,
    /// Why the collection about to run runs (for `--trace-gc`).
    pub gc_reason: crate::diagnostics::GcReason,
    /// Interned `"__init__"` and `"__new__"` (looked up on every class call).
    pub s_init: Value,
    pub s_new: Value,
}

/// One entry of the type attribute cache: `name` looked up on type `ty` (both by
/// address) was found at entry `pos` of the `depth`-th dict of the type's chain (0: the
/// type's own dict, then its MRO), or not at all (`depth == u32::MAX`), at `epoch`.
#[derive(Clone, Copy, Default)]
pub struct TypeCacheEntry {
    pub ty: usize,
    pub name: usize,
    pub epoch: u64,
    pub depth: u32,
    pub pos: u32,
}

impl TypeCacheEntry {
    pub const SIZE: usize = 4096;
    #[inline]
    pub fn index(ty: &Value, name: &Value) -> usize {
        let h = (ty.raw() >> 4) ^ (name.raw() >> 3).rotate_left(17);
        (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 52) & (Self::SIZE - 1)
    }
}

impl Vm {
    // ----- value constructors ---------------------------------------------------------

    pub fn new_int(&self, i: i64) -> Value {
        match Value::int(i) {
            Some(v) => v,
            None => Value::new(BigIntObj(num_bigint::BigInt::from(i))),
        }
    }
    pub fn new_bigint(&self, b: num_bigint::BigInt) -> Value {
        use num_traits::ToPrimitive;
        if let Some(i) = b.to_i64() {
            if let Some(v) = Value::int(i) {
                return v;
            }
        }
        Value::new(BigIntObj(b))
    }
    pub fn new_float(&self, f: f64) -> Value {
        Value::new(Float(f))
    }
    pub fn new_str(&self, s: impl Into<Box<str>>) -> Value {
        Value::new(Str::new(s))
    }
    pub fn new_bool(&self, b: bool) -> Value {
        if b {
            self.true_.clone()
        } else {
            self.false_.clone()
        }
    }
    /// A tuple of `items`: a vector, or an array of one to three values (held in place
    /// without a vector).
    pub fn new_tuple(&self, items: impl Into<TupleItems>) -> Value {
        let items = items.into();
        let empty = items.is_empty();
        let t = Value::new(Tuple(items));
        if empty {
            // CPython's `()` is an untracked singleton.
            pyvm_gc::untrack(&t);
        }
        t
    }
    pub fn new_list(&self, items: Vec<Value>) -> Value {
        Value::new(List::new(items))
    }
    /// A new, untracked dict: as in CPython it becomes tracked only when a value that
    /// may be tracked is inserted (`MAINTAIN_TRACKING`).
    pub fn new_dict(&self) -> Value {
        self.new_dict_sized(0)
    }

    /// A new dict with room for `n` entries.
    pub fn new_dict_sized(&self, n: usize) -> Value {
        let d = Value::new(if n == 0 { Dict::new() } else { Dict::with_capacity(n) });
        pyvm_gc::untrack(&d);
        d
    }

    /// Track `d` if `v` could be part of a cycle (CPython's `_PyObject_GC_MAY_BE_TRACKED`).
    pub fn maintain_dict_tracking(&self, d: &Value, v: &Value) {
        let may_be_tracked = match v.header() {
            Some(h) if h.is_container() => !v.is::<Tuple>() || pyvm_gc::is_tracked(v),
            _ => false,
        };
        if may_be_tracked && !pyvm_gc::is_tracked(d) {
            pyvm_gc::track(d);
        }
    }
    pub fn new_bytes(&self, b: Vec<u8>) -> Value {
        Value::new(Bytes(b.into_boxed_slice()))
    }
    /// `intern` for names in the VM's own code (`"__bool__"`, ...): a direct-mapped
    /// cache keyed by the literal's address skips hashing the text. Only `'static`
    /// strings may be keyed by address (their memory is never reused).
    #[inline]
    pub fn intern_static(&mut self, s: &'static str) -> Value {
        let key = s.as_ptr() as usize;
        let slot = (key >> 3) % self.static_names.len();
        if let Some((k, len, v)) = &self.static_names[slot] {
            if *k == key && *len == s.len() {
                return v.clone();
            }
        }
        let v = self.intern(s);
        self.static_names[slot] = Some((key, s.len(), v.clone()));
        v
    }

    pub fn intern(&mut self, s: &str) -> Value {
        if let Some(v) = self.interned.get(s) {
            return v.clone();
        }
        let v = Value::new(Str::new(s));
        self.interned.insert(s.into(), v.clone());
        v
    }

    pub fn is_none(&self, v: &Value) -> bool {
        v.ptr_eq(&self.none)
    }
    pub fn is_null(&self, v: &Value) -> bool {
        v.ptr_eq(&self.null)
    }

    // ----- types ------------------------------------------------------------------------

    /// `type(v)`.
    pub fn type_of(&self, v: &Value) -> Value {
        if v.is_int() {
            return self.types.int.clone();
        }
        let t = &self.types;
        match v.kind().unwrap_or(0) {
            kind::INSTANCE => v.downcast_ref::<Instance>().map(|i| i.cls()).unwrap_or_else(|| t.object.clone()),
            kind::TYPE => {
                let ty = v.downcast_ref::<Type>().expect("type");
                let m = ty.meta.borrow();
                m.clone().unwrap_or_else(|| t.type_.clone())
            }
            kind::NONE => t.none_type.clone(),
            kind::BOOL => t.bool_.clone(),
            kind::INT => t.int.clone(),
            kind::FLOAT => t.float.clone(),
            kind::COMPLEX => t.complex.clone(),
            kind::STR => t.str_.clone(),
            kind::BYTES => t.bytes.clone(),
            kind::BYTEARRAY => t.bytearray.clone(),
            kind::TUPLE => t.tuple.clone(),
            kind::LIST => t.list.clone(),
            kind::DICT => t.dict.clone(),
            kind::SET => {
                if v.downcast_ref::<Set>().is_some_and(|s| s.frozen) {
                    t.frozenset.clone()
                } else {
                    t.set.clone()
                }
            }
            kind::FUNCTION => t.function.clone(),
            kind::BUILTIN => t.builtin_function.clone(),
            kind::METHOD => t.method.clone(),
            kind::CELL => t.cell.clone(),
            kind::MODULE => t.module.clone(),
            kind::CODE => t.code.clone(),
            kind::RANGE | kind::BIGRANGE => t.range.clone(),
            kind::SLICE => t.slice.clone(),
            kind::ITER => {
                let name = v.downcast_ref::<iter::Iter>().map_or("iterator", |i| i.type_name);
                self.iter_types.get(name).cloned().unwrap_or_else(|| t.iterator.clone())
            }
            kind::DICTVIEW => match v.downcast_ref::<iter::DictView>().map(|d| d.part) {
                Some(iter::DictPart::Keys) => t.dict_keys.clone(),
                Some(iter::DictPart::Values) => t.dict_values.clone(),
                _ => t.dict_items.clone(),
            },
            kind::GENERATOR => match v.downcast_ref::<Generator>().map(|g| g.kind) {
                Some(GenKind::Coroutine) => t.coroutine.clone(),
                Some(GenKind::AsyncGenerator) => t.async_generator.clone(),
                _ => t.generator.clone(),
            },
            kind::PROPERTY => t.property.clone(),
            kind::STATICMETHOD => t.staticmethod.clone(),
            kind::CLASSMETHOD => t.classmethod.clone(),
            kind::SUPER => t.super_.clone(),
            kind::ELLIPSIS => t.ellipsis_type.clone(),
            kind::NOTIMPLEMENTED => t.notimpl_type.clone(),
            kind::WEAKREF => match v.downcast_ref::<WeakRef>() {
                Some(w) if w.proxy => {
                    let name = if w.callable { "CallableProxyType" } else { "ProxyType" };
                    self.iter_types.get(name).cloned().unwrap_or_else(|| t.weakref.clone())
                }
                _ => t.weakref.clone(),
            },
            kind::FILE | kind::FILEIO | kind::STDIN => t.file.clone(),
            kind::TRACEBACK => t.traceback.clone(),
            kind::ASYNC_ASEND => self.iter_types.get("async_generator_asend").cloned().unwrap_or_else(|| t.object.clone()),
            _ => t.object.clone(),
        }
    }

    pub fn type_name(&self, v: &Value) -> String {
        let t = self.type_of(v);
        t.downcast_ref::<Type>().map(|t| t.name.borrow().to_string()).unwrap_or_else(|| "object".into())
    }

    pub fn as_type<'v>(&self, v: &'v Value) -> Option<&'v Type> {
        v.downcast_ref::<Type>()
    }

    /// Is `sub` a subclass of `sup` (by MRO)?
    pub fn is_subtype(&self, sub: &Value, sup: &Value) -> bool {
        if sub.ptr_eq(sup) {
            return true;
        }
        match sub.downcast_ref::<Type>() {
            Some(t) => t.mro.borrow().iter().any(|m| m.ptr_eq(sup)),
            None => false,
        }
    }

    pub fn isinstance(&self, v: &Value, ty: &Value) -> bool {
        let t = self.type_of(v);
        self.is_subtype(&t, ty)
    }

    /// Create a type object. `bases` empty means `(object,)`.
    pub fn new_type(&mut self, name: &str, bases: Vec<Value>, dict: Value, instance_kind: u32, heap: bool) -> Value {
        let builtin_base = bases
            .first()
            .and_then(|b| b.downcast_ref::<Type>())
            .map(|t| if t.builtin_base != 0 { t.builtin_base } else { t.instance_kind })
            .unwrap_or(0);
        let is_exc = bases.iter().any(|b| b.downcast_ref::<Type>().is_some_and(|t| t.flags.get().is_exception));
        let ty = Type {
            name: std::cell::RefCell::new(name.into()),
            qualname: std::cell::RefCell::new(name.into()),
            module: std::cell::RefCell::new(None),
            bases: std::cell::RefCell::new(bases),
            mro: std::cell::RefCell::new(Vec::new()),
            dict,
            instance_kind,
            builtin_base,
            heap,
            flags: std::cell::Cell::new(TypeFlags { is_exception: is_exc, has_dict: heap, ..Default::default() }),
            meta: std::cell::RefCell::new(None),
            slot_names: std::cell::RefCell::new(Vec::new()),
            subclasses: std::cell::RefCell::new(Vec::new()),
            gc_extras: std::cell::RefCell::new(Vec::new()),
            shared_keys: std::cell::RefCell::new(Vec::new()),
            shared_keys_bloom: std::cell::Cell::new(0),
        };
        if let Some(d) = ty.dict.downcast_ref::<Dict>() {
            d.table.borrow_mut().watched = true;
        }
        // A new type may reuse the address of a dead one cached under it.
        crate::objects::dict::bump_type_epoch();
        Value::new(ty)
    }

    /// A type of the interpreter's own (a proxy, an iterator, a frame type): a direct
    /// subclass of object with the given instance kind, `__module__` set when given.
    pub fn new_internal_type(&mut self, name: &str, module: Option<&str>, instance_kind: u32, heap: bool) -> Value {
        let d = self.new_dict();
        let t = self.new_type(name, vec![self.types.object.clone()], d, instance_kind, heap);
        if let Some(tt) = t.downcast_ref::<Type>() {
            *tt.mro.borrow_mut() = vec![self.types.object.clone()];
            crate::objects::dict::bump_type_epoch();
            if let Some(m) = module {
                let m = self.new_str(m);
                *tt.module.borrow_mut() = Some(m);
            }
        }
        t
    }

    /// `callable(v)`: functions, methods and types, or anything whose type has `__call__`.
    pub fn is_callable(&mut self, v: &Value) -> bool {
        match v.kind().unwrap_or(0) {
            kind::FUNCTION | kind::BUILTIN | kind::METHOD | kind::TYPE => true,
            _ => {
                let ty = self.type_of(v);
                let n = self.intern_static("__call__");
                self.lookup_mro(&ty, &n).is_some()
            }
        }
    }

    // ----- errors -----------------------------------------------------------------------

    /// Instantiate exception type `name` with one string argument.
    pub fn new_exception(&mut self, name: &str, msg: impl Into<String>) -> PyErr {
        let ty = self.exc.get(name).cloned().unwrap_or_else(|| self.exc["Exception"].clone());
        let msg = self.new_str(msg.into());
        let args = self.new_tuple([msg]);
        PyErr(self.make_exception(ty, args))
    }
    pub fn new_exception_noargs(&mut self, name: &str) -> PyErr {
        let ty = self.exc.get(name).cloned().unwrap_or_else(|| self.exc["Exception"].clone());
        let args = self.new_tuple(vec![]);
        PyErr(self.make_exception(ty, args))
    }
    /// An exception instance of `ty` with `args` (no `__init__` call).
    pub fn make_exception(&mut self, ty: Value, args: Value) -> Value {
        let inst = Instance::new(ty, true);
        if let Some(e) = inst.exc() {
            e.borrow_mut().args = Some(args);
        }
        Value::new(inst)
    }
    pub fn type_error(&mut self, msg: impl Into<String>) -> PyErr {
        self.new_exception("TypeError", msg)
    }
    pub fn value_error(&mut self, msg: impl Into<String>) -> PyErr {
        self.new_exception("ValueError", msg)
    }
    pub fn index_error(&mut self, msg: impl Into<String>) -> PyErr {
        self.new_exception("IndexError", msg)
    }
    pub fn attribute_error(&mut self, msg: impl Into<String>) -> PyErr {
        self.new_exception("AttributeError", msg)
    }
    pub fn zero_division(&mut self, msg: impl Into<String>) -> PyErr {
        self.new_exception("ZeroDivisionError", msg)
    }
    pub fn overflow_error(&mut self, msg: impl Into<String>) -> PyErr {
        self.new_exception("OverflowError", msg)
    }
    pub fn runtime_error(&mut self, msg: impl Into<String>) -> PyErr {
        self.new_exception("RuntimeError", msg)
    }
    pub fn stop_iteration(&mut self, value: Option<Value>) -> PyErr {
        let ty = self.exc["StopIteration"].clone();
        let args = match value {
            Some(v) => self.new_tuple([v]),
            None => self.new_tuple(vec![]),
        };
        PyErr(self.make_exception(ty, args))
    }
    pub fn key_error(&mut self, key: Value) -> PyErr {
        let ty = self.exc["KeyError"].clone();
        let args = self.new_tuple([key]);
        PyErr(self.make_exception(ty, args))
    }
    pub fn memory_error(&mut self) -> PyErr {
        self.new_exception_noargs("MemoryError")
    }

    /// Before an allocation of known size: MemoryError if it cannot fit in the heap
    /// budget (`--max-heap`), or is beyond what this machine could ever give (16 GiB in
    /// one object; CPython's malloc would fail the same way, without the process dying).
    pub fn check_room(&mut self, bytes: usize) -> PyResult<()> {
        if bytes > 1 << 34 || bytes > pyvm_gc::room() {
            return Err(self.memory_error());
        }
        Ok(())
    }

    /// Is the exception an instance of the exception type named `name`?
    pub fn err_is(&self, e: &PyErr, name: &str) -> bool {
        match self.exc.get(name) {
            Some(t) => self.isinstance(&e.0, t),
            None => false,
        }
    }

    pub fn exc_data<'v>(&self, v: &'v Value) -> Option<&'v std::cell::RefCell<ExcData>> {
        v.downcast_ref::<Instance>().and_then(|i| i.exc())
    }
}
