//! The instruction set, declared once.
//!
//! Each row of `opcodes!` gives the name (CPython 3.11's where the meaning is the same),
//! the operand kind, the stack effect `(fallthrough, jump)` as a function of the oparg,
//! and a one-line description. The macro generates the `Opcode` enum, `name()`,
//! `arg_kind()`, `stack_effect()` and `describe()`, which the assembler (max stack
//! depth), the interpreter and the disassembler all share, so they cannot disagree.

/// How an instruction's oparg is interpreted (and shown by the disassembler).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    /// No operand.
    None,
    /// A plain count or flag value.
    Count,
    /// Index into `consts`.
    Const,
    /// Index into `names`.
    Name,
    /// Index into `names` shifted left by one; bit 0 set means "push NULL first".
    GlobalName,
    /// Index into `varnames` (fast locals).
    Local,
    /// Index into cells (`cellvars` then `freevars`).
    Cell,
    /// Absolute target instruction index.
    Jump,
    /// A `BinOp` number (in-place variants + 13).
    BinOp,
    /// A comparison operator number.
    CmpOp,
    /// 0 = `is`/`in`, 1 = inverted (`is not`/`not in`).
    Invert,
    /// FORMAT_VALUE flags: conversion in bits 0-1, bit 2 = has spec.
    Format,
    /// MAKE_FUNCTION flags.
    FuncFlags,
}

macro_rules! opcodes {
    ($($name:ident : $kind:ident, |$a:ident| ($fall:expr, $jump:expr), $doc:literal;)*) => {
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Opcode { $(#[doc = $doc] $name,)* }

        impl Opcode {
            pub const ALL: &'static [Opcode] = &[$(Opcode::$name,)*];
            pub fn name(self) -> &'static str {
                match self { $(Opcode::$name => stringify!($name),)* }
            }
            pub fn arg_kind(self) -> ArgKind {
                match self { $(Opcode::$name => ArgKind::$kind,)* }
            }
            /// Stack effect `(when falling through, when jumping)`.
            #[allow(unused_variables)]
            pub fn stack_effect(self, arg: u32) -> (i32, i32) {
                let arg = arg as i32;
                match self { $(Opcode::$name => (|$a: i32| ($fall, $jump))(arg),)* }
            }
            pub fn describe(self) -> &'static str {
                match self { $(Opcode::$name => $doc,)* }
            }
        }
    };
}

fn popcount(x: i32) -> i32 {
    (x as u32).count_ones() as i32
}

opcodes! {
    NOP: None, |a| (0, 0), "Do nothing.";
    POP_TOP: None, |a| (-1, 0), "Pop and discard TOS.";
    PUSH_NULL: None, |a| (1, 0), "Push NULL (marks a plain call: no self).";
    COPY: Count, |a| (1, 0), "Push a new reference to the a-th item from the top (1 = TOS).";
    SWAP: Count, |a| (0, 0), "Swap TOS with the a-th item from the top.";
    LOAD_CONST: Const, |a| (1, 0), "Push consts[a].";
    LOAD_FAST: Local, |a| (1, 0), "Push local a (UnboundLocalError if unbound).";
    STORE_FAST: Local, |a| (-1, 0), "Local a := pop().";
    DELETE_FAST: Local, |a| (0, 0), "Unbind local a.";
    LOAD_NAME: Name, |a| (1, 0), "Push names[a] looked up in locals, globals, builtins.";
    STORE_NAME: Name, |a| (-1, 0), "locals[names[a]] := pop().";
    DELETE_NAME: Name, |a| (0, 0), "del locals[names[a]].";
    LOAD_GLOBAL: GlobalName, |a| (1 + (a & 1), 0), "Push global names[a>>1] (after NULL if a&1).";
    STORE_GLOBAL: Name, |a| (-1, 0), "globals[names[a]] := pop().";
    DELETE_GLOBAL: Name, |a| (0, 0), "del globals[names[a]].";
    MAKE_CELL: Cell, |a| (0, 0), "Create cell a at function entry, moving in the argument it shadows.";
    COPY_FREE_VARS: Count, |a| (0, 0), "Copy the function's closure cells into the frame.";
    LOAD_CLOSURE: Cell, |a| (1, 0), "Push cell a itself (to build a closure tuple).";
    LOAD_DEREF: Cell, |a| (1, 0), "Push the contents of cell a.";
    LOAD_CLASSDEREF: Cell, |a| (1, 0), "Class body: push locals[name] if present, else cell a's contents.";
    STORE_DEREF: Cell, |a| (-1, 0), "Cell a := pop().";
    DELETE_DEREF: Cell, |a| (0, 0), "Empty cell a.";
    LOAD_ATTR: Name, |a| (0, 0), "TOS := getattr(TOS, names[a]).";
    STORE_ATTR: Name, |a| (-2, 0), "setattr(TOS, names[a], TOS1); pop both.";
    DELETE_ATTR: Name, |a| (-1, 0), "delattr(pop(), names[a]).";
    LOAD_METHOD: Name, |a| (1, 0), "Replace TOS with (method, self) or (NULL, bound attribute).";
    BINARY_OP: BinOp, |a| (-1, 0), "TOS := TOS1 op TOS.";
    UNARY_POSITIVE: None, |a| (0, 0), "TOS := +TOS.";
    UNARY_NEGATIVE: None, |a| (0, 0), "TOS := -TOS.";
    UNARY_NOT: None, |a| (0, 0), "TOS := not TOS.";
    UNARY_INVERT: None, |a| (0, 0), "TOS := ~TOS.";
    COMPARE_OP: CmpOp, |a| (-1, 0), "TOS := TOS1 <op> TOS.";
    IS_OP: Invert, |a| (-1, 0), "TOS := TOS1 is TOS (is not if a).";
    CONTAINS_OP: Invert, |a| (-1, 0), "TOS := TOS1 in TOS (not in if a).";
    BINARY_SUBSCR: None, |a| (-1, 0), "TOS := TOS1[TOS].";
    STORE_SUBSCR: None, |a| (-3, 0), "TOS1[TOS] := TOS2.";
    DELETE_SUBSCR: None, |a| (-2, 0), "del TOS1[TOS].";
    BUILD_SLICE: Count, |a| (1 - a, 0), "Push slice(a items).";
    BUILD_TUPLE: Count, |a| (1 - a, 0), "Push a tuple of the top a items.";
    BUILD_LIST: Count, |a| (1 - a, 0), "Push a list of the top a items.";
    BUILD_SET: Count, |a| (1 - a, 0), "Push a set of the top a items.";
    BUILD_MAP: Count, |a| (1 - 2 * a, 0), "Push a dict of the top a key/value pairs.";
    BUILD_CONST_KEY_MAP: Count, |a| (-a, 0), "Push a dict from a values and a tuple of keys.";
    BUILD_STRING: Count, |a| (1 - a, 0), "Concatenate the top a strings.";
    LIST_APPEND: Count, |a| (-1, 0), "STACK[-a-1].append(pop()).";
    SET_ADD: Count, |a| (-1, 0), "STACK[-a-1].add(pop()).";
    MAP_ADD: Count, |a| (-2, 0), "STACK[-a-2][TOS1] = TOS; pop both.";
    LIST_EXTEND: Count, |a| (-1, 0), "STACK[-a-1].extend(pop()).";
    SET_UPDATE: Count, |a| (-1, 0), "STACK[-a-1].update(pop()).";
    DICT_UPDATE: Count, |a| (-1, 0), "STACK[-a-1].update(pop()).";
    DICT_MERGE: Count, |a| (-1, 0), "Like DICT_UPDATE but duplicate keys are an error (calls).";
    LIST_TO_TUPLE: None, |a| (0, 0), "TOS := tuple(TOS).";
    UNPACK_SEQUENCE: Count, |a| (a - 1, 0), "Unpack TOS into a values, pushed last-first.";
    UNPACK_EX: Count, |a| ((a & 0xFF) + (a >> 8), 0), "Unpack with a star target: a & 0xFF before, a >> 8 after.";
    FORMAT_VALUE: Format, |a| (-((a & 4) >> 2), 0), "Format TOS (with spec if a & 4; conversion a & 3).";
    GET_ITER: None, |a| (0, 0), "TOS := iter(TOS).";
    FOR_ITER: Jump, |a| (1, -1), "Push next(TOS); when exhausted pop TOS and jump to a.";
    JUMP_FORWARD: Jump, |a| (0, 0), "Jump forward to a.";
    JUMP_BACKWARD: Jump, |a| (0, 0), "Jump backward to a (a safe point: checks pending collections).";
    POP_JUMP_IF_FALSE: Jump, |a| (-1, -1), "Pop TOS; jump to a if false.";
    POP_JUMP_IF_TRUE: Jump, |a| (-1, -1), "Pop TOS; jump to a if true.";
    POP_JUMP_IF_NONE: Jump, |a| (-1, -1), "Pop TOS; jump to a if None.";
    POP_JUMP_IF_NOT_NONE: Jump, |a| (-1, -1), "Pop TOS; jump to a if not None.";
    JUMP_IF_FALSE_OR_POP: Jump, |a| (-1, 0), "If TOS is false jump to a keeping it, else pop.";
    JUMP_IF_TRUE_OR_POP: Jump, |a| (-1, 0), "If TOS is true jump to a keeping it, else pop.";
    RETURN_VALUE: None, |a| (-1, 0), "Return TOS to the caller.";
    KW_NAMES: Const, |a| (0, 0), "The next CALL passes keyword arguments named by consts[a].";
    CALL: Count, |a| (-a - 1, 0), "Call with a arguments: [NULL|method, callable|self, args...] -> result.";
    CALL_FUNCTION_EX: Count, |a| (-2 - (a & 1), 0), "Call [NULL, callable, args tuple, kwargs dict if a&1] -> result.";
    MAKE_FUNCTION: FuncFlags, |a| (-popcount(a & 0xF), 0), "Make a function from the code on TOS plus defaults/kwdefaults/annotations/closure per a.";
    LOAD_BUILD_CLASS: None, |a| (1, 0), "Push builtins.__build_class__.";
    RAISE_VARARGS: Count, |a| (-a, 0), "raise (a=0), raise TOS (1), raise TOS1 from TOS (2).";
    RERAISE: Count, |a| (-1, 0), "Re-raise TOS (restoring f_lasti from STACK[-a-1] if a).";
    PUSH_EXC_INFO: None, |a| (1, 0), "Handler entry: push the previous exception, set the current one to TOS.";
    POP_EXCEPT: None, |a| (-1, 0), "Restore the previous exception from TOS.";
    CHECK_EXC_MATCH: None, |a| (0, 0), "TOS := isinstance(TOS1, TOS) for exception matching.";
    WITH_EXCEPT_START: None, |a| (1, 0), "Call the __exit__ at STACK[-4] with the exception at TOS.";
    BEFORE_WITH: None, |a| (1, 0), "Replace the context manager with (__exit__, __enter__()).";
    BEFORE_ASYNC_WITH: None, |a| (1, 0), "Replace the manager with (__aexit__, __aenter__()).";
    GET_AWAITABLE: Count, |a| (0, 0), "TOS := the iterator of the awaitable TOS.";
    GET_AITER: None, |a| (0, 0), "TOS := TOS.__aiter__().";
    GET_ANEXT: None, |a| (1, 0), "Push the awaitable of TOS.__anext__().";
    END_ASYNC_FOR: None, |a| (-2, 0), "Handler of async for: StopAsyncIteration ends the loop.";
    SEND: Jump, |a| (0, -1), "Send TOS into the iterator TOS1; when it returns, jump to a with the value.";
    YIELD_VALUE: None, |a| (0, 0), "Yield TOS from a generator; the sent value replaces it.";
    ASYNC_GEN_WRAP: None, |a| (0, 0), "Async generators: mark TOS as a yielded value (not an await suspension).";
    GET_YIELD_FROM_ITER: None, |a| (0, 0), "TOS := iter(TOS) unless it is a generator or coroutine.";
    SETUP_ANNOTATIONS: None, |a| (0, 0), "Create __annotations__ in the local namespace.";
    IMPORT_NAME: Name, |a| (-1, 0), "Import module names[a] (level TOS1, fromlist TOS).";
    IMPORT_FROM: Name, |a| (1, 0), "Push attribute names[a] of the module on TOS.";
    IMPORT_STAR: None, |a| (-1, 0), "from module import *.";
    PRINT_EXPR: None, |a| (-1, 0), "Interactive mode: print repr(TOS) and bind _.";
    LOAD_ASSERTION_ERROR: None, |a| (1, 0), "Push AssertionError.";
    GET_LEN: None, |a| (1, 0), "Push len(TOS).";
    MATCH_MAPPING: None, |a| (1, 0), "Push whether TOS is a mapping.";
    MATCH_SEQUENCE: None, |a| (1, 0), "Push whether TOS is a sequence (not str/bytes).";
    MATCH_KEYS: None, |a| (1, 0), "Push a tuple of TOS1's values for the keys tuple TOS, or None.";
    COPY_DICT_WITHOUT_KEYS: None, |a| (0, 0), "TOS := dict(TOS1) without the keys in the tuple TOS.";
    MATCH_CLASS: Count, |a| (-2, 0), "Match class TOS1 against TOS2 with a positional and TOS keyword names.";
    RETURN_GENERATOR: None, |a| (0, 0), "Generator functions start here (marker kept for dis parity).";
    // Specialised forms below are never emitted by the compiler: the VM's quickening
    // writes them over the instruction at `i` (superinstructions also do the work of
    // the unchanged instruction at `i + 1`, reading its oparg there).
    LOAD_FAST__LOAD_FAST: Local, |a| (2, 0), "Superinstruction: LOAD_FAST a; LOAD_FAST (next oparg).";
    LOAD_FAST__LOAD_CONST: Local, |a| (2, 0), "Superinstruction: LOAD_FAST a; LOAD_CONST (next oparg).";
    LOAD_CONST__LOAD_FAST: Const, |a| (2, 0), "Superinstruction: LOAD_CONST a; LOAD_FAST (next oparg).";
    STORE_FAST__LOAD_FAST: Local, |a| (0, 0), "Superinstruction: STORE_FAST a; LOAD_FAST (next oparg).";
    STORE_FAST__STORE_FAST: Local, |a| (-2, 0), "Superinstruction: STORE_FAST a; STORE_FAST (next oparg).";
    COMPARE_OP__POP_JUMP_IF_FALSE: CmpOp, |a| (-2, -2), "Superinstruction: COMPARE_OP a; POP_JUMP_IF_FALSE (next oparg).";
    COMPARE_OP__POP_JUMP_IF_TRUE: CmpOp, |a| (-2, -2), "Superinstruction: COMPARE_OP a; POP_JUMP_IF_TRUE (next oparg).";
    BINARY_OP_ADD: BinOp, |a| (-1, 0), "BINARY_OP for + and += with the small-int case inline.";
    BINARY_OP_SUBTRACT: BinOp, |a| (-1, 0), "BINARY_OP for - and -= with the small-int case inline.";
}

impl Opcode {
    pub fn from_u8(b: u8) -> Option<Opcode> {
        Opcode::ALL.get(b as usize).copied()
    }
    pub fn is_jump(self) -> bool {
        self.arg_kind() == ArgKind::Jump
    }
    /// Instructions after which control never falls through.
    pub fn is_terminator(self) -> bool {
        matches!(
            self,
            Opcode::RETURN_VALUE | Opcode::RAISE_VARARGS | Opcode::RERAISE | Opcode::JUMP_FORWARD | Opcode::JUMP_BACKWARD
        )
    }
}

/// One instruction: opcode and a 32-bit operand (no EXTENDED_ARG needed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Instr {
    pub op: Opcode,
    pub arg: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn instr_is_8_bytes() {
        assert_eq!(std::mem::size_of::<Instr>(), 8);
    }
    #[test]
    fn opcode_numbers_roundtrip() {
        for (i, op) in Opcode::ALL.iter().enumerate() {
            assert_eq!(*op as usize, i);
            assert_eq!(Opcode::from_u8(i as u8), Some(*op));
        }
    }
}
