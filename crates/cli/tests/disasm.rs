//! One insta snapshot of `pyvm disasm` per fixture program (the disassembly is
//! deterministic: code objects are shown without addresses).

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

#[test]
fn disassembly_snapshots() {
    let mut progs = Vec::new();
    for dir in ["run", "errors", "gc"] {
        let Ok(rd) = std::fs::read_dir(fixtures_dir().join(dir)) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "py") {
                progs.push(format!("{dir}/{}", p.file_name().unwrap().to_string_lossy()));
            }
        }
    }
    progs.sort();
    assert!(!progs.is_empty());
    for rel in progs {
        let out = Command::new(env!("CARGO_BIN_EXE_pyvm")).current_dir(fixtures_dir()).args(["disasm", &rel]).output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            if out.stderr.is_empty() { String::new() } else { format!("--- stderr\n{}", String::from_utf8_lossy(&out.stderr)) }
        );
        let name = rel.replace('/', "__").trim_end_matches(".py").to_string();
        insta::with_settings!({ snapshot_path => "snapshots/disasm", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(name, text);
        });
    }
}
