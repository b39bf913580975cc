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
    /// `--leaks`: report what the roots keep alive, just before shutdown.
    pub leaks: bool,
    /// `--heap-graph OUT`: write the reachable heap as Graphviz DOT (SVG through `dot`
    /// when OUT ends in `.svg`), with at most `heap_graph_limit` objects.
    pub heap_graph: Option<String>,
    pub heap_graph_limit: usize,
    /// Objects alive per kind just before the program started: the interpreter's own
    /// (builtins, types, sys). `--gc-stats` reports what the program left beyond them.
    pub baseline: Vec<(u32, u64)>,
    /// Allocations per kind before the program started.
    pub alloc_at_start: Vec<(u32, u64)>,
    /// Interned strings before the program started.
    pub interned_at_start: usize,
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
            self.diagnostics.interned_at_start = self.interned.len();
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
        // Strings the program interned (identifiers, attribute names) stay in the intern
        // table for the interpreter's lifetime, as in CPython: not left over by the program.
        let interned = self.interned.len().saturating_sub(self.diagnostics.interned_at_start) as u64;
        let mut rows = Vec::new();
        let mut left_total = 0u64;
        for (kind, c) in pyvm_gc::kind_counts() {
            let before = baseline.get(&kind).copied().unwrap_or(0);
            let allocated = c.allocated - start_alloc.get(&kind).copied().unwrap_or(0);
            let alive = c.allocated.saturating_sub(c.freed);
            let mut left = alive.saturating_sub(before);
            if kind == crate::objects::kind::STR {
                left = left.saturating_sub(interned);
            }
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
        out.push_str(&format!("\nobjects alive after shutdown: {left_total}"));
        if interned > 0 {
            out.push_str(&format!(" (and {interned} interned strings, kept for the interpreter's lifetime)"));
        }
        out.push('\n');
        self.write_stderr(&out);
    }
}

// ----- --cycles ---------------------------------------------------------------------

use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    /// Allocation sites (file, line) of objects created while `--cycles` is on, by
    /// address. Recorded only when asked for: without the flag nothing is stored.
    static SITES: RefCell<Option<HashMap<usize, (std::rc::Rc<str>, u32)>>> = const { RefCell::new(None) };
    /// Cycles freed so far, by (shape, sites): (number of cycles, objects).
    static CYCLES: RefCell<HashMap<(String, String), (usize, usize)>> = RefCell::new(HashMap::new());
}

/// Start recording allocation sites and cycle shapes (`pyvm run --cycles`).
pub fn enable_cycle_report() {
    SITES.with(|s| *s.borrow_mut() = Some(HashMap::new()));
    let mut extra = pyvm_gc::extra_hooks();
    extra.on_garbage = Some(on_garbage);
    pyvm_gc::set_extra_hooks(extra);
}

/// Is `--cycles` recording? (One thread-local read; the interpreter checks it before
/// computing a source line.)
#[inline]
pub fn recording_sites() -> bool {
    SITES.with(|s| s.borrow().is_some())
}

/// Remember where `v` was allocated.
pub fn record_site(v: &pyvm_gc::Value, file: &std::rc::Rc<str>, line: u32) {
    if !v.is_ptr() {
        return;
    }
    SITES.with(|s| {
        if let Some(m) = s.borrow_mut().as_mut() {
            m.insert(v.raw(), (file.clone(), line));
        }
    });
}

fn type_name(v: &pyvm_gc::Value) -> String {
    if let Some(i) = v.downcast_ref::<crate::objects::Instance>() {
        let cls = i.cls();
        if let Some(t) = cls.downcast_ref::<crate::objects::Type>() {
            return t.name.borrow().to_string();
        }
    }
    v.type_name().to_string()
}

/// Mark a class the interpreter created for itself (see `TypeFlags::internal`).
pub fn mark_internal(v: &pyvm_gc::Value) {
    if let Some(t) = v.downcast_ref::<crate::objects::Type>() {
        let mut fl = t.flags.get();
        fl.internal = true;
        t.flags.set(fl);
    }
}

fn is_internal_type(v: &pyvm_gc::Value) -> bool {
    v.downcast_ref::<crate::objects::Type>().is_some_and(|t| t.flags.get().internal)
}

/// The collector's garbage, before it is cleared: find its reference cycles (strongly
/// connected components with more than one object, or an object referring to itself)
/// and count them by shape and allocation sites.
fn on_garbage(objs: &[pyvm_gc::Value]) {
    let index: HashMap<usize, usize> = objs.iter().enumerate().map(|(i, v)| (v.raw(), i)).collect();
    let edges: Vec<Vec<usize>> = objs
        .iter()
        .map(|v| pyvm_gc::get_referents(v).iter().filter_map(|r| index.get(&r.raw()).copied()).collect())
        .collect();
    for comp in strongly_connected(&edges) {
        let cyclic = comp.len() > 1 || edges[comp[0]].contains(&comp[0]);
        if !cyclic {
            continue;
        }
        // Cycles through the interpreter's own classes are not the program's.
        if comp.iter().any(|&i| is_internal_type(&objs[i])) {
            continue;
        }
        let mut members = comp.clone();
        members.sort_unstable();
        let names: Vec<String> = members.iter().map(|&i| type_name(&objs[i])).collect();
        let shape = if names.len() <= 6 {
            names.join(" -> ")
        } else {
            // Large components: how many objects of each type, most frequent first.
            let mut counts: Vec<(String, usize)> = Vec::new();
            for n in &names {
                match counts.iter_mut().find(|(t, _)| t == n) {
                    Some(e) => e.1 += 1,
                    None => counts.push((n.clone(), 1)),
                }
            }
            counts.sort_by(|a, b| b.1.cmp(&a.1));
            counts.iter().map(|(t, c)| format!("{c} {t}")).collect::<Vec<_>>().join(", ")
        };
        let mut sites: Vec<(std::rc::Rc<str>, u32)> = SITES.with(|s| {
            let s = s.borrow();
            let m = s.as_ref();
            members.iter().filter_map(|&i| m.and_then(|m| m.get(&objs[i].raw()).cloned())).collect()
        });
        sites.sort();
        sites.dedup();
        let sites = sites
            .iter()
            .map(|(f, l)| format!("{}:{l}", std::path::Path::new(&**f).file_name().map_or(f.to_string(), |n| n.to_string_lossy().to_string())))
            .collect::<Vec<_>>()
            .join(", ");
        CYCLES.with(|c| {
            let mut c = c.borrow_mut();
            let e = c.entry((shape, sites)).or_insert((0, 0));
            e.0 += 1;
            e.1 += members.len();
        });
    }
}

/// Tarjan's algorithm, iteratively (no recursion on deep graphs).
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = edges.len();
    let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut stack, mut out, mut next) = (Vec::new(), Vec::new(), 0);
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut work = vec![(root, 0usize)];
        while let Some(&mut (v, ref mut child)) = work.last_mut() {
            if *child == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*child) {
                *child += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut comp = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    comp.push(w);
                    if w == v {
                        break;
                    }
                }
                out.push(comp);
            }
        }
    }
    out
}

impl Vm {
    /// `--leaks` and `--heap-graph`: the reports made just before shutdown, by the
    /// `pyvm` module's `_leaks_report` and `_heap_graph` (written in Python over the gc
    /// module's get_referents).
    pub fn exit_reports(&mut self) {
        if self.diagnostics.leaks {
            match self.call_pyvm_report("_leaks_report", None) {
                Ok(text) => self.write_stderr(&text),
                Err(msg) => self.write_stderr(&format!("pyvm --leaks: {msg}\n")),
            }
        }
        if let Some(out) = self.diagnostics.heap_graph.clone() {
            let limit = self.diagnostics.heap_graph_limit;
            let r = self.call_pyvm_report("_heap_graph", Some(limit)).and_then(|dot| write_graph(&out, &dot));
            if let Err(msg) = r {
                self.write_stderr(&format!("pyvm --heap-graph: {msg}\n"));
            }
        }
    }

    fn call_pyvm_report(&mut self, name: &str, arg: Option<usize>) -> Result<String, String> {
        let fromlist = self.none.clone();
        let level = self.new_int(0);
        let r = self.import_module("pyvm", &fromlist, &level).and_then(|m| {
            let f = self.getattr_str(&m, name)?;
            let args: Vec<pyvm_gc::Value> = arg.map(|a| self.new_int(a as i64)).into_iter().collect();
            self.call(&f, &args, &[])
        });
        match r {
            Ok(v) => Ok(self.str_val(&v)),
            Err(e) => Err(self.format_exception(&e.0).trim_end().to_string()),
        }
    }

    /// `--cycles`: the report printed at exit.
    pub fn print_cycle_report(&mut self) {
        if !recording_sites() {
            return;
        }
        let mut rows: Vec<((String, String), (usize, usize))> = CYCLES.with(|c| c.borrow().iter().map(|(k, v)| (k.clone(), *v)).collect());
        rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
        let mut out = String::from("\n== reference cycles freed by the collector ==\n");
        if rows.is_empty() {
            out.push_str("(none)\n");
        }
        for ((shape, sites), (count, objects)) in rows {
            let per = objects / count.max(1);
            out.push_str(&format!(
                "{:>8} cycle{}  {shape} ({per} object{})",
                group_thousands(count),
                if count == 1 { " " } else { "s" },
                if per == 1 { "" } else { "s" }
            ));
            if !sites.is_empty() {
                out.push_str(&format!("  allocated at {sites}"));
            }
            out.push('\n');
        }
        self.write_stderr(&out);
    }
}

fn group_thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Write DOT text to `out`, or render it with Graphviz's `dot` when `out` ends in `.svg`.
fn write_graph(out: &str, dot: &str) -> Result<String, String> {
    if out.ends_with(".svg") {
        use std::io::Write;
        let mut child = std::process::Command::new("dot")
            .args(["-Tsvg", "-o", out])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot run Graphviz 'dot' to make {out} ({e}); write a .dot file instead"))?;
        if let Some(mut stdin) = child.stdin.take() {
            stdin.write_all(dot.as_bytes()).map_err(|e| e.to_string())?;
        }
        let status = child.wait().map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("'dot' failed ({status})"));
        }
    } else {
        std::fs::write(out, dot).map_err(|e| format!("cannot write {out}: {e}"))?;
    }
    Ok(String::new())
}
