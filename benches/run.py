#!/usr/bin/env python3
"""pyvm vs CPython: the benchmark runner of issue 6.

Builds pyvm in release mode (unless --pyvm names a binary), then runs every
benchmark program of benches/ alternately under pyvm and python3 (the order
swaps on every round so neither interpreter always runs on a warm cache),
checks that both print the same checksum line, and prints a table of median
wall-clock seconds, the ratio pyvm/python3, and each interpreter's peak RSS
(the child's VmHWM, polled until it exits).
It also measures start-up on an empty file and the collector's cost as the
heap grows (gc_pause.py: gen-0 pauses beside 1,000,000 old objects;
gc_full.py: one full collection of a 1,000,000-container heap) and the peak
memory of the stress fixtures (fixtures/stress/: issue 8 asks for no more
than python3's), and writes the whole report to benches/RESULTS.md with the date and machine.

Usage:
    python3 benches/run.py [--runs N] [--only fib,nbody] [--pyvm PATH]
    python3 benches/run.py --stress-only [--pyvm PATH]
    cargo bench -p pyvm --bench vs_python3 -- [same options]
Timing lives here, never in the test suite.
"""

import argparse
import datetime
import math
import os
import platform
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.path.join(ROOT, "benches")
PROGRAMS = [
    "fib", "loop_arith", "binary_trees", "nbody", "richards", "spectral_norm",
    "fannkuch", "nqueens", "float", "gc_cycles", "dict_str", "closures_calls",
    "exceptions",
]
ENV = dict(os.environ, PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8")


def _vm_hwm_kib(pid):
    """The process's peak RSS so far (VmHWM, KiB), or 0 if /proc cannot tell."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def run_once(argv):
    """Run argv to completion; return (seconds, peak RSS in KiB, stdout, status).

    The peak is the child's VmHWM, polled every 2 ms until it exits. (wait4's ru_maxrss
    would include the runner's own memory, which the child inherits between fork and
    exec; VmHWM starts afresh at exec.) VmHWM never decreases, so the last reading is
    the peak up to the final 2 ms of the run; ru_maxrss is the fallback without /proc.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=ROOT, env=ENV)
    # The programs print a line or two, far below the pipe buffer, so waiting
    # before reading cannot deadlock.
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        peak = max(peak, _vm_hwm_kib(proc.pid))
        time.sleep(0.002)
    elapsed = time.perf_counter() - start
    if peak == 0:
        peak = usage.ru_maxrss
    proc.returncode = os.waitstatus_to_exitcode(status)
    out = proc.stdout.read().decode("utf-8", "replace")
    err = proc.stderr.read().decode("utf-8", "replace")
    proc.stdout.close()
    proc.stderr.close()
    if proc.returncode != 0:
        sys.stderr.write("%s failed (status %d):\n%s" % (" ".join(argv), proc.returncode, err[-2000:]))
    return elapsed, peak, out, proc.returncode


def measure(pyvm, script, runs):
    """Alternate the two interpreters `runs` times; medians and peaks for each."""
    times = {"pyvm": [], "python3": []}
    rss = {"pyvm": 0, "python3": 0}
    outs = {"pyvm": set(), "python3": set()}
    failed = False
    for r in range(runs):
        order = [("pyvm", [pyvm, "run", script]), ("python3", [sys.executable, script])]
        if r % 2:
            order.reverse()
        for name, argv in order:
            t, peak, out, code = run_once(argv)
            failed |= code != 0
            times[name].append(t)
            rss[name] = max(rss[name], peak)
            outs[name].add(out)
    same = not failed and outs["pyvm"] == outs["python3"] and len(outs["pyvm"]) == 1
    return statistics.median(times["pyvm"]), statistics.median(times["python3"]), rss, same, outs


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
            mem = ", %.0f GiB RAM" % (kib / 2**20)
    except (OSError, ValueError, IndexError):
        pass
    return "%s, %s, %d cores%s; %s" % (platform.system(), cpu, os.cpu_count() or 0, mem,
                                      "python3 " + platform.python_version())


def git_commit():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                              capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def mib(kib):
    return "%.1f" % (kib / 1024)


def gc_lines(out):
    return [l for l in out.splitlines() if not l.startswith("checksum")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="")
    ap.add_argument("--pyvm", default="")
    ap.add_argument("--no-results", action="store_true", help="do not write benches/RESULTS.md")
    ap.add_argument("--stress-only", action="store_true", help="only the stress fixtures' peak memory")
    args = ap.parse_args()

    pyvm = args.pyvm
    if not pyvm:
        subprocess.run(["cargo", "build", "--release", "-p", "pyvm"], cwd=ROOT, check=True)
        pyvm = os.path.join(ROOT, "target", "release", "pyvm")
    if args.stress_only:
        stress_memory(pyvm)
        return 0
    names = [n for n in args.only.split(",") if n] or PROGRAMS

    rows = []
    report = []
    head = "| benchmark | python3 s | pyvm s | ratio | python3 MiB | pyvm MiB | checksums |"
    rule = "|---|---:|---:|---:|---:|---:|---|"
    print(head)
    print(rule)
    for name in names:
        script = os.path.join("benches", name + ".py")
        tv, tp, rss, same, outs = measure(pyvm, script, args.runs)
        ratio = tv / tp
        rows.append(ratio)
        line = "| %s | %.3f | %.3f | %.2f | %s | %s | %s |" % (
            name, tp, tv, ratio, mib(rss["python3"]), mib(rss["pyvm"]), "same" if same else "DIFFER")
        print(line, flush=True)
        report.append(line)
        if not same:
            print("  pyvm:    %r\n  python3: %r" % (sorted(outs["pyvm"]), sorted(outs["python3"])))
    geo = math.exp(sum(math.log(r) for r in rows) / len(rows)) if rows else float("nan")
    print("geometric mean of ratios: %.2f" % geo)

    # Start-up: an empty program, many runs.
    empty = os.path.join(BENCH_DIR, "generated", "empty.py")
    os.makedirs(os.path.dirname(empty), exist_ok=True)
    open(empty, "w").close()
    st = {"pyvm": [], "python3": []}
    srss = {"pyvm": 0, "python3": 0}
    for _ in range(20):
        for name, argv in (("pyvm", [pyvm, "run", empty]), ("python3", [sys.executable, empty])):
            t, peak, _, _ = run_once(argv)
            st[name].append(t)
            srss[name] = max(srss[name], peak)
    startup = "start-up (empty file): pyvm %.1f ms, %s MiB; python3 %.1f ms, %s MiB" % (
        statistics.median(st["pyvm"]) * 1e3, mib(srss["pyvm"]),
        statistics.median(st["python3"]) * 1e3, mib(srss["python3"]))
    print(startup)

    # Collector cost as the heap grows: each program reports its own pauses.
    gc_report = []
    if not args.only:
        for name in ("gc_pause", "gc_full"):
            script = os.path.join("benches", name + ".py")
            for interp, argv in (("python3", [sys.executable, script]), ("pyvm", [pyvm, "run", script])):
                _, peak, out, _ = run_once(argv)
                for l in gc_lines(out):
                    text = "%s %-7s: %s (peak %s MiB)" % (name, interp, l, mib(peak))
                    print(text)
                    gc_report.append(text)

    stress_report = stress_memory(pyvm) if not args.only else []

    if not args.no_results and not args.only:
        with open(os.path.join(BENCH_DIR, "RESULTS.md"), "w") as f:
            f.write("# Benchmark results\n\n")
            f.write("Written by `python3 benches/run.py` (%d alternating runs each; medians).\n\n" % args.runs)
            f.write("- date: %s\n- machine: %s\n- pyvm commit: %s\n\n" % (
                datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), machine(), git_commit()))
            f.write(head + "\n" + rule + "\n" + "\n".join(report) + "\n\n")
            f.write("Geometric mean of the ratios pyvm/python3: **%.2f**\n\n" % geo)
            f.write(startup + "\n\n")
            if gc_report:
                f.write("Collector cost (`gc_pause.py`: gen-0 pauses beside 1,000,000 old containers;"
                        " `gc_full.py`: a full collection of 1,000,000 containers):\n\n")
                f.write("".join("    %s\n" % l for l in gc_report))
            if stress_report:
                f.write("\nPeak memory of the stress fixtures (fixtures/stress/, one run each):\n\n")
                f.write("\n".join(stress_report) + "\n")
    return 0


def stress_memory(pyvm):
    """Run each stress fixture once under both interpreters: same stdout, and peak
    RSS side by side (issue 8: no more than python3's). Returns the table's lines."""
    d = os.path.join(ROOT, "fixtures", "stress")
    lines = ["| stress fixture | python3 MiB | pyvm MiB | python3 s | pyvm s | output |",
             "|---|---:|---:|---:|---:|---|"]
    print("\n".join(lines))
    for f in sorted(os.listdir(d)):
        if not f.endswith(".py"):
            continue
        script = os.path.join(d, f)
        tp, rp, op, _ = run_once([sys.executable, script])
        tv, rv, ov, _ = run_once([pyvm, "run", script])
        line = "| %s | %s | %s | %.2f | %.2f | %s |" % (
            f[:-3], mib(rp), mib(rv), tp, tv, "same" if op == ov else "DIFFER")
        print(line, flush=True)
        lines.append(line)
    return lines


if __name__ == "__main__":
    sys.exit(main())
