//! Assembly: resolve labels, compute the maximum stack depth from the opcode table's
//! stack effects, and build the exception table from per-instruction handlers.

use super::{PInstr, Unit};
use crate::bytecode::{CodeObject, ExceptEntry, Instr, Opcode, Position};
use crate::error::{CompileResult, SyntaxError};
use std::rc::Rc;

pub(crate) fn assemble(unit: Unit<'_>, filename: Rc<str>, cell2arg: Vec<Option<u32>>) -> CompileResult<CodeObject> {
    let n = unit.instrs.len();
    let target_of = |pi: &PInstr| -> Option<usize> {
        pi.target.map(|l| unit.labels[l.0 as usize].expect("unbound label"))
    };
    let instructions: Vec<Instr> = unit
        .instrs
        .iter()
        .map(|pi| Instr { op: pi.op, arg: target_of(pi).map_or(pi.arg, |t| t as u32) })
        .collect();
    let positions: Vec<Position> = unit.instrs.iter().map(|pi| pi.pos).collect();

    // Stack depth at entry of every reachable instruction (worklist over the flow graph).
    let mut depth: Vec<Option<i32>> = vec![None; n + 1];
    let mut handler_depth: Vec<Option<i32>> = vec![None; unit.handlers.len()];
    let mut max_depth = 0i32;
    let mut work: Vec<(usize, i32)> = vec![(0, 0)];
    let mut iterations = 0usize;
    while let Some((i, d)) = work.pop() {
        iterations += 1;
        if iterations > 50 * (n + 10) {
            break;
        }
        if i >= n {
            continue;
        }
        match depth[i] {
            Some(prev) if prev >= d => continue,
            _ => depth[i] = Some(d),
        }
        max_depth = max_depth.max(d);
        let pi = &unit.instrs[i];
        // Handlers whose region starts here get this depth.
        for (h, hd) in unit.handlers.iter().zip(handler_depth.iter_mut()) {
            if h.start == i && hd.map_or(true, |x| x < d) {
                *hd = Some(d);
            }
        }
        if let Some(h) = pi.handler {
            let h = h as usize;
            let hd = handler_depth[h].unwrap_or(d);
            if handler_depth[h].is_none() {
                handler_depth[h] = Some(hd);
            }
            let handler = unit.handlers[h];
            let t = unit.labels[handler.target.0 as usize].expect("handler label");
            work.push((t, hd + 1 + handler.lasti as i32));
            max_depth = max_depth.max(hd + 2);
        }
        let (fall, jump) = pi.op.stack_effect(pi.arg);
        if let Some(t) = target_of(pi) {
            work.push((t, d + jump));
            max_depth = max_depth.max(d + jump);
        }
        if !pi.op.is_terminator() {
            let nd = d + fall;
            if nd < 0 {
                return Err(SyntaxError::new(
                    format!("internal compiler error: negative stack depth at {} in {}", i, unit.qualname),
                    pi.pos.line,
                    0,
                    0,
                ));
            }
            max_depth = max_depth.max(nd);
            work.push((i + 1, nd));
        }
    }

    // Exception table: maximal runs of consecutive instructions with the same handler.
    let mut table = Vec::new();
    let mut i = 0;
    while i < n {
        let Some(h) = unit.instrs[i].handler else {
            i += 1;
            continue;
        };
        let start = i;
        while i < n && unit.instrs[i].handler == Some(h) {
            i += 1;
        }
        let handler = unit.handlers[h as usize];
        let target = unit.labels[handler.target.0 as usize].expect("handler label");
        let Some(d) = handler_depth[h as usize] else { continue };
        table.push(ExceptEntry { start: start as u32, end: i as u32, target: target as u32, depth: d as u32, lasti: handler.lasti });
    }

    Ok(CodeObject {
        name: unit.name,
        qualname: unit.qualname,
        filename,
        flags: unit.flags,
        argcount: unit.argcount,
        posonlyargcount: unit.posonlyargcount,
        kwonlyargcount: unit.kwonlyargcount,
        instructions,
        positions,
        consts: unit.consts,
        names: unit.names,
        varnames: unit.varnames,
        cellvars: unit.cellvars,
        freevars: unit.freevars,
        cell2arg,
        stacksize: max_depth.max(0) as u32 + 1,
        firstlineno: unit.firstlineno,
        exception_table: table,
    })
}

#[allow(dead_code)]
fn is_unconditional(op: Opcode) -> bool {
    op.is_terminator()
}
