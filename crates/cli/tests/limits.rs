//! Limits of `pyvm run`: the `--max-heap` budget raises MemoryError (catchable, and
//! with a traceback when uncaught), and sizes that cannot be allocated fail cleanly.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

fn pyvm(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_pyvm")).current_dir(fixtures_dir()).args(args).output().expect("run pyvm");
    (String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into(), out.status.code().unwrap_or(-1))
}

#[test]
fn max_heap_raises_memory_error() {
    let (out, err, code) = pyvm(&["run", "--max-heap", "64M", "diagnostics/max_heap.py"]);
    assert_eq!(out, "MemoryError after True chunks\nstill running 1000\n");
    assert!(err.starts_with("Traceback (most recent call last):\n"), "{err}");
    assert!(err.ends_with("\nMemoryError\n"), "{err}");
    assert_eq!(code, 1);
}

#[test]
fn max_heap_sizes_are_checked() {
    let (_, err, code) = pyvm(&["run", "--max-heap", "12Q", "-c", "pass"]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid size '12Q'"), "{err}");
    // Known sizes are refused before anything is allocated.
    let (out, _, code) = pyvm(&["run", "--max-heap", "32M", "-c", "try:\n    x = [0] * 10**7\nexcept MemoryError:\n    print('refused')\nprint(len([0] * 10**5))"]);
    assert_eq!((out.as_str(), code), ("refused\n100000\n", 0));
}

#[test]
fn huge_allocations_without_a_budget() {
    let prog = "for f in (lambda: [0] * 10**12, lambda: 'ab' * 10**12, lambda: bytes(10**12), lambda: bytearray(b'x') * 10**12):\n    try:\n        f()\n    except MemoryError:\n        print('MemoryError')";
    let (out, err, code) = pyvm(&["run", "-c", prog]);
    assert_eq!(out, "MemoryError\n".repeat(4), "{err}");
    assert_eq!(code, 0);
}

/// Ctrl-C: KeyboardInterrupt is raised in the program (catchable, also during
/// time.sleep); uncaught, it prints a traceback and the process ends by SIGINT, as
/// CPython's does (a shell shows status 130).
#[test]
fn sigint_raises_keyboard_interrupt() {
    use std::io::{BufRead, BufReader};
    use std::os::unix::process::ExitStatusExt;
    // 'start' is printed inside the try, so a signal that lands before the sleep
    // begins is caught all the same (it was a race under load).
    let prog = "import time\ntry:\n    print('start', flush=True)\n    time.sleep(30)\nexcept KeyboardInterrupt:\n    print('caught during sleep', flush=True)\nwhile True:\n    pass\n";
    let mut child = Command::new(env!("CARGO_BIN_EXE_pyvm"))
        .args(["run", "-c", prog])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run pyvm");
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let interrupt = |pid: u32| {
        let ok = Command::new("kill").args(["-INT", &pid.to_string()]).status().expect("kill").success();
        assert!(ok);
    };
    let mut line = String::new();
    out.read_line(&mut line).unwrap();
    assert_eq!(line, "start\n");
    interrupt(child.id());
    line.clear();
    out.read_line(&mut line).unwrap();
    assert_eq!(line, "caught during sleep\n");
    std::thread::sleep(std::time::Duration::from_millis(200));
    interrupt(child.id());
    let status = child.wait().unwrap();
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert!(err.starts_with("Traceback (most recent call last):\n"), "{err}");
    assert!(err.ends_with("KeyboardInterrupt\n"), "{err}");
    assert_eq!(status.signal(), Some(2), "{status:?}");
}

/// Both block allocators (arenas by default, one malloc block per object under
/// `PYVM_MALLOC=malloc`) run the same program to the same result, with every object freed
/// by shutdown.
#[test]
fn small_blocks_in_arenas_and_in_malloc_mode() {
    let prog = "import gc\nxs = [float(i) / 7 for i in range(20000)]\nss = [str(i) * 3 for i in range(5000)]\nbig = [10**30 + i for i in range(3000)]\ndel xs[::2], ss[1::3]\nys = [x * 2.5 for x in xs]\nprint(round(sum(ys), 6), len(ss), sum(big) % 1000003, gc.collect() >= 0)";
    let mut outs = Vec::new();
    for mode in ["", "malloc"] {
        let out = Command::new(env!("CARGO_BIN_EXE_pyvm"))
            .env("PYVM_MALLOC", mode)
            .args(["run", "--gc-stats", "-c", prog])
            .output()
            .expect("run pyvm");
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(0), "{stderr}");
        outs.push(stdout);
    }
    assert_eq!(outs[0], outs[1]);
    // python3 prints the same.
    assert_eq!(outs[0], "35714285.714286 3333 769491 True\n");
}
