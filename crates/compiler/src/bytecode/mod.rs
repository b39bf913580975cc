//! Bytecode: the opcode table, instructions and code objects.

pub mod code;
pub mod opcodes;

pub use code::{CodeFlags, CodeObject, Const, ExceptEntry, Position};
pub use opcodes::{ArgKind, Instr, Opcode};
