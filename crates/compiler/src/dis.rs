//! The disassembler: prints code objects in the columns of CPython 3.11's `dis` module
//! (line, jump marker, offset, opname, oparg, resolved argument), nested code objects
//! after their parent, then each code's exception table.

use crate::ast::BinOp;
use crate::bytecode::{ArgKind, CodeObject, Const, Opcode};
use crate::codegen::CMP_NAMES;
use crate::repr::{bytes_repr, float_repr, str_repr};
use std::fmt::Write;

/// Disassemble `code` and every code object nested in its constants.
pub fn disassemble(code: &CodeObject) -> String {
    let mut out = String::new();
    dis_one(code, &mut out);
    for c in &code.consts {
        if let Const::Code(inner) = c {
            let _ = write!(out, "\nDisassembly of {}:\n", code_repr(inner));
            out.push_str(&disassemble(inner));
        }
    }
    out
}

fn code_repr(c: &CodeObject) -> String {
    format!("<code object {}, file \"{}\", line {}>", c.name, c.filename, c.firstlineno)
}

/// `repr()` of a constant as `dis` shows it.
pub fn const_repr(c: &Const) -> String {
    match c {
        Const::None => "None".into(),
        Const::True => "True".into(),
        Const::False => "False".into(),
        Const::Ellipsis => "Ellipsis".into(),
        Const::Int(i) => i.to_string(),
        Const::BigInt(s) => s.to_string(),
        Const::Float(f) => float_repr(*f),
        Const::Complex { re, im } => {
            let imr = float_repr(*im);
            let imr = imr.strip_suffix(".0").unwrap_or(&imr).to_string();
            if *re == 0.0 && !re.is_sign_negative() {
                format!("{imr}j")
            } else {
                let rer = float_repr(*re);
                let rer = rer.strip_suffix(".0").unwrap_or(&rer).to_string();
                let sign = if *im >= 0.0 || im.is_nan() { "+" } else { "" };
                format!("({rer}{sign}{imr}j)")
            }
        }
        Const::Str(s) => str_repr(s),
        Const::Bytes(b) => bytes_repr(b),
        Const::Tuple(items) => {
            let parts: Vec<String> = items.iter().map(const_repr).collect();
            if parts.len() == 1 {
                format!("({},)", parts[0])
            } else {
                format!("({})", parts.join(", "))
            }
        }
        Const::FrozenSet(items) => {
            let parts: Vec<String> = items.iter().map(const_repr).collect();
            format!("frozenset({{{}}})", parts.join(", "))
        }
        Const::Code(c) => code_repr(c),
    }
}

fn argrepr(code: &CodeObject, op: Opcode, arg: u32) -> String {
    let name = |i: u32| code.names.get(i as usize).map(|s| s.to_string()).unwrap_or_default();
    match op.arg_kind() {
        ArgKind::None | ArgKind::Count | ArgKind::Invert => String::new(),
        ArgKind::Const => code.consts.get(arg as usize).map(const_repr).unwrap_or_default(),
        ArgKind::Name => name(arg),
        ArgKind::GlobalName => {
            if arg & 1 == 1 {
                format!("NULL + {}", name(arg >> 1))
            } else {
                name(arg >> 1)
            }
        }
        ArgKind::Local => code.varnames.get(arg as usize).map(|s| s.to_string()).unwrap_or_default(),
        ArgKind::Cell => {
            if (arg as usize) < code.ncells() {
                code.cell_name(arg as usize).to_string()
            } else {
                String::new()
            }
        }
        ArgKind::Jump => format!("to {}", arg * 2),
        ArgKind::BinOp => {
            let ops = BinOp::ALL;
            if (arg as usize) < ops.len() {
                ops[arg as usize].symbol().to_string()
            } else {
                ops.get(arg as usize - 13).map(|o| o.inplace_symbol().to_string()).unwrap_or_default()
            }
        }
        ArgKind::CmpOp => CMP_NAMES.get(arg as usize).map(|s| s.to_string()).unwrap_or_default(),
        ArgKind::Format => {
            let conv = match arg & 3 {
                1 => "str",
                2 => "repr",
                3 => "ascii",
                _ => "",
            };
            match (conv.is_empty(), arg & 4 != 0) {
                (true, false) => String::new(),
                (true, true) => "with format".into(),
                (false, false) => conv.into(),
                (false, true) => format!("{conv}, with format"),
            }
        }
        ArgKind::FuncFlags => {
            let names = ["defaults", "kwdefaults", "annotations", "closure"];
            names.iter().enumerate().filter(|(i, _)| arg & (1 << i) != 0).map(|(_, n)| *n).collect::<Vec<_>>().join(", ")
        }
    }
}

fn dis_one(code: &CodeObject, out: &mut String) {
    let n = code.instructions.len();
    let mut targets = vec![false; n + 1];
    for ins in &code.instructions {
        if ins.op.is_jump() && (ins.arg as usize) <= n {
            targets[ins.arg as usize] = true;
        }
    }
    for e in &code.exception_table {
        if (e.target as usize) <= n {
            targets[e.target as usize] = true;
        }
    }
    let offset_width = (n.saturating_sub(1) * 2).to_string().len().max(4);
    let mut last_line = None;
    for (i, ins) in code.instructions.iter().enumerate() {
        let line = code.positions[i].line;
        let starts_line = line != 0 && Some(line) != last_line;
        let mut fields: Vec<String> = Vec::new();
        if starts_line {
            if last_line.is_some() {
                out.push('\n');
            }
            last_line = Some(line);
            fields.push(format!("{line:>3}"));
        } else {
            fields.push("   ".into());
        }
        fields.push("   ".into());
        fields.push(if targets[i] { ">>".into() } else { "  ".into() });
        fields.push(format!("{:>width$}", i * 2, width = offset_width));
        fields.push(format!("{:<20}", ins.op.name()));
        if ins.op.arg_kind() != ArgKind::None {
            fields.push(format!("{:>5}", ins.arg));
            let r = argrepr(code, ins.op, ins.arg);
            if !r.is_empty() {
                fields.push(format!("({r})"));
            }
        }
        let line = fields.join(" ");
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if !code.exception_table.is_empty() {
        out.push_str("ExceptionTable:\n");
        for e in &code.exception_table {
            let _ = writeln!(
                out,
                "  {} to {} -> {} [{}]{}",
                e.start * 2,
                e.end.saturating_sub(1) * 2,
                e.target * 2,
                e.depth,
                if e.lasti { " lasti" } else { "" }
            );
        }
    }
}
