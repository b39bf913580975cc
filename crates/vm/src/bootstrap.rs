//! Interpreter start-up: the built-in type objects, the exception hierarchy, the
//! `builtins` and `sys` modules, and the gc hooks.

use crate::objects::typeobj::TypeFlags;
use crate::objects::*;
use crate::vm::{NativeFn, Types, Vm};
use hashbrown::HashMap;
use pyvm_gc::Value;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

fn mk_type(name: &str, bases: Vec<Value>, instance_kind: u32) -> Value {
    let mut mro: Vec<Value> = Vec::new();
    if let Some(b) = bases.first() {
        mro.push(b.clone());
        if let Some(bt) = b.downcast_ref::<Type>() {
            mro.extend(bt.mro.borrow().iter().cloned());
        }
    }
    let builtin_base = bases
        .first()
        .and_then(|b| b.downcast_ref::<Type>())
        .map(|t| if t.builtin_base != 0 { t.builtin_base } else { t.instance_kind })
        .unwrap_or(0);
    let is_exc = bases.first().and_then(|b| b.downcast_ref::<Type>()).is_some_and(|t| t.flags.get().is_exception);
    Value::new_immortal(Type {
        name: RefCell::new(name.into()),
        qualname: RefCell::new(name.into()),
        module: RefCell::new(None),
        bases: RefCell::new(bases),
        mro: RefCell::new(mro),
        dict: {
            let d = Dict::new();
            d.table.borrow_mut().watched = true;
            Value::new_immortal(d)
        },
        instance_kind,
        builtin_base: if instance_kind == kind::INSTANCE { builtin_base } else { 0 },
        heap: false,
        flags: Cell::new(TypeFlags { is_exception: is_exc, has_dict: is_exc, ..Default::default() }),
        meta: RefCell::new(None),
        slot_names: RefCell::new(Vec::new()),
        subclasses: RefCell::new(Vec::new()),
        gc_extras: RefCell::new(Vec::new()),
        shared_keys: RefCell::new(Vec::new()),
        shared_keys_bloom: Cell::new(0),
    })
}

const EXCEPTIONS: &[(&str, &str)] = &[
    ("BaseException", ""),
    ("SystemExit", "BaseException"),
    ("KeyboardInterrupt", "BaseException"),
    ("GeneratorExit", "BaseException"),
    ("Exception", "BaseException"),
    ("StopIteration", "Exception"),
    ("StopAsyncIteration", "Exception"),
    ("ArithmeticError", "Exception"),
    ("FloatingPointError", "ArithmeticError"),
    ("OverflowError", "ArithmeticError"),
    ("ZeroDivisionError", "ArithmeticError"),
    ("AssertionError", "Exception"),
    ("AttributeError", "Exception"),
    ("BufferError", "Exception"),
    ("EOFError", "Exception"),
    ("ImportError", "Exception"),
    ("ModuleNotFoundError", "ImportError"),
    ("LookupError", "Exception"),
    ("IndexError", "LookupError"),
    ("KeyError", "LookupError"),
    ("MemoryError", "Exception"),
    ("NameError", "Exception"),
    ("UnboundLocalError", "NameError"),
    ("OSError", "Exception"),
    ("BlockingIOError", "OSError"),
    ("ChildProcessError", "OSError"),
    ("ConnectionError", "OSError"),
    ("BrokenPipeError", "ConnectionError"),
    ("ConnectionAbortedError", "ConnectionError"),
    ("ConnectionRefusedError", "ConnectionError"),
    ("ConnectionResetError", "ConnectionError"),
    ("FileExistsError", "OSError"),
    ("UnsupportedOperation", "OSError"),
    ("FileNotFoundError", "OSError"),
    ("InterruptedError", "OSError"),
    ("IsADirectoryError", "OSError"),
    ("NotADirectoryError", "OSError"),
    ("PermissionError", "OSError"),
    ("ProcessLookupError", "OSError"),
    ("TimeoutError", "OSError"),
    ("ReferenceError", "Exception"),
    ("RuntimeError", "Exception"),
    ("NotImplementedError", "RuntimeError"),
    ("RecursionError", "RuntimeError"),
    ("SyntaxError", "Exception"),
    ("IndentationError", "SyntaxError"),
    ("TabError", "IndentationError"),
    ("SystemError", "Exception"),
    ("TypeError", "Exception"),
    ("ValueError", "Exception"),
    ("UnicodeError", "ValueError"),
    ("UnicodeDecodeError", "UnicodeError"),
    ("UnicodeEncodeError", "UnicodeError"),
    ("Warning", "Exception"),
    ("DeprecationWarning", "Warning"),
    ("PendingDeprecationWarning", "Warning"),
    ("RuntimeWarning", "Warning"),
    ("SyntaxWarning", "Warning"),
    ("UserWarning", "Warning"),
    ("FutureWarning", "Warning"),
    ("ImportWarning", "Warning"),
    ("UnicodeWarning", "Warning"),
    ("BytesWarning", "Warning"),
    ("ResourceWarning", "Warning"),
    ("EncodingWarning", "Warning"),
];

const ITER_TYPES: &[&str] = &[
    "list_iterator", "tuple_iterator", "str_ascii_iterator", "bytes_iterator", "range_iterator", "dict_keyiterator",
    "dict_valueiterator", "dict_itemiterator", "set_iterator", "enumerate", "zip", "map", "filter", "reversed",
    "callable_iterator", "iterator", "longrange_iterator",
];

impl Vm {
    pub fn new(argv: Vec<String>) -> Vm {
        crate::native_guard::install_hook();
        let object = mk_type("object", vec![], kind::INSTANCE);
        let type_ = mk_type("type", vec![object.clone()], kind::TYPE);
        let t = |name: &str, k: u32| mk_type(name, vec![object.clone()], k);
        let int = t("int", kind::INT);
        let types = Types {
            bool_: mk_type("bool", vec![int.clone()], kind::BOOL),
            int,
            float: t("float", kind::FLOAT),
            complex: t("complex", kind::COMPLEX),
            str_: t("str", kind::STR),
            bytes: t("bytes", kind::BYTES),
            bytearray: t("bytearray", kind::BYTEARRAY),
            list: t("list", kind::LIST),
            tuple: t("tuple", kind::TUPLE),
            dict: t("dict", kind::DICT),
            set: t("set", kind::SET),
            frozenset: t("frozenset", kind::SET),
            none_type: t("NoneType", kind::NONE),
            ellipsis_type: t("ellipsis", kind::ELLIPSIS),
            notimpl_type: t("NotImplementedType", kind::NOTIMPLEMENTED),
            function: t("function", kind::FUNCTION),
            builtin_function: t("builtin_function_or_method", kind::BUILTIN),
            method: t("method", kind::METHOD),
            cell: t("cell", kind::CELL),
            code: t("code", kind::CODE),
            module: t("module", kind::MODULE),
            range: t("range", kind::RANGE),
            slice: t("slice", kind::SLICE),
            generator: t("generator", kind::GENERATOR),
            coroutine: t("coroutine", kind::GENERATOR),
            async_generator: t("async_generator", kind::GENERATOR),
            property: t("property", kind::PROPERTY),
            staticmethod: t("staticmethod", kind::STATICMETHOD),
            classmethod: t("classmethod", kind::CLASSMETHOD),
            super_: t("super", kind::SUPER),
            iterator: t("iterator", kind::ITER),
            dict_keys: t("dict_keys", kind::DICTVIEW),
            dict_values: t("dict_values", kind::DICTVIEW),
            dict_items: t("dict_items", kind::DICTVIEW),
            traceback: t("traceback", kind::TRACEBACK),
            weakref: t("weakref", kind::WEAKREF),
            file: t("TextIOWrapper", kind::FILE),
            object,
            type_,
        };
        let mut exc = HashMap::new();
        for (name, parent) in EXCEPTIONS {
            let base = if parent.is_empty() { types.object.clone() } else { exc.get(parent).cloned().expect("parent exception") };
            let ty = mk_type(name, vec![base], kind::INSTANCE);
            if parent.is_empty() {
                let tt = ty.downcast_ref::<Type>().unwrap();
                let mut f = tt.flags.get();
                f.is_exception = true;
                f.has_dict = true;
                tt.flags.set(f);
            }
            exc.insert(*name, ty);
        }
        let mut iter_types = HashMap::new();
        for name in ITER_TYPES {
            iter_types.insert(*name, mk_type(name, vec![types.object.clone()], kind::ITER));
        }
        let none = Value::new_immortal(Singleton("None"));
        let builtins = Value::new_immortal(Dict::new());
        let modules = Value::new_immortal(Dict::new());
        let mut vm = Vm {
            none: none.clone(),
            true_: Value::new_immortal(Bool(true)),
            false_: Value::new_immortal(Bool(false)),
            ellipsis: Value::new_immortal(EllipsisObj),
            not_implemented: Value::new_immortal(NotImplementedObj),
            null: Value::new_immortal(NullMarker),
            types,
            os_error: exc["OSError"].clone(),
            unicode_error: exc["UnicodeError"].clone(),
            exc,
            iter_types,
            builtins: builtins.clone(),
            builtins_module: none.clone(),
            modules,
            sys: None,
            main_globals: None,
            interned: HashMap::new(),
            exc_info: none.clone(),
            depth: 0,
            recursion_limit: 1000,
            sources: HashMap::new(),
            stdout: crate::io::Output::new(false),
            stderr: crate::io::Output::new(true),
            argv,
            atexit: Vec::new(),
            repr_stack: Vec::new(),
            native_modules: HashMap::new(),
            source_modules: HashMap::new(),
            native_importing: Vec::new(),
            small_ints_cache: (),
            gc_module: None,
            gc_collecting: false,
            exit_by_sigint: false,
            unraisable_site: None,
            frame_pool: Vec::new(),
            frame_stack: Vec::new(),
            static_names: vec![None; 256].into_boxed_slice(),
            blank_code: Rc::new(crate::objects::CodeRt::blank()),
            diagnostics: Default::default(),
            gc_reason: crate::diagnostics::GcReason::Explicit,
            s_init: none.clone(),
            s_new: none.clone(),
            type_cache: (0..crate::vm::TypeCacheEntry::SIZE).map(|_| Cell::new(Default::default())).collect(),
        };
        vm.s_init = vm.intern_static("__init__");
        vm.s_new = vm.intern_static("__new__");
        crate::finalize::install_hooks();
        vm.init_type_modules();
        crate::methods::install(&mut vm);
        crate::modules::weakref::init_types(&mut vm);
        crate::builtins::install(&mut vm);
        crate::modules::install(&mut vm);
        vm
    }

    fn init_type_modules(&mut self) {
        let b = self.new_str("builtins");
        let all: Vec<Value> = self.all_builtin_types();
        for t in all {
            if let Some(tt) = t.downcast_ref::<Type>() {
                *tt.module.borrow_mut() = Some(b.clone());
            }
        }
    }

    pub fn all_builtin_types(&self) -> Vec<Value> {
        let t = &self.types;
        let mut v = vec![
            t.object.clone(), t.type_.clone(), t.int.clone(), t.bool_.clone(), t.float.clone(), t.complex.clone(),
            t.str_.clone(), t.bytes.clone(), t.bytearray.clone(), t.list.clone(), t.tuple.clone(), t.dict.clone(),
            t.set.clone(), t.frozenset.clone(), t.none_type.clone(), t.ellipsis_type.clone(), t.notimpl_type.clone(),
            t.function.clone(), t.builtin_function.clone(), t.method.clone(), t.cell.clone(), t.code.clone(),
            t.module.clone(), t.range.clone(), t.slice.clone(), t.generator.clone(), t.coroutine.clone(),
            t.async_generator.clone(), t.property.clone(), t.staticmethod.clone(), t.classmethod.clone(),
            t.super_.clone(), t.iterator.clone(), t.dict_keys.clone(), t.dict_values.clone(), t.dict_items.clone(),
            t.traceback.clone(), t.weakref.clone(), t.file.clone(),
        ];
        v.extend(self.exc.values().cloned());
        v.extend(self.iter_types.values().cloned());
        v
    }

    /// Add a method implemented in Rust to a built-in type.
    pub fn add_method(&mut self, ty: &Value, name: &'static str, f: NativeFn) {
        let owner = ty.downcast_ref::<Type>().map(|t| t.name.borrow().clone());
        let b = Value::new(BuiltinFn::new(name.into(), f, None, owner));
        let d = ty.downcast_ref::<Type>().unwrap().dict.clone();
        let k = self.intern(name);
        let _ = self.dict_set(&d, k, b);
    }

    /// Add a static function (no binding) to a type, e.g. `__new__`, `dict.fromkeys`.
    pub fn add_static(&mut self, ty: &Value, name: &'static str, f: NativeFn) {
        let b = Value::new(BuiltinFn::new(name.into(), f, None, None));
        let d = ty.downcast_ref::<Type>().unwrap().dict.clone();
        let k = self.intern(name);
        let _ = self.dict_set(&d, k, b);
    }

    pub fn add_classmethod(&mut self, ty: &Value, name: &'static str, f: NativeFn) {
        let b = Value::new(BuiltinFn::new(name.into(), f, None, None));
        let d = ty.downcast_ref::<Type>().unwrap().dict.clone();
        let k = self.intern(name);
        let _ = self.dict_set(&d, k, Value::new(ClassMethod(b)));
    }

    pub fn set_builtin(&mut self, name: &str, v: Value) {
        let b = self.builtins.clone();
        let k = self.intern(name);
        let _ = self.dict_set(&b, k, v);
    }

    pub fn add_builtin_fn(&mut self, name: &'static str, f: NativeFn) {
        let b = Value::new(BuiltinFn::new(name.into(), f, None, None));
        self.set_builtin(name, b);
    }
}
