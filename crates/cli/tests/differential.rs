//! Differential fuzzing against CPython: a seeded generator writes random but valid
//! Python programs (ints including big ones, floats, strings, lists, dicts, sets,
//! functions, closures, classes with `__del__`, reference cycles and `gc.collect()`,
//! try/except, generators); each runs under pyvm and python3 and the outputs must be
//! identical. This test runs a quick fixed-seed batch; `PYVM_FUZZ_PROGRAMS=N` and
//! `PYVM_FUZZ_SEED=S` run more (see the justfile's `fuzz-diff`), `PYVM_FUZZ_BIN` names the pyvm
//! binary to test (default: this build). A mismatch prints the
//! program, which then becomes a fixture once fixed.

use std::path::PathBuf;
use std::process::Command;

/// xorshift64*: small, seedable, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
    fn int(&mut self) -> String {
        match self.below(6) {
            0 => format!("{}", self.below(10)),
            1 => format!("-{}", self.below(1000)),
            2 => format!("{}", self.next() % 100_000_000_000),
            3 => format!("{}", (self.next() >> 1) as i64),
            4 => format!("{}**{}", 2 + self.below(5), 10 + self.below(80)),
            _ => format!("{}", self.below(256)),
        }
    }
    fn float(&mut self) -> String {
        match self.below(4) {
            0 => format!("{}.{}", self.below(100), self.below(1000)),
            1 => format!("-{}.5", self.below(10)),
            2 => format!("{}e{}", 1 + self.below(9), self.below(40) as i64 - 20),
            _ => format!("1/{}", 1 + self.below(12)),
        }
    }
    fn word(&mut self) -> &'static str {
        self.pick(&["alpha", "beta", "Gamma", "delta x", "", "e", "zeta-eta", "ΘΙ", "a,b,c", "  pad  "])
    }
}

fn statement(r: &mut Rng, i: usize) -> String {
    let v = format!("v{i}");
    match r.below(14) {
        0 => {
            let (a, b) = (r.int(), r.int());
            let op = r.pick(&["+", "-", "*", "//", "%", "&", "|", "^", "<", "==", ">="]);
            format!("{v} = ({a}) {op} ({b})\nprint({v})")
        }
        1 => {
            let (a, b) = (r.float(), r.float());
            let op = r.pick(&["+", "-", "*", "/", "<", "=="]);
            format!("{v} = ({a}) {op} ({b})\nprint(repr({v}), round({v} if isinstance({v}, float) else 0.0, 3))")
        }
        2 => {
            let (a, b) = (r.int(), r.float());
            format!("{v} = divmod({a}, {n})\nprint({v}, int({b}), float({a}) if abs({a}) < 10**300 else 0, hex({a}), bin({n}))", n = 1 + r.below(50))
        }
        3 => {
            let w = r.word();
            let m = r.pick(&["upper()", "lower()", "title()", "split(',')", "strip()", "replace('a', 'A')", "find('e')", "center(12, '*')", "zfill(8)", "isalpha()"]);
            format!("{v} = {w:?}.{m}\nprint(repr({v}), len({w:?}), {w:?}[1:{k}], {w:?}[::-1])", k = r.below(6))
        }
        4 => {
            let (a, b) = (r.int(), r.float());
            let spec = r.pick(&["", ">10", "<8", "^9", "+", ",", "_", "x", "08.3f", ".2e", ".3g", "%"]);
            let num = if spec.ends_with('x') || spec == "," || spec == "_" { a } else { b };
            format!("try:\n    print(f'{{{num}:{spec}}}|{{{v}!r}}' if False else format({num}, {spec:?}))\nexcept Exception as e:\n    print(type(e).__name__, e)")
        }
        5 => {
            let n = 2 + r.below(8);
            format!(
                "{v} = [({}*k*k + {}) % 17 for k in range({n})]\n{v}.sort(reverse={})\n{v}.append({v}[0] if {v} else 0)\nprint({v}, {v}[1:{}], sum({v}), max({v}), {v}.count(3), sorted({v}, key=lambda x: -x)[:3])",
                r.below(5), r.below(9), r.pick(&["True", "False"]), r.below(5)
            )
        }
        6 => {
            let n = 3 + r.below(8);
            format!(
                "{v} = {{}}\nfor k in range({n}):\n    {v}[str(k * {m} % 7)] = k\ndel_key = str({d})\nif del_key in {v}:\n    del {v}[del_key]\nprint({v}, list({v}.items())[:3], {v}.get('x', 'none'), {v}.setdefault('z', 0), len({v}))",
                m = 1 + r.below(6),
                d = r.below(7)
            )
        }
        7 => {
            let w = r.word();
            format!("{v} = set({w:?}) | {{'q', 'r'}}\nprint(sorted({v}), len({v} & set('aeiou')), {v} - {{'q'}} == {v}.difference({{'q'}}))")
        }
        8 => format!(
            "def f{i}(a, b={b}, *args, k={k}, **kw):\n    def inner(x):\n        return x + a + k\n    return inner(b) + len(args) + len(kw)\nprint(f{i}({a}), f{i}(1, 2, 3, 4, k=5, z=6))",
            a = r.below(100),
            b = r.below(10),
            k = r.below(10)
        ),
        9 => format!(
            "import gc\nclass C{i}:\n    def __init__(self, n):\n        self.n = n\n    def __del__(self):\n        print('del C{i}', self.n)\nc = C{i}(1)\nd = C{i}(2)\nc.other = d\nd.other = c\ndel c, d\nprint('collected', gc.collect())\ne = C{i}(3)\ndel e"
        ),
        10 => {
            let key = r.pick(&["[5]", "['missing']", "[0]"]);
            format!(
                "seq, mapping = [1, 2, 3], {{'a': 1}}\ntry:\n    {v} = seq{key} if {flag} else mapping{key}\n    print({v})\nexcept (IndexError, KeyError, TypeError) as e:\n    print(type(e).__name__, e)\ntry:\n    print(1 / {z})\nexcept ZeroDivisionError as e:\n    print('ZeroDivisionError', e)\nfinally:\n    print('finally {i}')",
                flag = r.pick(&["True", "False"]),
                z = r.below(2)
            )
        }
        11 => {
            let n = r.below(10);
            format!("def g{i}(n):\n    for k in range(n):\n        if k % 3 == {m}:\n            continue\n        yield k * k\nprint(list(g{i}({n})), sum(g{i}({n})), next(g{i}({n}), 'empty'))", m = r.below(3))
        }
        12 => format!(
            "{v} = ({a}, '{w}', [{b}], None, True)\nprint({v}, {v}[1:], {v} == ({a}, '{w}', [{b}], None, True), hash(({a}, '{w}')) == hash(({a}, '{w}')))",
            a = r.int(),
            b = r.int(),
            w = r.pick(&["x", "yz", ""])
        ),
        _ => format!(
            "{v} = sorted([{a}, {b}, {c}])\nprint({v}, str({a})[:20], abs({b}), pow({s}, {e}, 97), {a} > {b})",
            a = r.int(),
            b = r.int(),
            c = r.int(),
            s = 2 + r.below(20),
            e = r.below(200)
        ),
    }
}

fn program(seed: u64) -> String {
    let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let n = 5 + r.below(10) as usize;
    let mut src = String::new();
    for i in 0..n {
        src.push_str(&statement(&mut r, i));
        src.push('\n');
    }
    src
}

fn run(cmd: &str, args: &[&str], path: &PathBuf) -> (String, String, Option<i32>) {
    let out = Command::new(cmd).args(args).arg(path).env("PYTHONHASHSEED", "0").env("PYTHONIOENCODING", "utf-8").output().unwrap();
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned(), out.status.code())
}

#[test]
fn differential_against_python3() {
    if Command::new("python3").arg("-c").arg("1").output().is_err() {
        eprintln!("python3 not found: skipping the differential test");
        return;
    }
    let count: u64 = std::env::var("PYVM_FUZZ_PROGRAMS").ok().and_then(|s| s.parse().ok()).unwrap_or(150);
    let seed0: u64 = std::env::var("PYVM_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    // PYVM_FUZZ_BIN fuzzes another build (a copy of the binary, so that long runs are
    // not disturbed by rebuilding this one).
    let bin = std::env::var("PYVM_FUZZ_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_pyvm").to_string());
    let dir = std::env::temp_dir().join(format!("pyvm-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut failures = Vec::new();
    for s in seed0..seed0 + count {
        let src = program(s);
        let path = dir.join(format!("prog{s}.py"));
        std::fs::write(&path, &src).unwrap();
        let want = run("python3", &[], &path);
        let got = run(&bin, &["run"], &path);
        let norm = |e: &str| e.replace(&path.display().to_string(), "PROG");
        if want.0 != got.0 || want.2 != got.2 || norm(&want.1) != norm(&got.1) {
            failures.push(format!(
                "seed {s}\n--- program\n{src}--- python3 stdout\n{}--- pyvm stdout\n{}--- python3 stderr\n{}--- pyvm stderr\n{}",
                want.0, got.0, want.1, got.1
            ));
        } else {
            let _ = std::fs::remove_file(&path);
        }
    }
    let _ = std::fs::remove_dir(&dir);
    assert!(failures.is_empty(), "{} of {count} programs differ:\n{}", failures.len(), failures.join("\n"));
}
