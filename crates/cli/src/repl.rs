//! `pyvm` without arguments: the interactive interpreter, with CPython's `>>>` and `...`
//! prompts (on stderr, as CPython writes them when stdin is not a terminal), expression
//! results echoed, multi-line blocks ended by a blank line, and tracebacks that do not
//! end the session. `exit()`/`SystemExit` and end of input end it.

use pyvm_vm::Vm;
use std::io::BufRead;

/// Does this compile error only mean "the statement is not finished yet"?
fn incomplete(msg: &str) -> bool {
    msg.starts_with("expected an indented block")
        || msg.ends_with("was never closed")
        || msg.starts_with("unterminated triple-quoted string literal")
        || msg.starts_with("unexpected EOF")
}

/// Run the interactive loop on stdin; returns the exit status.
pub fn run(vm: &mut Vm) -> i32 {
    vm.write_stderr(&format!(
        "pyvm {} (Python 3.11 semantics, CPython's memory management made visible)\nType Ctrl-D to exit.\n",
        env!("CARGO_PKG_VERSION")
    ));
    let globals = vm.main_module("<stdin>");
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut buf = String::new();
    loop {
        vm.write_stderr(if buf.is_empty() { ">>> " } else { "... " });
        let Some(Ok(line)) = lines.next() else {
            vm.write_stderr("\n");
            break;
        };
        let blank = line.trim().is_empty();
        if buf.is_empty() && blank {
            continue;
        }
        buf.push_str(&line);
        buf.push('\n');
        // A compound statement (its first line ends with ':' or is a decorator) runs at
        // the first blank line; anything else as soon as it is complete.
        let first = buf.lines().next().unwrap_or("").split('#').next().unwrap_or("").trim_end();
        let compound = first.ends_with(':') || first.trim_start().starts_with('@');
        if compound && !blank {
            continue;
        }
        let code = match pyvm_compiler::compile_mode(&buf, "<stdin>", true) {
            Ok(code) => code,
            Err(e) if !blank && incomplete(&e.msg) => continue,
            Err(e) => {
                let text = pyvm_vm::format_syntax_error(&e, "<stdin>", &buf);
                vm.write_stderr(&text);
                buf.clear();
                continue;
            }
        };
        buf.clear();
        if let Err(e) = vm.run_code(&code, globals.clone()) {
            if vm.err_is(&e, "SystemExit") {
                let status = vm.handle_uncaught(e);
                vm.shutdown();
                return status;
            }
            vm.handle_uncaught(e);
        }
        vm.run_pending_finalizers();
        vm.flush_stdout();
    }
    vm.shutdown();
    vm.flush_stdout();
    0
}
