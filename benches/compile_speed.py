#!/usr/bin/env python3
"""Compile speed: pyvm vs CPython on a generated 20,000-line program.

Builds pyvm in release mode, generates benches/generated/big.py (functions, classes,
loops, comprehensions, f-strings, try/except), then alternately times
`pyvm compile big.py` and `python3 -c "compile(open('big.py').read(), 'big.py', 'exec')"`,
each minus its interpreter's start-up on an empty file, and prints the median ratio.
Run: python3 benches/compile_speed.py
"""
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "benches", "generated")
PYVM = os.path.join(ROOT, "target", "release", "pyvm")


def generate(path, lines=20000):
    out = []
    i = 0
    while len(out) < lines:
        out += [
            f"def func_{i}(a, b=2, *args, c=3, **kw):",
            f"    '''Function {i}.'''",
            f"    total = a + b * c - len(args) // (1 + {i} % 7)",
            f"    for j in range(a):",
            f"        if j % 3 == 0 and not kw:",
            f"            total += j ** 2",
            f"        elif j in (1, 2, 3):",
            f"            total -= j",
            f"    return [x * 2 for x in range(total % 10) if x] or {{'k{i}': total}}",
            f"class Cls{i}(object):",
            f"    attr = {i}",
            f"    def method(self, value):",
            f"        try:",
            f"            return f'{{value!r:>10}} {{self.attr:{{4}}}}'",
            f"        except (TypeError, ValueError) as exc:",
            f"            raise RuntimeError('bad') from exc",
            f"        finally:",
            f"            self.attr += 1",
            f"result_{i} = func_{i}({i} % 13, *[1, 2], c=4, extra=None)",
            "",
        ]
        i += 1
    with open(path, "w") as f:
        f.write("\n".join(out[:lines]) + "\n")


def best_time(cmd, runs=5):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "pyvm"], cwd=ROOT, check=True)
    os.makedirs(GEN, exist_ok=True)
    big = os.path.join(GEN, "big.py")
    empty = os.path.join(GEN, "empty.py")
    generate(big)
    open(empty, "w").close()
    py = lambda f: [sys.executable, "-c", f"compile(open({f!r}).read(), {f!r}, 'exec')"]
    pv = lambda f: [PYVM, "compile", f]
    pyvm_t = best_time(pv(big)) - best_time(pv(empty))
    py_t = best_time(py(big)) - best_time(py(empty))
    print(f"compile 20,000 lines: pyvm {pyvm_t * 1000:.1f} ms, python3 {py_t * 1000:.1f} ms, ratio {pyvm_t / py_t:.2f}")


if __name__ == "__main__":
    main()
