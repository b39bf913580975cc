//! Lexer, parser, symbol table and code generator on arbitrary bytes: any input must
//! give code or a SyntaxError, never a panic, abort or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(src) = std::str::from_utf8(data) {
        let _ = pyvm_compiler::compile(src, "<fuzz>");
    }
});
