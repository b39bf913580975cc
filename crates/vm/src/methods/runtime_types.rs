//! Constructors of the interpreter's own object types, reached through the `types`
//! module: `ModuleType(name, doc=None)`, `FunctionType(code, globals, name=None,
//! argdefs=None, closure=None)` and `MethodType(function, instance)`.

use crate::objects::*;
use crate::vm::{PyResult, Vm};
use pyvm_gc::Value;
use std::cell::RefCell;

pub fn install(vm: &mut Vm) {
    let t = vm.types.module.clone();
    vm.add_static(&t, "__new__", module_new);
    let t = vm.types.function.clone();
    vm.add_static(&t, "__new__", function_new);
    let t = vm.types.method.clone();
    vm.add_static(&t, "__new__", method_new);
}

/// `module.__new__(cls, name, doc=None)`: a module with CPython's initial namespace.
fn module_new(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("module", &args[1..], kw, &["name", "doc"], 1)?;
    let name = a[0].clone().expect("required");
    if !name.is::<Str>() {
        let tn = vm.type_name(&name);
        return Err(vm.type_error(format!("module.__init__() argument 'name' must be str, not {tn}")));
    }
    let n = vm.str_val(&name).to_string();
    let m = vm.new_module(&n);
    let doc = a[1].clone().unwrap_or_else(|| vm.none.clone());
    vm.module_add(&m, "__doc__", doc);
    for k in ["__package__", "__loader__", "__spec__"] {
        let none = vm.none.clone();
        vm.module_add(&m, k, none);
    }
    Ok(m)
}

/// `function.__new__(cls, code, globals, name=None, argdefs=None, closure=None)`.
fn function_new(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    let a = vm.bind_args("function", &args[1..], kw, &["code", "globals", "name", "argdefs", "closure"], 2)?;
    let code_obj = a[0].clone().expect("required");
    let globals = a[1].clone().expect("required");
    let Some(cv) = code_obj.downcast_ref::<CodeValue>() else {
        let tn = vm.type_name(&code_obj);
        return Err(vm.type_error(format!("function() argument 'code' must be code, not {tn}")));
    };
    if !globals.is::<Dict>() {
        let tn = vm.type_name(&globals);
        return Err(vm.type_error(format!("function() argument 'globals' must be dict, not {tn}")));
    }
    let code = cv.code.clone();
    let is_none = |vm: &Vm, v: &Option<Value>| v.as_ref().is_none_or(|v| vm.is_none(v));
    let name = match &a[2] {
        Some(n) if n.is::<Str>() => n.clone(),
        Some(n) if !vm.is_none(n) => return Err(vm.type_error("arg 3 (name) must be None or string")),
        _ => vm.new_str(&*code.name),
    };
    let defaults = if is_none(vm, &a[3]) {
        None
    } else {
        let d = a[3].clone().expect("checked");
        if !d.is::<Tuple>() {
            return Err(vm.type_error("arg 4 (defaults) must be None or tuple"));
        }
        Some(d)
    };
    let closure = if is_none(vm, &a[4]) { None } else { a[4].clone() };
    let nfree = code.freevars.len();
    let given = closure.as_ref().and_then(|c| c.downcast_ref::<Tuple>().map(|t| t.0.len()));
    if nfree > 0 && given.is_none() {
        return Err(vm.type_error("arg 5 (closure) must be tuple"));
    }
    if given.unwrap_or(0) != nfree {
        let n = &code.name;
        return Err(vm.new_exception("ValueError", format!("{n} requires closure of length {nfree}, not {}", given.unwrap_or(0))));
    }
    let qualname = vm.new_str(&*code.qualname);
    let doc = match code.consts.first() {
        Some(d) if d.is::<Str>() => d.clone(),
        _ => vm.none.clone(),
    };
    let modname_key = vm.intern_static("__name__");
    let module = vm.dict_get_str(&globals, &modname_key);
    Ok(Value::new(Function {
        code,
        code_obj: code_obj.clone(),
        globals,
        name: RefCell::new(name),
        qualname: RefCell::new(qualname),
        defaults: RefCell::new(defaults),
        kwdefaults: RefCell::new(None),
        closure,
        doc: RefCell::new(doc),
        dict: RefCell::new(None),
        annotations: RefCell::new(None),
        module: RefCell::new(module.filter(|m| !vm.is_none(m))),
    }))
}

/// `method.__new__(cls, function, instance)`: bind `function` to `instance`.
fn method_new(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    if !kw.is_empty() {
        return Err(vm.type_error("method() takes no keyword arguments"));
    }
    let given = args.len() - 1;
    if given != 2 {
        return Err(vm.type_error(format!("method expected 2 arguments, got {given}")));
    }
    if !vm.is_callable(&args[1]) {
        return Err(vm.type_error("first argument must be callable"));
    }
    if vm.is_none(&args[2]) {
        return Err(vm.type_error("instance must not be None"));
    }
    Ok(Value::new(Method { func: args[1].clone(), self_: args[2].clone() }))
}
