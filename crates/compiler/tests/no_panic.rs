//! Feeds the compiler thousands of seeded random and mutated inputs: each must either
//! compile or give a SyntaxError — never panic or overflow the stack.

use std::path::Path;

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn corpus() -> Vec<String> {
    let mut out = Vec::new();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    for sub in ["run", "errors", "syntax", "gc"] {
        if let Ok(rd) = std::fs::read_dir(dir.join(sub)) {
            for e in rd.flatten() {
                if e.path().extension().is_some_and(|x| x == "py") {
                    if let Ok(s) = std::fs::read_to_string(e.path()) {
                        out.push(s);
                    }
                }
            }
        }
    }
    out.push("def f(a, *b, c=1, **d):\n    return [x async for x in y]\n".into());
    out.push("match x:\n    case [1, *r] | {'k': v}: pass\n    case P(a=1): pass\n".into());
    out.push("x = f'{a!r:>{w}} {b=}' + rb'\\x00' \"\"\"t\"\"\"\n".into());
    out
}

const PIECES: &[&str] = &[
    "(", ")", "[", "]", "{", "}", ":", ",", "=", "==", "\n", "    ", "\t", "'", "\"", "\"\"\"", "f'", "{", "lambda", "yield", "await",
    "async ", "def ", "class ", "if ", "else", "elif ", "try:", "except", "finally:", "with ", "as ", "*", "**", "@", "->", ":=",
    "return", "global x", "nonlocal y", "import", "from", "del ", "\\", "#", "0x", "1e", "1_", "09", "'\\N{", "\x00", "é", "€",
    "match ", "case ", "_", "...", ";", "pass", "break", "continue", "not ", " is ", " in ",
];

fn mutate(rng: &mut Rng, src: &str) -> String {
    let mut s: Vec<char> = src.chars().collect();
    for _ in 0..1 + rng.below(4) {
        match rng.below(4) {
            0 if !s.is_empty() => {
                let i = rng.below(s.len());
                s.remove(i);
            }
            1 => {
                let i = rng.below(s.len() + 1);
                let p = PIECES[rng.below(PIECES.len())];
                for (k, c) in p.chars().enumerate() {
                    s.insert(i + k, c);
                }
            }
            2 if s.len() > 2 => {
                let a = rng.below(s.len());
                let b = (a + rng.below(20)).min(s.len());
                let chunk: Vec<char> = s[a..b].to_vec();
                let at = rng.below(s.len());
                for (k, c) in chunk.into_iter().enumerate() {
                    s.insert(at + k, c);
                }
            }
            _ => {
                let i = rng.below(s.len() + 1);
                s.truncate(i);
            }
        }
    }
    s.into_iter().collect()
}

fn in_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> std::thread::Result<T> {
    std::thread::Builder::new().stack_size(256 << 20).spawn(f).unwrap().join()
}

#[test]
fn mutated_programs_never_panic() {
    let corpus = corpus();
    let mut rng = Rng(0x9E3779B97F4A7C15);
    let mut inputs = Vec::new();
    for _ in 0..3000 {
        let base = &corpus[rng.below(corpus.len())];
        inputs.push(mutate(&mut rng, base));
    }
    for _ in 0..500 {
        let n = rng.below(80);
        let s: String = (0..n).map(|_| PIECES[rng.below(PIECES.len())]).collect();
        inputs.push(s);
    }
    let r = in_big_stack(move || {
        for s in inputs {
            let res = std::panic::catch_unwind(|| pyvm_compiler::compile(&s, "fuzz.py"));
            if res.is_err() {
                panic!("compiler panicked on input:\n{s:?}");
            }
        }
    });
    assert!(r.is_ok(), "compiler panicked");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for src in [
        "(".repeat(10_000) + &")".repeat(10_000),
        "-".repeat(10_000) + "1",
        "x = ".to_string() + &"[".repeat(5000) + &"]".repeat(5000),
        "not ".repeat(10_000) + "x",
    ] {
        let r = in_big_stack(move || pyvm_compiler::compile(&src, "deep.py").is_err());
        assert!(r.is_ok(), "compiler crashed on deep nesting");
    }
    let r = in_big_stack(|| pyvm_compiler::compile(&("(".repeat(10_000) + &")".repeat(10_000)), "deep.py").is_err());
    assert!(r.unwrap(), "10,000 nested parentheses must be a SyntaxError");
}
