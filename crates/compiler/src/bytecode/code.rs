//! `CodeObject`: the compiled form of one scope (module, function, class body, lambda,
//! comprehension), with its constants, names, line table and exception table.

use super::opcodes::Instr;
use bitflags::bitflags;
use std::rc::Rc;

bitflags! {
    /// `co_flags`, with CPython's bit values.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct CodeFlags: u32 {
        const OPTIMIZED = 0x1;
        const NEWLOCALS = 0x2;
        const VARARGS = 0x4;
        const VARKEYWORDS = 0x8;
        const NESTED = 0x10;
        const GENERATOR = 0x20;
        const NOFREE = 0x40;
        const COROUTINE = 0x80;
        const ITERABLE_COROUTINE = 0x100;
        const ASYNC_GENERATOR = 0x200;
    }
}

/// A compile-time constant.
#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    None,
    True,
    False,
    Ellipsis,
    Int(i64),
    /// An integer too large for i64, as decimal digits (with a leading `-` if negative).
    BigInt(Rc<str>),
    Float(f64),
    Complex { re: f64, im: f64 },
    Str(Rc<str>),
    Bytes(Rc<[u8]>),
    Tuple(Rc<[Const]>),
    FrozenSet(Rc<[Const]>),
    Code(Rc<CodeObject>),
}

/// Source position of one instruction, as CPython's `co_positions()`: 1-based lines,
/// 0-based character columns. `line == 0` means "no line" (artificial instructions).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Position {
    pub line: u32,
    pub end_line: u32,
    pub col: u32,
    pub end_col: u32,
}

/// One exception-table entry: instructions `start..end` jump to `target` when an
/// exception is raised, after truncating the value stack to `depth` (and pushing the
/// instruction index first if `lasti`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExceptEntry {
    pub start: u32,
    pub end: u32,
    pub target: u32,
    pub depth: u32,
    pub lasti: bool,
}

#[derive(Debug, PartialEq)]
pub struct CodeObject {
    pub name: Rc<str>,
    pub qualname: Rc<str>,
    pub filename: Rc<str>,
    pub flags: CodeFlags,
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    pub instructions: Vec<Instr>,
    pub positions: Vec<Position>,
    pub consts: Vec<Const>,
    pub names: Vec<Rc<str>>,
    /// Fast locals: parameters first, in slot order.
    pub varnames: Vec<Rc<str>>,
    pub cellvars: Vec<Rc<str>>,
    pub freevars: Vec<Rc<str>>,
    /// For each cell variable that is also a parameter, the parameter's local index.
    pub cell2arg: Vec<Option<u32>>,
    pub stacksize: u32,
    pub firstlineno: u32,
    pub exception_table: Vec<ExceptEntry>,
}

impl CodeObject {
    /// Total parameters including `*args`/`**kwargs`.
    pub fn total_args(&self) -> usize {
        (self.argcount
            + self.kwonlyargcount
            + self.flags.contains(CodeFlags::VARARGS) as u32
            + self.flags.contains(CodeFlags::VARKEYWORDS) as u32) as usize
    }
    pub fn is_generator_like(&self) -> bool {
        self.flags.intersects(CodeFlags::GENERATOR | CodeFlags::COROUTINE | CodeFlags::ASYNC_GENERATOR)
    }
    /// The exception handler covering instruction `i`, if any.
    pub fn handler_for(&self, i: u32) -> Option<&ExceptEntry> {
        self.exception_table.iter().find(|e| e.start <= i && i < e.end)
    }
    pub fn ncells(&self) -> usize {
        self.cellvars.len() + self.freevars.len()
    }
    pub fn cell_name(&self, i: usize) -> &str {
        if i < self.cellvars.len() {
            &self.cellvars[i]
        } else {
            &self.freevars[i - self.cellvars.len()]
        }
    }
}
