//! Snapshots of the memory reports (`pyvm run --trace-gc`, `--gc-stats`) on the
//! "Memory Leaks in Python" fixture programs. Pause times vary from run to run, so they
//! are replaced by `<t>` before comparing, and so is the number of objects a full
//! (generation 2) collection examines, which includes the interpreter's own start-up
//! objects and changes whenever a built-in is added; everything else (generations,
//! reasons, unreachable and freed counts, allocations by type) is deterministic.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// Replace every duration (`123 us`, `0.123 ms`) by `<t>`.
fn redact_times(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.lines() {
        let words: Vec<&str> = line.split(' ').collect();
        let mut i = 0;
        let mut parts = Vec::new();
        while i < words.len() {
            let w = words[i];
            let next_unit = words.get(i + 1).is_some_and(|u| matches!(u.trim_end_matches(','), "us" | "ms"));
            if next_unit && !w.is_empty() && w.chars().all(|c| c.is_ascii_digit() || c == '.') {
                let unit = words[i + 1];
                parts.push(format!("<t>{}", if unit.ends_with(',') { "," } else { "" }));
                i += 2;
            } else {
                parts.push(w.to_string());
                i += 1;
            }
        }
        out.push_str(&parts.join(" "));
        out.push('\n');
    }
    out
}

/// Replace what a full collection examined by `<n>`: in `--trace-gc` lines for
/// generation 2 and in the generation-2 row of the `--gc-stats` table.
fn redact_full_examined(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.lines() {
        if line.contains("generation 2 (") {
            if let Some(i) = line.find("examined ") {
                let rest = &line[i + "examined ".len()..];
                let end = rest.find(',').unwrap_or(rest.len());
                out.push_str(&format!("{}examined <n>{}", &line[..i], &rest[end..]));
                out.push('\n');
                continue;
            }
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.len() >= 3 && words[0] == "2" && words[1].chars().all(|c| c.is_ascii_digit()) && words[2].chars().all(|c| c.is_ascii_digit()) {
            let at = line.find(words[2]).unwrap_or(0);
            let at = at + line[at..].find(words[2]).unwrap_or(0);
            // Keep the column layout: the count is right-aligned in its field.
            let start = line[..at].trim_end().len();
            out.push_str(&format!("{}{:>width$}{}", &line[..start], "<n>", &line[at + words[2].len()..], width = at + words[2].len() - start));
            out.push('\n');
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn report(flags: &[&str], program: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_pyvm"))
        .current_dir(fixtures_dir())
        .arg("run")
        .args(flags)
        .arg(program)
        .output()
        .expect("run pyvm");
    assert!(out.status.success(), "{program} failed: {}", String::from_utf8_lossy(&out.stderr));
    // stdout must stay exactly CPython's: the reports go to stderr only.
    let expected = std::fs::read_to_string(fixtures_dir().join(program.replace(".py", ".out"))).unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected, "{program}: stdout changed by {flags:?}");
    redact_full_examined(&redact_times(&String::from_utf8_lossy(&out.stderr)))
}

#[test]
fn trace_gc_and_gc_stats_reports() {
    for prog in ["leak_global_list", "leak_del_cycle", "leak_unclosed_file"] {
        let path = format!("run/{prog}.py");
        let text = report(&["--trace-gc", "--gc-stats"], &path);
        insta::with_settings!({ snapshot_path => "snapshots/diagnostics", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(prog, text);
        });
    }
}

#[test]
fn cycles_report() {
    for prog in ["leak_del_cycle", "leak_global_list"] {
        let path = format!("run/{prog}.py");
        let text = report(&["--cycles"], &path);
        insta::with_settings!({ snapshot_path => "snapshots/diagnostics", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(format!("{prog}_cycles"), text);
        });
    }
}

#[test]
fn leaks_report() {
    for prog in ["leak_global_list", "leak_del_cycle", "leak_unclosed_file", "leak_graph_cycles"] {
        let path = format!("run/{prog}.py");
        let text = report(&["--leaks"], &path);
        insta::with_settings!({ snapshot_path => "snapshots/diagnostics", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(format!("{prog}_leaks"), text);
        });
    }
}

/// `--heap-graph OUT.dot`: the DOT text itself (node ids and labels are deterministic:
/// no addresses), and the node limit.
#[test]
fn heap_graph_dot() {
    let dir = std::env::temp_dir().join(format!("pyvm-heap-graph-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, limit) in [("leak_graph_cycles", "200"), ("leak_global_list", "12")] {
        let out = dir.join(format!("{name}.dot"));
        let stderr = report(&["--heap-graph", out.to_str().unwrap(), "--heap-graph-limit", limit], &format!("run/{name}.py"));
        assert_eq!(stderr, "", "{name}: nothing on stderr");
        let dot = std::fs::read_to_string(&out).unwrap();
        insta::with_settings!({ snapshot_path => "snapshots/diagnostics", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(format!("{name}_heap_graph"), dot);
        });
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `import pyvm`: why_alive() paths and heap_summary() (pyvm only, so the program lives
/// in fixtures/diagnostics rather than with the CPython-compared fixtures).
#[test]
fn pyvm_module_reports() {
    let out = Command::new(env!("CARGO_BIN_EXE_pyvm"))
        .current_dir(fixtures_dir())
        .args(["run", "diagnostics/pyvm_module.py"])
        .output()
        .expect("run pyvm");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    insta::with_settings!({ snapshot_path => "snapshots/diagnostics", prepend_module_to_snapshot => false, omit_expression => true }, {
        insta::assert_snapshot!("pyvm_module", String::from_utf8_lossy(&out.stdout));
    });
}

#[test]
fn redaction_keeps_counts() {
    assert_eq!(redact_times("pause 51 us\n"), "pause <t>\n");
    assert_eq!(
        redact_full_examined("[gc] generation 2 (shutdown): examined 4598, unreachable 0\n"),
        "[gc] generation 2 (shutdown): examined <n>, unreachable 0\n"
    );
    assert_eq!(redact_full_examined("2                    4      14300       4015\n"), "2                    4        <n>       4015\n");
    assert_eq!(redact_full_examined("0                    6       4251          0\n"), "0                    6       4251          0\n");
    assert_eq!(redact_times("0   3  0.278 ms  0.115 ms\n"), "0   3  <t>  <t>\n");
    assert_eq!(redact_times("freed 700, pause 39 us\n"), "freed 700, pause <t>\n");
}
