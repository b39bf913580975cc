//! What `pyvm run --trace-gc` and `--gc-stats` print: one line per collection, and a
//! table of the collector's work and of allocations by type at exit. Everything goes to
//! stderr, so a program's stdout stays exactly CPython's. The counters themselves live
//! in pyvm-gc (`stats.rs`) and are kept whether or not a report is asked for.

use crate::vm::Vm;
use std::time::Duration;

/// Why a collection ran (the `--trace-gc` line says so).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GcReason {
    /// An allocation took generation 0's count past its threshold.
    Threshold,
    /// The program called `gc.collect()`.
    Explicit,
    /// The final collection at interpreter exit.
    Shutdown,
}

impl GcReason {
    pub fn text(self) -> &'static str {
        match self {
            GcReason::Threshold => "threshold",
            GcReason::Explicit => "gc.collect()",
            GcReason::Shutdown => "shutdown",
        }
    }
}

/// Diagnostic switches of `pyvm run`, and what they need to remember.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    pub trace_gc: bool,
    pub gc_stats: bool,
    /// Objects alive per kind just before the program started: the interpreter's own
    /// (builtins, types, sys). `--gc-stats` reports what the program left beyond them.
    pub baseline: Vec<(u32, u64)>,
    /// Allocations per kind before the program started.
    pub alloc_at_start: Vec<(u32, u64)>,
}

fn micros(d: Duration) -> String {
    format!("{} us", d.as_micros())
}

fn millis(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

impl Vm {
    /// `--trace-gc`: describe the collection that just finished.
    pub(crate) fn trace_collection(&mut self, reason: GcReason) {
        if !self.diagnostics.trace_gc {
            return;
        }
        let r = pyvm_gc::last_collection();
        let line = format!(
            "[gc] generation {} ({}): examined {}, unreachable {}, finalizers {}, resurrected {}, freed {}, pause {}\n",
            r.generation,
            reason.text(),
            r.examined,
            r.unreachable,
            r.finalizers,
            r.resurrected,
            r.collected,
            micros(r.pause)
        );
        self.write_stderr(&line);
    }

    /// Remember the interpreter's own live objects, before the program runs.
    pub(crate) fn capture_alloc_baseline(&mut self) {
        if self.diagnostics.gc_stats {
            let counts = pyvm_gc::kind_counts();
            self.diagnostics.baseline = counts.iter().map(|(k, c)| (*k, c.allocated.saturating_sub(c.freed))).collect();
            self.diagnostics.alloc_at_start = counts.iter().map(|(k, c)| (*k, c.allocated)).collect();
        }
    }

    /// `--gc-stats`: the report printed once the program and the shutdown sequence are
    /// over.
    pub fn print_gc_stats(&mut self) {
        if !self.diagnostics.gc_stats {
            return;
        }
        let mut out = String::from("\n== pyvm gc statistics ==\n");
        out.push_str(&format!(
            "{:<10} {:>11} {:>10} {:>10} {:>12} {:>13}\n",
            "generation", "collections", "examined", "collected", "total pause", "longest pause"
        ));
        for (g, s) in pyvm_gc::get_stats().iter().enumerate() {
            out.push_str(&format!(
                "{:<10} {:>11} {:>10} {:>10} {:>12} {:>13}\n",
                g,
                s.collections,
                s.examined,
                s.collected,
                millis(s.total_pause),
                millis(s.max_pause)
            ));
        }
        // Per type: what the program allocated and freed, and what it left alive
        // (objects beyond those the interpreter itself held before the program started).
        let baseline: std::collections::HashMap<u32, u64> = self.diagnostics.baseline.iter().copied().collect();
        let start_alloc: std::collections::HashMap<u32, u64> = self.diagnostics.alloc_at_start.iter().copied().collect();
        let mut rows = Vec::new();
        let mut left_total = 0u64;
        for (kind, c) in pyvm_gc::kind_counts() {
            let before = baseline.get(&kind).copied().unwrap_or(0);
            let allocated = c.allocated - start_alloc.get(&kind).copied().unwrap_or(0);
            let alive = c.allocated.saturating_sub(c.freed);
            let left = alive.saturating_sub(before);
            let freed = allocated.saturating_sub(left);
            left_total += left;
            if allocated > 0 || left > 0 {
                rows.push((pyvm_gc::kind_name(kind), allocated, freed, left));
            }
        }
        rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        out.push_str(&format!("\n{:<28} {:>10} {:>10} {:>8}\n", "objects by type", "allocated", "freed", "alive"));
        for (name, allocated, freed, left) in rows {
            out.push_str(&format!("{name:<28} {allocated:>10} {freed:>10} {left:>8}\n"));
        }
        out.push_str(&format!("\nobjects alive after shutdown: {left_total}\n"));
        self.write_stderr(&out);
    }
}
