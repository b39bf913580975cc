//! Runs every program under `fixtures/` through `pyvm run` and compares stdout, stderr
//! and the exit status byte for byte with what python3 produced (`fixtures/bless.py`
//! regenerates the expected files). Fixtures listed in `fixtures/known_failures.txt` are
//! expected to fail; the test also fails when one of them starts passing, so the list
//! only ever shrinks.
//!
//! Every fixture runs with `--gc-stats`, and its report must say that no object the
//! program created is alive after shutdown (interned strings aside, as in CPython).
//! The collector fixtures (`gc/`) run with `PYVM_VERIFY_REFCOUNTS=1`: before and after
//! every collection the whole heap is checked for refcounts smaller than the references
//! tracked objects hold (see the gc crate's `verify.rs`); a violation fails the fixture.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn programs() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["run", "errors", "syntax", "gc", "stress"] {
        let Ok(rd) = std::fs::read_dir(fixtures_dir().join(dir)) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            if p.extension().is_some_and(|x| x == "py") {
                out.push(format!("{dir}/{}", p.file_name().unwrap().to_string_lossy()));
            }
        }
    }
    out.sort();
    out
}

fn read_opt(p: &Path) -> Option<Vec<u8>> {
    std::fs::read(p).ok()
}

/// Tracebacks show the absolute path of the script (CPython 3.9+), which depends on
/// where the repository is checked out: strip everything up to `fixtures/` (bless.py
/// does the same to python3's output).
fn normalize_paths(b: &[u8]) -> Vec<u8> {
    let s = String::from_utf8_lossy(b);
    let mut out = String::with_capacity(s.len());
    let mut rest: &str = &s;
    while let Some(i) = rest.find("File \"") {
        let (head, tail) = rest.split_at(i + 6);
        out.push_str(head);
        match (tail.find("/fixtures/"), tail.find('"')) {
            (Some(f), Some(q)) if f < q => {
                rest = &tail[f + "/fixtures/".len()..];
            }
            _ => rest = tail,
        }
    }
    out.push_str(rest);
    out.into_bytes()
}

/// The "error" of a fixture not run in this configuration (neither a pass nor a failure).
const SKIPPED: &str = "skipped under gc-stress";

/// Compare one fixture; `Err` describes the first difference.
fn check(rel: &str) -> Result<(), String> {
    let dir = fixtures_dir();
    let base = dir.join(rel.trim_end_matches(".py"));
    let expected_out = read_opt(&base.with_extension("out")).unwrap_or_default();
    let expected_err = normalize_paths(&read_opt(&base.with_extension("err")).unwrap_or_default());
    let expected_code: i32 = read_opt(&base.with_extension("code"))
        .map(|b| String::from_utf8_lossy(&b).trim().parse().unwrap_or(1))
        .unwrap_or(0);
    if cfg!(feature = "gc-stress") && rel.starts_with("stress/") {
        // Million-object programs with a collection after every allocation would take
        // hours (each collects a generation that may hold the big container).
        return Err(SKIPPED.into());
    }
    let mut out = run_with_timeout(&dir, rel)?;
    let code = out.status.code().unwrap_or(-1);
    // Every fixture runs with --gc-stats: its report (the tail of stderr) must say that
    // nothing the program created is alive after shutdown; then it is cut off.
    let marker: &[u8] = b"\n== pyvm gc statistics ==\n";
    // (A program that does not compile never runs: syntax/ fixtures have no report.)
    match out.stderr.windows(marker.len()).rposition(|w| w == marker) {
        Some(at) => {
            let report = String::from_utf8_lossy(&out.stderr[at..]).into_owned();
            out.stderr.truncate(at);
            if !report.contains("\nobjects alive after shutdown: 0") {
                return Err(format!("objects left alive after shutdown:{report}"));
            }
        }
        None if rel.starts_with("syntax/") => {}
        None => return Err(format!("no --gc-stats report (status {code}):\n{}", String::from_utf8_lossy(&out.stderr))),
    }
    if cfg!(feature = "gc-stress") {
        // Under gc-stress (a generation-0 collection at every safe point after an
        // allocation) nothing may crash; programs that watch the collector (gc counts,
        // __del__ or weakref timing, refcounts) legitimately print other numbers, so only
        // the others are compared exactly.
        let err = String::from_utf8_lossy(&out.stderr);
        if code < 0 || code == 70 || code == 101 || err.contains("panicked") || err.contains("internal error") {
            return Err(format!("crashed under gc-stress (status {code}):\n{err}"));
        }
        let src = std::fs::read_to_string(dir.join(rel)).unwrap_or_default();
        if ["gc", "__del__", "weakref", "getrefcount", "finalize"].iter().any(|w| src.contains(w)) {
            return Ok(());
        }
    }
    // bless.py removes the absolute fixtures directory wherever python3 printed it
    // (`__file__`, `co_filename`); do the same to pyvm's output.
    let abs = format!("{}/", dir.canonicalize().unwrap_or_else(|_| dir.clone()).display());
    let strip = |b: &[u8]| String::from_utf8_lossy(b).replace(&abs, "").into_bytes();
    out.stdout = strip(&out.stdout);
    out.stderr = strip(&out.stderr);
    if out.stdout != expected_out {
        return Err(format!(
            "stdout differs\n--- expected\n{}\n--- got\n{}",
            String::from_utf8_lossy(&expected_out),
            String::from_utf8_lossy(&out.stdout)
        ));
    }
    let stderr = normalize_paths(&out.stderr);
    if stderr != expected_err {
        return Err(format!(
            "stderr differs\n--- expected\n{}\n--- got\n{}",
            String::from_utf8_lossy(&expected_err),
            String::from_utf8_lossy(&stderr)
        ));
    }
    if code != expected_code {
        return Err(format!("exit status {code}, expected {expected_code}"));
    }
    Ok(())
}

/// Run `pyvm run rel` from `dir`, killing it after 30 s (180 s for the big programs of
/// `stress/`, which this unoptimised test build runs several times slower than release).
fn run_with_timeout(dir: &Path, rel: &str) -> Result<std::process::Output, String> {
    let limit = std::time::Duration::from_secs(if rel.starts_with("stress/") { 180 } else { 30 });
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_pyvm"))
        .current_dir(dir)
        .args(["run", "--gc-stats", rel])
        .env("PYTHONHASHSEED", "0")
        .env("PYVM_VERIFY_REFCOUNTS", if rel.starts_with("gc/") { "1" } else { "0" })
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run pyvm: {e}"))?;
    let start = std::time::Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if start.elapsed() > limit => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("timed out after {} s", limit.as_secs()));
            }
            Ok(None) => std::thread::sleep(std::time::Duration::from_millis(5)),
            Err(e) => return Err(e.to_string()),
        }
    }
    child.wait_with_output().map_err(|e| e.to_string())
}

fn known_failures() -> Vec<String> {
    std::fs::read_to_string(fixtures_dir().join("known_failures.txt"))
        .unwrap_or_default()
        .lines()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

#[test]
fn fixtures_match_cpython() {
    let progs = programs();
    assert!(!progs.is_empty(), "no fixtures found");
    let known = known_failures();
    let queue = Arc::new(Mutex::new(progs.clone()));
    let results = Arc::new(Mutex::new(Vec::new()));
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let q = queue.clone();
            let r = results.clone();
            std::thread::spawn(move || loop {
                let Some(p) = q.lock().unwrap().pop() else { break };
                let res = check(&p);
                r.lock().unwrap().push((p, res));
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let mut results = results.lock().unwrap().clone();
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let mut unexpected = Vec::new();
    let mut now_passing = Vec::new();
    let mut passed = 0;
    for (p, r) in &results {
        let is_known = known.contains(p);
        match (r, is_known) {
            (Ok(()), false) => passed += 1,
            (Ok(()), true) => now_passing.push(p.clone()),
            (Err(e), _) if e == SKIPPED => {}
            (Err(e), false) => unexpected.push(format!("=== {p}: {e}")),
            (Err(_), true) => {}
        }
    }
    for k in &known {
        assert!(progs.contains(k), "known_failures.txt lists {k}, which does not exist");
    }
    eprintln!("{passed} fixtures pass, {} known failures", known.len());
    assert!(
        unexpected.is_empty() && now_passing.is_empty(),
        "{} fixtures fail:\n{}\n\nnow passing (remove from fixtures/known_failures.txt): {:?}",
        unexpected.len(),
        unexpected.join("\n"),
        now_passing
    );
}
