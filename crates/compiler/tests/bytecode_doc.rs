//! `docs/bytecode.md` is generated from the opcode table; this test fails when it is stale.
//! Regenerate with `UPDATE_DOCS=1 cargo test -p pyvm-compiler --test bytecode_doc`.

use pyvm_compiler::bytecode::{ArgKind, Opcode};

fn render() -> String {
    let mut s = String::from(
        "<!-- Generated from crates/compiler/src/bytecode/opcodes.rs by\n     `UPDATE_DOCS=1 cargo test -p pyvm-compiler --test bytecode_doc`. Do not edit. -->\n\n",
    );
    s.push_str("# pyvm bytecode\n\n");
    s.push_str("Each instruction is an opcode and a 32-bit argument. Names follow CPython 3.11 where the\n");
    s.push_str("meaning is the same. Stack effect is `(fallthrough, jump)` for argument `a`.\n\n");
    s.push_str("| # | opcode | argument | effect (a=1) | meaning |\n| --- | --- | --- | --- | --- |\n");
    for (i, op) in Opcode::ALL.iter().enumerate() {
        let kind = match op.arg_kind() {
            ArgKind::None => "-",
            ArgKind::Count => "count",
            ArgKind::Const => "const index",
            ArgKind::Name => "name index",
            ArgKind::GlobalName => "name index << 1 | NULL",
            ArgKind::Local => "local index",
            ArgKind::Cell => "cell index",
            ArgKind::Jump => "target",
            ArgKind::BinOp => "binary op",
            ArgKind::CmpOp => "comparison",
            ArgKind::Invert => "invert flag",
            ArgKind::Format => "format flags",
            ArgKind::FuncFlags => "function flags",
        };
        let (f, j) = op.stack_effect(1);
        s.push_str(&format!("| {i} | `{}` | {kind} | {f}, {j} | {} |\n", op.name(), op.describe()));
    }
    s
}

#[test]
fn bytecode_doc_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/bytecode.md");
    let want = render();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).unwrap();
        return;
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(have == want, "docs/bytecode.md is stale: run UPDATE_DOCS=1 cargo test -p pyvm-compiler --test bytecode_doc");
}
