//! Operator dunders of the built-in containers and numbers as callable methods
//! (`tuple.__lt__`, `set.__or__`, `int.__round__`, ...), as CPython's slot wrappers
//! expose them. The interpreter never calls these for built-in operands (its fast paths
//! come first, and rich comparison skips native dunders); they serve explicit calls such
//! as `functools.reduce(set.__or__, sets)`, `super().__lt__(other)` in subclasses, and
//! dir(). Each one works on the built-in values only and answers NotImplemented for
//! foreign operands, so none of them can dispatch back into itself.

use crate::objects::*;
use crate::iter::{Iter, IterState};
use crate::vm::{NativeFn, PyResult, Vm};
use pyvm_compiler::ast::BinOp;
use pyvm_gc::Value;

/// Operands of one family compare with each other's native comparison.
fn family(v: &Value) -> u32 {
    match crate::ops::compare::kind_of(v) {
        kind::BOOL | kind::INT | kind::FLOAT | kind::COMPLEX => kind::INT,
        kind::BYTEARRAY => kind::BYTES,
        k => k,
    }
}

fn compare(vm: &mut Vm, args: &[Value], op: u32) -> PyResult<Value> {
    vm.check_nargs("comparison", &args[1..], 1, 1)?;
    let (a, b) = (vm.unwrap_base(&args[0]), vm.unwrap_base(&args[1]));
    if family(&a) != family(&b) || a.is::<Instance>() || b.is::<Instance>() {
        return Ok(vm.not_implemented.clone());
    }
    match vm.builtin_compare(&a, &b, op)? {
        Some(r) => Ok(vm.new_bool(r)),
        None => Ok(vm.not_implemented.clone()),
    }
}

fn binop(vm: &mut Vm, args: &[Value], op: BinOp, reflected: bool) -> PyResult<Value> {
    vm.check_nargs("operator", &args[1..], 1, 1)?;
    let (a, b) = (vm.unwrap_base(&args[0]), vm.unwrap_base(&args[1]));
    if a.is::<Instance>() || b.is::<Instance>() {
        return Ok(vm.not_implemented.clone());
    }
    let r = if reflected { vm.builtin_binop(&b, &a, op) } else { vm.builtin_binop(&a, &b, op) };
    match r {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Ok(vm.not_implemented.clone()),
        Err(e) => Err(e),
    }
}

/// In-place operators mutate the underlying built-in value and return self.
fn inplace(vm: &mut Vm, args: &[Value], op: BinOp) -> PyResult<Value> {
    vm.check_nargs("operator", &args[1..], 1, 1)?;
    let a = vm.unwrap_base(&args[0]);
    let b = vm.unwrap_base(&args[1]);
    let ok = match crate::ops::compare::kind_of(&a) {
        kind::SET => family(&b) == kind::SET,
        kind::DICT => true,
        kind::LIST => true,
        kind::BYTEARRAY => matches!(b.kind(), Some(kind::BYTES | kind::BYTEARRAY)) || op == BinOp::Mult,
        _ => false,
    };
    if !ok || a.is::<Instance>() {
        return Ok(vm.not_implemented.clone());
    }
    vm.inplace_op(&a, &b, op)?;
    Ok(args[0].clone())
}

macro_rules! slots {
    ($($name:ident => $body:expr;)*) => {
        $(fn $name(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
            let f: fn(&mut Vm, &[Value]) -> PyResult<Value> = $body;
            f(vm, args)
        })*
    };
}

slots! {
    lt => |vm, a| compare(vm, a, 0);
    le => |vm, a| compare(vm, a, 1);
    eq => |vm, a| compare(vm, a, 2);
    ne => |vm, a| compare(vm, a, 3);
    gt => |vm, a| compare(vm, a, 4);
    ge => |vm, a| compare(vm, a, 5);
    add => |vm, a| binop(vm, a, BinOp::Add, false);
    sub => |vm, a| binop(vm, a, BinOp::Sub, false);
    mul => |vm, a| binop(vm, a, BinOp::Mult, false);
    rmul => |vm, a| binop(vm, a, BinOp::Mult, true);
    modulo => |vm, a| binop(vm, a, BinOp::Mod, false);
    rmod => |vm, a| binop(vm, a, BinOp::Mod, true);
    and => |vm, a| binop(vm, a, BinOp::And, false);
    or => |vm, a| binop(vm, a, BinOp::Or, false);
    xor => |vm, a| binop(vm, a, BinOp::BitXor, false);
    rand => |vm, a| binop(vm, a, BinOp::And, true);
    ror => |vm, a| binop(vm, a, BinOp::Or, true);
    rxor => |vm, a| binop(vm, a, BinOp::BitXor, true);
    rsub => |vm, a| binop(vm, a, BinOp::Sub, true);
    radd => |vm, a| binop(vm, a, BinOp::Add, true);
    rlshift => |vm, a| binop(vm, a, BinOp::LShift, true);
    rrshift => |vm, a| binop(vm, a, BinOp::RShift, true);
    iadd => |vm, a| inplace(vm, a, BinOp::Add);
    isub => |vm, a| inplace(vm, a, BinOp::Sub);
    imul => |vm, a| inplace(vm, a, BinOp::Mult);
    iand => |vm, a| inplace(vm, a, BinOp::And);
    ior => |vm, a| inplace(vm, a, BinOp::Or);
    ixor => |vm, a| inplace(vm, a, BinOp::BitXor);
    pos => |vm, a| { let v = vm.unwrap_base(&a[0]); vm.unary_op(&v, pyvm_compiler::bytecode::Opcode::UNARY_POSITIVE) };
    neg => |vm, a| { let v = vm.unwrap_base(&a[0]); vm.unary_op(&v, pyvm_compiler::bytecode::Opcode::UNARY_NEGATIVE) };
    invert => |vm, a| { let v = vm.unwrap_base(&a[0]); vm.unary_op(&v, pyvm_compiler::bytecode::Opcode::UNARY_INVERT) };
    abs => |vm, a| builtin_call(vm, "abs", a);
    round => |vm, a| builtin_call(vm, "round", a);
    divmod => |vm, a| builtin_call(vm, "divmod", a);
    rdivmod => |vm, a| { vm.check_nargs("__rdivmod__", &a[1..], 1, 1)?; builtin_call(vm, "divmod", &[a[1].clone(), a[0].clone()]) };
    floor => |vm, a| to_int(vm, a, f64::floor);
    ceil => |vm, a| to_int(vm, a, f64::ceil);
    trunc => |vm, a| to_int(vm, a, f64::trunc);
    complex_self => |vm, a| { vm.check_nargs("__complex__", &a[1..], 0, 0)?; Ok(vm.unwrap_base(&a[0])) };
}

fn builtin_call(vm: &mut Vm, name: &str, args: &[Value]) -> PyResult<Value> {
    let k = vm.intern(name);
    let builtins = vm.builtins.clone();
    let Some(f) = vm.dict_get_str(&builtins, &k) else { return Err(vm.runtime_error(format!("builtin {name} is missing"))) };
    let a: Vec<Value> = args.iter().map(|v| vm.unwrap_base(v)).collect();
    vm.call(&f, &a, &[])
}

/// `__floor__`, `__ceil__`, `__trunc__`: an int is itself; a float rounds to an int.
fn to_int(vm: &mut Vm, args: &[Value], f: fn(f64) -> f64) -> PyResult<Value> {
    vm.check_nargs("rounding", &args[1..], 0, 0)?;
    let v = vm.unwrap_base(&args[0]);
    if let Some(x) = v.downcast_ref::<Float>() {
        let r = f(x.0);
        return vm.float_to_int(r);
    }
    builtin_call(vm, "int", &[v])
}

pub fn install(vm: &mut Vm) {
    let t = vm.types.clone();
    let cmp: &[(&'static str, NativeFn)] = &[("__lt__", lt), ("__le__", le), ("__eq__", eq), ("__ne__", ne), ("__gt__", gt), ("__ge__", ge)];
    let eq_only: &[(&'static str, NativeFn)] = &[("__eq__", eq), ("__ne__", ne)];
    let ordered = [t.list.clone(), t.tuple.clone(), t.set.clone(), t.frozenset.clone(), t.str_.clone(), t.bytes.clone(), t.bytearray.clone()];
    for ty in ordered {
        for (n, f) in cmp {
            add_missing(vm, &ty, n, *f);
        }
    }
    for ty in [t.int.clone(), t.float.clone()] {
        for (n, f) in cmp {
            add_missing(vm, &ty, n, *f);
        }
    }
    for ty in [t.dict.clone(), t.complex.clone(), t.range.clone()] {
        for (n, f) in eq_only {
            add_missing(vm, &ty, n, *f);
        }
    }
    let seq: &[(&'static str, NativeFn)] = &[("__add__", add), ("__mul__", mul), ("__rmul__", rmul)];
    for ty in [t.list.clone(), t.tuple.clone(), t.str_.clone(), t.bytes.clone(), t.bytearray.clone()] {
        for (n, f) in seq {
            add_missing(vm, &ty, n, *f);
        }
    }
    for ty in [t.str_.clone(), t.bytes.clone(), t.bytearray.clone()] {
        add_missing(vm, &ty, "__mod__", modulo);
        add_missing(vm, &ty, "__rmod__", rmod);
    }
    for ty in [t.list.clone(), t.bytearray.clone()] {
        add_missing(vm, &ty, "__iadd__", iadd);
        add_missing(vm, &ty, "__imul__", imul);
    }
    let setops: &[(&'static str, NativeFn)] = &[
        ("__and__", and),
        ("__or__", or),
        ("__xor__", xor),
        ("__sub__", sub),
        ("__rand__", rand),
        ("__ror__", ror),
        ("__rxor__", rxor),
        ("__rsub__", rsub),
    ];
    for ty in [t.set.clone(), t.frozenset.clone()] {
        for (n, f) in setops {
            add_missing(vm, &ty, n, *f);
        }
    }
    for (n, f) in [("__iand__", iand as NativeFn), ("__ior__", ior), ("__ixor__", ixor), ("__isub__", isub)] {
        add_missing(vm, &t.set, n, f);
    }
    add_missing(vm, &t.dict, "__or__", or);
    add_missing(vm, &t.dict, "__ror__", ror);
    add_missing(vm, &t.dict, "__ior__", ior);
    let numeric: &[(&'static str, NativeFn)] = &[
        ("__pos__", pos),
        ("__neg__", neg),
        ("__abs__", abs),
        ("__round__", round),
        ("__divmod__", divmod),
        ("__rdivmod__", rdivmod),
        ("__floor__", floor),
        ("__ceil__", ceil),
        ("__trunc__", trunc),
    ];
    for ty in [t.int.clone(), t.float.clone()] {
        for (n, f) in numeric {
            add_missing(vm, &ty, n, *f);
        }
    }
    let intops: &[(&'static str, NativeFn)] = &[
        ("__invert__", invert),
        ("__rand__", rand),
        ("__ror__", ror),
        ("__rxor__", rxor),
        ("__rlshift__", rlshift),
        ("__rrshift__", rrshift),
    ];
    for (n, f) in intops {
        add_missing(vm, &t.int, n, *f);
    }
    let complexops: &[(&'static str, NativeFn)] = &[
        ("__add__", add),
        ("__radd__", radd),
        ("__sub__", sub),
        ("__rsub__", rsub),
        ("__mul__", mul),
        ("__rmul__", rmul),
        ("__pos__", pos),
        ("__neg__", neg),
        ("__abs__", abs),
        ("__complex__", complex_self),
    ];
    for (n, f) in complexops {
        add_missing(vm, &t.complex, n, *f);
    }
}

/// Add a method unless the type already defines one (a more specific native version).
fn add_missing(vm: &mut Vm, ty: &Value, name: &'static str, f: NativeFn) {
    let has = ty.downcast_ref::<Type>().is_some_and(|tt| {
        let k = vm.intern(name);
        vm.dict_get_str(&tt.dict, &k).is_some()
    });
    if !has {
        vm.add_method(ty, name, f);
    }
}

/// `__length_hint__` of the built-in iterators over sized containers: how many items
/// are left (operator.length_hint, list(it) presizing).
fn length_hint(vm: &mut Vm, args: &[Value], _kw: &[Value]) -> PyResult<Value> {
    vm.check_nargs("__length_hint__", &args[1..], 0, 0)?;
    let Some(it) = args[0].downcast_ref::<Iter>() else { return Ok(vm.not_implemented.clone()) };
    let left = match &*it.state.borrow() {
        IterState::Seq { seq, idx } => {
            let n = seq.downcast_ref::<List>().map(|l| l.len()).or_else(|| seq.downcast_ref::<Tuple>().map(|t| t.0.len())).unwrap_or(0);
            n.saturating_sub(*idx) as i64
        }
        IterState::Range { left, .. } => (*left).min(i64::MAX as u64) as i64,
        IterState::Str { s, byte } => s.downcast_ref::<Str>().map_or(0, |s| s.s[(*byte).min(s.s.len())..].chars().count() as i64),
        // Dict positions index the entry table (with holes): count what is left.
        IterState::Dict { .. } => return dict_left(vm, &args[0]),
        IterState::Reversed { idx, .. } => (*idx + 1).max(0) as i64,
        IterState::Exhausted => 0,
        _ => return Ok(vm.not_implemented.clone()),
    };
    Ok(vm.new_int(left))
}

fn dict_left(vm: &mut Vm, it: &Value) -> PyResult<Value> {
    let Some(i) = it.downcast_ref::<Iter>() else { return Ok(vm.new_int(0)) };
    let (dict, pos) = match &*i.state.borrow() {
        IterState::Dict { dict, pos, .. } => (dict.clone(), *pos),
        _ => return Ok(vm.new_int(0)),
    };
    let left = dict.downcast_ref::<Dict>().map_or(0, |d| d.table.borrow().entries.iter().skip(pos).filter(|e| e.is_some()).count());
    Ok(vm.new_int(left as i64))
}

pub fn install_iterators(vm: &mut Vm) {
    for name in ["list_iterator", "tuple_iterator", "str_ascii_iterator", "range_iterator", "dict_keyiterator", "dict_valueiterator", "dict_itemiterator", "reversed"] {
        if let Some(t) = vm.iter_types.get(name).cloned() {
            add_missing(vm, &t, "__length_hint__", length_hint);
        }
    }
}
