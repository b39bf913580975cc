//! Quickening: the interpreter's copy of a code object's instructions, with
//! superinstructions and specialised forms written over some of them.
//!
//! As in CPython 3.11, a rewritten instruction keeps its index and every original
//! instruction stays where it was: a superinstruction at `i` does the work of `i` and
//! `i + 1` (reading the oparg of `i + 1`, which is unchanged) and then continues at
//! `i + 2`, while a jump to `i + 1` still finds the original second instruction there.
//! Jump targets, the exception table and the line table therefore need no change, and
//! `pyvm disasm` (like `dis`) shows the code as compiled. A superinstruction whose
//! second half raises sets `lasti` to `i + 1` first, so tracebacks and handlers see the
//! instruction that failed.
//!
//! The pairs chosen are the ones CPython 3.11 fuses (LOAD_FAST__LOAD_FAST and friends)
//! plus a compare fused with its conditional jump, which is what every `if a < b:` and
//! `while` condition compiles to.

use pyvm_compiler::ast::BinOp;
use pyvm_compiler::bytecode::{Instr, Opcode};

/// The quickened instructions for `code`.
pub fn quicken(code: &[Instr]) -> Box<[Instr]> {
    use Opcode::*;
    let mut q = code.to_vec();
    for (i, ins) in code.iter().enumerate() {
        let next = code.get(i + 1).map(|n| n.op);
        let fused = match (ins.op, next) {
            (LOAD_FAST, Some(LOAD_FAST)) => Some(LOAD_FAST__LOAD_FAST),
            (LOAD_FAST, Some(LOAD_CONST)) => Some(LOAD_FAST__LOAD_CONST),
            (LOAD_CONST, Some(LOAD_FAST)) => Some(LOAD_CONST__LOAD_FAST),
            (STORE_FAST, Some(LOAD_FAST)) => Some(STORE_FAST__LOAD_FAST),
            (STORE_FAST, Some(STORE_FAST)) => Some(STORE_FAST__STORE_FAST),
            (COMPARE_OP, Some(POP_JUMP_IF_FALSE)) => Some(COMPARE_OP__POP_JUMP_IF_FALSE),
            (COMPARE_OP, Some(POP_JUMP_IF_TRUE)) => Some(COMPARE_OP__POP_JUMP_IF_TRUE),
            (BINARY_OP, _) => match BinOp::ALL.get((ins.arg % 13) as usize) {
                Some(BinOp::Add) => Some(BINARY_OP_ADD),
                Some(BinOp::Sub) => Some(BINARY_OP_SUBTRACT),
                _ => None,
            },
            _ => None,
        };
        if let Some(op) = fused {
            q[i].op = op;
        }
    }
    q.into_boxed_slice()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ins(op: Opcode, arg: u32) -> Instr {
        Instr { op, arg }
    }

    #[test]
    fn fuses_pairs_in_place_and_keeps_the_second_instruction() {
        let code = [
            ins(Opcode::LOAD_FAST, 0),
            ins(Opcode::LOAD_FAST, 1),
            ins(Opcode::LOAD_FAST, 2),
            ins(Opcode::COMPARE_OP, 0),
            ins(Opcode::POP_JUMP_IF_FALSE, 9),
            ins(Opcode::BINARY_OP, 23),
        ];
        let q = quicken(&code);
        let ops: Vec<Opcode> = q.iter().map(|i| i.op).collect();
        assert_eq!(
            ops,
            [
                Opcode::LOAD_FAST__LOAD_FAST,
                Opcode::LOAD_FAST__LOAD_FAST,
                Opcode::LOAD_FAST,
                Opcode::COMPARE_OP__POP_JUMP_IF_FALSE,
                Opcode::POP_JUMP_IF_FALSE,
                Opcode::BINARY_OP_SUBTRACT,
            ]
        );
        // Opargs are untouched: superinstructions read the next one in place.
        assert!(q.iter().zip(&code).all(|(a, b)| a.arg == b.arg));
    }
}
