//! `cargo bench -p pyvm --bench vs_python3 [-- options]`: the pyvm-vs-CPython runner
//! without `just`. Cargo builds the `pyvm` binary with the bench (release) profile and
//! hands us its path; the measuring itself is benches/run.py, which needs python3 anyway
//! because python3 is the other half of every comparison.

use std::process::{exit, Command};

fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    // cargo passes `--bench` to harness-less benches; everything else is the runner's.
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let status = Command::new("python3")
        .current_dir(root)
        .arg("benches/run.py")
        .arg("--pyvm")
        .arg(env!("CARGO_BIN_EXE_pyvm"))
        .args(&args)
        .status()
        .unwrap_or_else(|e| {
            eprintln!("vs_python3: cannot run python3: {e}");
            exit(2)
        });
    exit(status.code().unwrap_or(1));
}
