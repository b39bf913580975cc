//! The interactive interpreter (`pyvm` without arguments) against CPython's `python3 -i`
//! on the sessions in fixtures/repl (prompts, echoed results, blocks, tracebacks that do
//! not end the session, `exit()`). The banner (two lines) differs and is skipped.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn repl_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/repl")
}

#[test]
fn repl_sessions_match_cpython() {
    let mut names: Vec<String> = std::fs::read_dir(repl_dir())
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.strip_suffix(".in").map(str::to_string))
        .collect();
    names.sort();
    assert!(!names.is_empty());
    for name in names {
        let dir = repl_dir();
        let input = std::fs::read(dir.join(format!("{name}.in"))).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_pyvm"))
            .current_dir(&dir)
            .env("PYTHONHASHSEED", "0")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&input).unwrap();
        let out = child.wait_with_output().unwrap();
        let want_out = std::fs::read_to_string(dir.join(format!("{name}.out"))).unwrap();
        let want_err = std::fs::read_to_string(dir.join(format!("{name}.err"))).unwrap();
        let want_code: i32 = std::fs::read_to_string(dir.join(format!("{name}.code")))
            .map(|s| s.trim().parse().unwrap())
            .unwrap_or(0);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stderr: String = stderr.split_inclusive('\n').skip(2).collect();
        assert_eq!(String::from_utf8_lossy(&out.stdout), want_out, "{name}: stdout");
        assert_eq!(stderr, want_err, "{name}: stderr");
        assert_eq!(out.status.code(), Some(want_code), "{name}: exit status");
    }
}
