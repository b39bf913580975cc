//! Python functions (code + globals + defaults + closure) and built-in functions.

use super::kind;
use crate::vm::{NativeFn, Vm};
use pyvm_compiler::bytecode::CodeObject;
use pyvm_gc::{Trace, Value};
use std::cell::{Cell, RefCell};
use std::rc::Rc;

pub struct Function {
    pub code: Rc<CodeRt>,
    /// The `Code` object holding the code's constants as values.
    pub code_obj: Value,
    pub globals: Value,
    pub name: RefCell<Value>,
    pub qualname: RefCell<Value>,
    pub defaults: RefCell<Option<Value>>,
    pub kwdefaults: RefCell<Option<Value>>,
    pub closure: Option<Value>,
    pub doc: RefCell<Value>,
    pub dict: RefCell<Option<Value>>,
    pub annotations: RefCell<Option<Value>>,
    /// `__module__`; None (the Rust one) stands for Python None, so `clear` can drop it.
    pub module: RefCell<Option<Value>>,
}

// SAFETY: visits every owned reference.
unsafe impl Trace for Function {
    const KIND: u32 = kind::FUNCTION;
    const NAME: &'static str = "function";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        visit(&self.code_obj);
        visit(&self.globals);
        if let Ok(v) = self.name.try_borrow() {
            visit(&v);
        }
        if let Ok(v) = self.qualname.try_borrow() {
            visit(&v);
        }
        for cell in [&self.defaults, &self.kwdefaults, &self.dict, &self.annotations] {
            if let Ok(v) = cell.try_borrow() {
                if let Some(v) = &*v {
                    visit(v);
                }
            }
        }
        if let Some(c) = &self.closure {
            visit(c);
        }
        if let Ok(v) = self.doc.try_borrow() {
            visit(&v);
        }
        if let Ok(v) = self.module.try_borrow() {
            if let Some(v) = &*v {
                visit(v);
            }
        }
    }
    /// As CPython's func_clear: the name and qualname become '' (a str subclass there
    /// could be in the cycle), `__module__` None, and the other references dropped.
    /// Each old value is dropped only after its slot is reset, since dropping can run a
    /// `__del__` that looks at this function (it may even resurrect it).
    fn clear(&self) {
        let old_module = self.module.borrow_mut().take();
        drop(old_module);
        for cell in [&self.defaults, &self.kwdefaults, &self.dict, &self.annotations] {
            let v = cell.borrow_mut().take();
            drop(v);
        }
        for cell in [&self.name, &self.qualname] {
            let old = std::mem::replace(&mut *cell.borrow_mut(), Value::new(crate::objects::Str::new("")));
            drop(old);
        }
    }
}

impl Function {
    /// Does a call with `nargs` positional arguments and no keywords bind them one to
    /// one to the first parameters, the rest taking their defaults, with nothing else to
    /// do (no `*args`, `**kwargs`, keyword-only parameters, or parameters in cells)?
    #[inline]
    pub fn takes_exact_positional(&self, nargs: usize) -> bool {
        let c = &self.code;
        let argc = c.argcount as usize;
        if !c.simple_args || nargs > argc {
            return false;
        }
        nargs == argc
            || match &*self.defaults.borrow() {
                Some(d) => d.downcast_ref::<super::Tuple>().is_some_and(|t| nargs + t.0.len() >= argc),
                None => false,
            }
    }
}

/// A function implemented in Rust. `self_` is set for bound built-in methods.
pub struct BuiltinFn {
    pub name: Rc<str>,
    pub f: NativeFn,
    pub self_: Option<Value>,
    /// For methods: the defining type's name (for reprs and error messages).
    pub owner: Option<Rc<str>>,
    /// One of the few built-ins that work on the caller's frame (`sys._getframe`,
    /// `eval`, `exec`, `locals`, `globals`, `vars`, `dir`): CALL hands them the frame
    /// instead of calling them like every other built-in. Decided once, here.
    pub frame_aware: bool,
}

// SAFETY: visits the bound self.
unsafe impl Trace for BuiltinFn {
    const KIND: u32 = kind::BUILTIN;
    const NAME: &'static str = "builtin_function_or_method";
    const CONTAINER: bool = true;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        if let Some(s) = &self.self_ {
            visit(s);
        }
    }
}

impl BuiltinFn {
    pub fn new(name: Rc<str>, f: NativeFn, self_: Option<Value>, owner: Option<Rc<str>>) -> BuiltinFn {
        let frame_aware = self_.is_none()
            && owner.is_none()
            && matches!(&*name, "_getframe" | "eval" | "exec" | "locals" | "globals" | "vars" | "dir");
        BuiltinFn { name, f, self_, owner, frame_aware }
    }

    pub fn call(&self, vm: &mut Vm, args: &[Value], kwnames: &[Value]) -> crate::vm::PyResult<Value> {
        match &self.self_ {
            None => crate::native_guard::call_native(vm, &self.name, |vm| (self.f)(vm, args, kwnames)),
            Some(s) => crate::ops::call::with_first(s, args, |full| {
                crate::native_guard::call_native(vm, &self.name, |vm| (self.f)(vm, full, kwnames))
            }),
        }
    }
}

/// One LOAD_GLOBAL inline cache entry (CPython 3.11's LOAD_GLOBAL_MODULE /
/// LOAD_GLOBAL_BUILTIN specialisations): where the name was last found. A hit in the
/// globals needs no version check (the entry at `pos` still holding the name object
/// proves it); a hit in the builtins also needs the globals' key set unchanged, i.e.
/// the name still absent there.
#[derive(Clone, Copy)]
pub struct GlobalSlot {
    pub pos: u32,
    pub in_builtins: bool,
    pub globals_version: u64,
}

impl GlobalSlot {
    pub const EMPTY: GlobalSlot = GlobalSlot { pos: u32::MAX, in_builtins: false, globals_version: 0 };
}

/// The inline cache of one LOAD_ATTR or STORE_ATTR instruction (CPython 3.11's
/// LOAD_ATTR_INSTANCE_VALUE / STORE_ATTR_INSTANCE_VALUE): while the type epoch is
/// `epoch`, instances of the types at the addresses in `tys` keep the attribute in their
/// inline values (the type has no `__getattribute__`/`__setattr__`, no `__slots__`, is
/// not an exception, and has no data descriptor of that name), last seen at `index`.
/// Up to four types are remembered, so a site that sees the instances of a few
/// subclasses (a polymorphic site) stays cached. It holds no reference: a new type at a
/// reused address bumps the epoch first.
///
/// Each field is its own `Cell`, so a hit reads only the words it compares (a
/// `Cell<AttrSlot>` had to copy all 64 bytes out on every execution).
#[derive(Default)]
pub struct AttrSlot {
    tys: [Cell<usize>; 4],
    /// For each type in `tys`: the index of the attribute among its shared keys
    /// (`Type::shared_keys`, append-only), where split instances keep its value;
    /// `u32::MAX` until known.
    keyidx: [Cell<u32>; 4],
    epoch: Cell<u64>,
    /// Where instances with (name, value) pairs last had the attribute, or the
    /// attribute's position in a module's dict.
    index: Cell<u32>,
}

impl AttrSlot {
    /// Which of the remembered types is the type at `ty`, if it is known good at `epoch`?
    #[inline]
    pub fn find(&self, ty: usize, epoch: u64) -> Option<usize> {
        if self.epoch.get() != epoch {
            return None;
        }
        self.tys.iter().position(|t| t.get() == ty)
    }

    /// Remember `ty` as the most recent type, at position 0 (the oldest one drops out;
    /// a new epoch forgets them all).
    pub fn add_type(&self, ty: usize, epoch: u64) {
        if self.epoch.get() == epoch {
            for j in (1..4).rev() {
                self.tys[j].set(self.tys[j - 1].get());
                self.keyidx[j].set(self.keyidx[j - 1].get());
            }
        } else {
            for j in 1..4 {
                self.tys[j].set(0);
                self.keyidx[j].set(u32::MAX);
            }
        }
        self.tys[0].set(ty);
        self.keyidx[0].set(u32::MAX);
        self.epoch.set(epoch);
    }

    /// Make this a module-attribute cache: the attribute sits at `pos` in the dict.
    pub fn set_module(&self, pos: u32) {
        self.tys[0].set(MODULE_ATTR);
        for j in 1..4 {
            self.tys[j].set(0);
        }
        self.keyidx.iter().for_each(|k| k.set(u32::MAX));
        self.epoch.set(0);
        self.index.set(pos);
    }

    /// Whether this caches a module attribute (see `set_module`).
    #[inline]
    pub fn is_module(&self) -> bool {
        self.tys[0].get() == MODULE_ATTR
    }

    #[inline]
    pub fn keyidx(&self, j: usize) -> u32 {
        self.keyidx[j].get()
    }

    #[inline]
    pub fn set_keyidx(&self, j: usize, k: u32) {
        self.keyidx[j].set(k)
    }

    #[inline]
    pub fn index(&self) -> u32 {
        self.index.get()
    }

    #[inline]
    pub fn set_index(&self, i: u32) {
        self.index.set(i)
    }
}

impl CodeRt {
    /// The attribute cache of the LOAD_ATTR or STORE_ATTR at instruction `i`.
    #[inline]
    pub fn attr_slot(&self, i: usize) -> &AttrSlot {
        &self.attr_cache[self.cache_index[i] as usize]
    }

    /// The method cache of the LOAD_METHOD at instruction `i`.
    #[inline]
    pub fn method_slot(&self, i: usize) -> Option<&MethodCache> {
        self.method_cache.get(*self.cache_index.get(i)? as usize)
    }
}

/// A cached LOAD_METHOD result: the method found on the type at address `ty` at type
/// epoch `epoch` (a built-in function of a built-in type, which lives as long as the
/// interpreter); or, with no `func`, where a module attribute was found: position
/// `pos` of the module's dict (read again on each use, so nothing is kept alive).
pub struct MethodSlot {
    pub ty: usize,
    pub epoch: u64,
    pub func: Option<Value>,
    pub pos: u32,
}

/// A method of a plain instance's class, as one LOAD_METHOD cache remembers it: the
/// class's address `ty` at type epoch `epoch`, where the function sits as the type
/// attribute cache records it (`depth` 0: the class's own dict, d: its MRO's entry
/// d-1; `pos` in that dict) and how many shared keys the class had. No reference is
/// held: the function is read from that place on each hit.
#[derive(Clone, Copy, Default)]
pub struct InstanceMethod {
    pub ty: usize,
    pub epoch: u64,
    pub pos: u32,
    pub depth: u32,
    pub nkeys: u32,
}

/// Classes one LOAD_METHOD site remembers for instance receivers: a call site that
/// sees the instances of a few subclasses (richards' `task.run`) stays cached, as the
/// LOAD_ATTR cache does with its four types.
pub const METHOD_CACHE_CLASSES: usize = 4;

/// The inline cache of one LOAD_METHOD instruction.
#[derive(Default)]
pub struct MethodCache {
    /// Built-in receivers (a method of their type) and modules (an attribute's place).
    pub slot: std::cell::RefCell<Option<MethodSlot>>,
    /// Plain instances, one entry per class seen (an empty entry has `ty` 0).
    pub classes: [std::cell::Cell<InstanceMethod>; METHOD_CACHE_CLASSES],
}

/// `AttrSlot::tys[0]` of a LOAD_ATTR cache that holds a module attribute's position
/// (`AttrSlot::index`) instead of instance classes: no class lives at this address.
pub const MODULE_ATTR: usize = usize::MAX;

/// Per-name global caches of one code object, shared by all its frames.
pub type GlobalCache = Box<[std::cell::Cell<GlobalSlot>]>;

/// What the interpreter needs to run a code object, built once per code object and
/// shared (one `Rc`) by the code value, its functions and every frame running it:
/// the compiled code, its constants and names as values, the global-lookup caches and
/// the quickened instructions (`crate::quicken`). Derefs to the compiled `CodeObject`.
pub struct CodeRt {
    pub code: Rc<CodeObject>,
    /// `code.consts` as values (these shadow the compile-time `CodeObject::consts`).
    pub consts: Box<[Value]>,
    /// `code.names` as interned strings (shadowing `CodeObject::names`).
    pub names: Box<[Value]>,
    pub global_cache: GlobalCache,
    /// For each instruction, its entry in `attr_cache` (LOAD_ATTR, STORE_ATTR) or in
    /// `method_cache` (LOAD_METHOD); other instructions have none (their entry is
    /// unused). Caches exist only for the instructions that use them.
    pub cache_index: Box<[u32]>,
    /// One attribute cache per LOAD_ATTR and STORE_ATTR instruction.
    pub attr_cache: Box<[AttrSlot]>,
    /// One method cache per LOAD_METHOD instruction (LOAD_METHOD_NO_DICT in CPython's
    /// terms): for receivers of the built-in value types (str, list, dict, ...), which
    /// have no instance attributes, the method found on their type, valid while no type
    /// dict has changed (the type epoch).
    pub method_cache: Box<[MethodCache]>,
    /// The instructions the interpreter runs: `code.instructions` with superinstructions
    /// and specialised forms written over some of them, index for index (the
    /// disassembler shows the original ones, as `dis` does).
    pub quick: Box<[pyvm_compiler::bytecode::Instr]>,
    /// Only plain positional parameters: no keyword-only ones, no `*args`/`**kwargs`,
    /// none living in a cell (the precondition of the exact-arguments call path).
    pub simple_args: bool,
    /// The parameter names (positional, then keyword-only) as interned strings: a
    /// keyword argument is matched by identity first (its name is an interned constant
    /// of the caller) and a keyword-only default is looked up without interning.
    pub param_names: Box<[Value]>,
}

impl CodeRt {
    /// A code with nothing in it: what pooled frames hold between uses.
    pub fn blank() -> CodeRt {
        let empty: Rc<str> = Rc::from("");
        let code = CodeObject {
            name: empty.clone(),
            qualname: empty.clone(),
            filename: empty,
            flags: pyvm_compiler::bytecode::CodeFlags::empty(),
            argcount: 0,
            posonlyargcount: 0,
            kwonlyargcount: 0,
            instructions: Vec::new(),
            positions: Vec::new(),
            consts: Vec::new(),
            names: Vec::new(),
            varnames: Vec::new(),
            cellvars: Vec::new(),
            freevars: Vec::new(),
            cell2arg: Vec::new(),
            stacksize: 0,
            firstlineno: 0,
            exception_table: Vec::new(),
        };
        CodeRt::new(Rc::new(code), Box::new([]), Box::new([]), Box::new([]))
    }

    /// The runtime form of `code`, given its constants and names as values.
    pub fn new(code: Rc<CodeObject>, consts: Box<[Value]>, names: Box<[Value]>, param_names: Box<[Value]>) -> CodeRt {
        use pyvm_compiler::bytecode::CodeFlags;
        let global_cache = (0..names.len()).map(|_| std::cell::Cell::new(GlobalSlot::EMPTY)).collect();
        let quick = crate::quicken::quicken(&code.instructions);
        let simple_args = code.kwonlyargcount == 0
            && code.cellvars.is_empty()
            && !code.flags.intersects(CodeFlags::VARARGS | CodeFlags::VARKEYWORDS);
        use pyvm_compiler::bytecode::Opcode;
        let (mut nattrs, mut nmethods) = (0u32, 0u32);
        let cache_index = code
            .instructions
            .iter()
            .map(|ins| {
                let counter = match ins.op {
                    Opcode::LOAD_ATTR | Opcode::STORE_ATTR => &mut nattrs,
                    Opcode::LOAD_METHOD => &mut nmethods,
                    _ => return 0,
                };
                *counter += 1;
                *counter - 1
            })
            .collect();
        let attr_cache = (0..nattrs).map(|_| AttrSlot::default()).collect();
        let method_cache = (0..nmethods).map(|_| MethodCache::default()).collect();
        CodeRt { code, consts, names, global_cache, cache_index, attr_cache, method_cache, quick, simple_args, param_names }
    }
}

impl std::ops::Deref for CodeRt {
    type Target = CodeObject;
    fn deref(&self) -> &CodeObject {
        &self.code
    }
}

/// A code object as a Python value, with its constants materialised once.
pub struct CodeValue {
    pub code: Rc<CodeRt>,
}

// SAFETY: visits the constants (code constants may hold tuples and nested code).
unsafe impl Trace for CodeValue {
    const KIND: u32 = kind::CODE;
    const NAME: &'static str = "code";
    const CONTAINER: bool = false;
    fn trace(&self, visit: &mut dyn FnMut(&Value)) {
        for c in self.code.consts.iter() {
            visit(c);
        }
    }
}
