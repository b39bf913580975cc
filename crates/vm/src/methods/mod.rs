//! Methods of the built-in types, one file per type family, installed into the type
//! dicts at start-up. Argument parsing helpers live here.

pub mod bytes;
pub mod codecs;
pub use bytes::bytes_of;
mod dict;
pub mod file;
mod list;
mod listsort;
mod num;
pub(crate) mod object;
mod runtime_types;
mod slots;
mod str;

use crate::vm::{PyResult, Vm};
use pyvm_gc::Value;

/// An instance of a user subclass of a built-in type, wrapping `base`.
pub fn subclass_instance(cls: &Value, base: Value) -> Value {
    let inst = crate::objects::Instance::new(cls.clone(), false);
    inst.set_base_value(Some(base));
    Value::new(inst)
}

pub fn install(vm: &mut Vm) {
    object::install(vm);
    num::install(vm);
    str::install(vm);
    bytes::install(vm);
    list::install(vm);
    dict::install(vm);
    file::install(vm);
    runtime_types::install(vm);
    slots::install(vm);
    slots::install_iterators(vm);
    // As in CPython's type dicts: mutable containers say `__hash__ = None` (so
    // collections.abc.Hashable rejects them) and callables have `__call__`.
    for t in [vm.types.list.clone(), vm.types.dict.clone(), vm.types.set.clone(), vm.types.bytearray.clone()] {
        if let Some(ty) = t.downcast_ref::<crate::objects::Type>() {
            let k = vm.intern_static("__hash__");
            let none = vm.none.clone();
            let _ = vm.dict_set(&ty.dict.clone(), k, none);
        }
    }
    // Hashable built-ins whose hash is their value's (tuple.__hash__() == hash(t)).
    for t in [vm.types.tuple.clone(), vm.types.frozenset.clone(), vm.types.bytes.clone(), vm.types.complex.clone(), vm.types.range.clone()] {
        vm.add_method(&t, "__hash__", value_hash);
    }
    for t in [vm.types.builtin_function.clone(), vm.types.function.clone(), vm.types.method.clone()] {
        let has = t.downcast_ref::<crate::objects::Type>().is_some_and(|ty| {
            let k = vm.intern_static("__call__");
            vm.dict_get_str(&ty.dict, &k).is_some()
        });
        if !has {
            vm.add_method(&t, "__call__", call_self);
        }
    }
}

/// `__hash__` of the hashable built-in values: the same as `hash(x)`.
fn value_hash(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("__hash__", &args[1..], 0, 0)?;
    let b = vm.unwrap_base(&args[0]);
    let h = vm.hash(&b)?;
    Ok(vm.new_int(h))
}

/// `f.__call__(*args, **kwargs)` of built-in callables: call f.
fn call_self(vm: &mut Vm, args: &[Value], kw: &[Value]) -> PyResult<Value> {
    vm.call(&args[0], &args[1..], kw)
}

impl Vm {
    /// Bind positional + keyword arguments of a native function to `params` (names;
    /// `min` required). Returns one slot per parameter.
    pub fn bind_args(
        &mut self,
        fname: &str,
        args: &[Value],
        kwnames: &[Value],
        params: &[&str],
        min: usize,
    ) -> PyResult<Vec<Option<Value>>> {
        let npos = args.len() - kwnames.len();
        let mut out: Vec<Option<Value>> = vec![None; params.len()];
        if npos > params.len() {
            return Err(self.type_error(format!(
                "{fname}() takes at most {} argument{} ({npos} given)",
                params.len(),
                if params.len() == 1 { "" } else { "s" }
            )));
        }
        for (i, a) in args[..npos].iter().enumerate() {
            out[i] = Some(a.clone());
        }
        for (k, v) in kwnames.iter().zip(args[npos..].iter()) {
            let ks = self.str_val(k);
            match params.iter().position(|p| *p == ks) {
                Some(i) => {
                    if out[i].is_some() {
                        return Err(self.type_error(format!("argument for {fname}() given by name ('{ks}') and position ({})", i + 1)));
                    }
                    out[i] = Some(v.clone());
                }
                None => return Err(self.type_error(format!("'{ks}' is an invalid keyword argument for {fname}()"))),
            }
        }
        for (i, slot) in out.iter().enumerate().take(min) {
            if slot.is_none() {
                if npos < min && kwnames.is_empty() {
                    return Err(self.type_error(format!(
                        "{fname}() takes {} {} argument{} ({npos} given)",
                        if min == params.len() { "exactly" } else { "at least" },
                        min,
                        if min == 1 { "" } else { "s" }
                    )));
                }
                return Err(self.type_error(format!("{fname}() missing required argument '{}' (pos {})", params[i], i + 1)));
            }
        }
        Ok(out)
    }

    /// Reject keyword arguments for functions that take none.
    pub fn no_kwargs(&mut self, fname: &str, kwnames: &[Value]) -> PyResult<()> {
        if kwnames.is_empty() {
            Ok(())
        } else {
            Err(self.type_error(format!("{fname}() takes no keyword arguments")))
        }
    }

    /// Exactly `n` positional arguments after self (CPython's METH_O/NOARGS messages).
    pub fn check_nargs(&mut self, fname: &str, args: &[Value], min: usize, max: usize) -> PyResult<()> {
        let n = args.len();
        if n < min || n > max {
            if min == max {
                if min == 0 {
                    return Err(self.type_error(format!("{fname}() takes no arguments ({n} given)")));
                }
                if min == 1 {
                    return Err(self.type_error(format!("{fname}() takes exactly one argument ({n} given)")));
                }
                return Err(self.type_error(format!("{fname} expected {min} arguments, got {n}")));
            }
            if n < min {
                return Err(self.type_error(format!("{fname} expected at least {min} argument{}, got {n}", if min == 1 { "" } else { "s" })));
            }
            return Err(self.type_error(format!("{fname} expected at most {max} argument{}, got {n}", if max == 1 { "" } else { "s" })));
        }
        Ok(())
    }
}
