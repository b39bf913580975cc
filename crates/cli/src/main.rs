//! The `pyvm` command: `pyvm run FILE [args]`, `pyvm run -c CODE`, `pyvm disasm FILE`.
#![forbid(unsafe_code)]

use clap::{Arg, ArgAction, Command};
use std::process::ExitCode;

mod repl;

/// Counts heap bytes for `--max-heap` (a thin wrapper over the system allocator).
#[global_allocator]
static ALLOC: pyvm_gc::CountingAlloc = pyvm_gc::CountingAlloc;

/// `--max-heap` sizes: bytes, or with a K/M/G suffix (powers of 1024; "MB"/"MiB" too).
fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let lower = t.to_ascii_lowercase();
    let digits_end = lower.find(|c: char| !c.is_ascii_digit()).unwrap_or(lower.len());
    let (num, unit) = lower.split_at(digits_end);
    let n: usize = num.parse().map_err(|_| format!("invalid size '{s}' (use e.g. 500000, 64K, 512M, 2G)"))?;
    let mult: usize = match unit.trim_end_matches("ib").trim_end_matches('b') {
        "" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        _ => return Err(format!("invalid size '{s}' (use e.g. 500000, 64K, 512M, 2G)")),
    };
    n.checked_mul(mult).ok_or_else(|| format!("size '{s}' is too large"))
}

fn cli() -> Command {
    Command::new("pyvm")
        .about("A Python 3.11 virtual machine with CPython's memory management, made visible")
        .subcommand_required(false)
        .subcommand(
            Command::new("run")
                .about("Run a Python program")
                .arg(Arg::new("code").short('c').value_name("CODE").help("Program passed in as a string"))
                .arg(
                    Arg::new("trace-gc")
                        .long("trace-gc")
                        .action(ArgAction::SetTrue)
                        .help("Print one line per garbage collection on stderr"),
                )
                .arg(
                    Arg::new("cycles")
                        .long("cycles")
                        .action(ArgAction::SetTrue)
                        .help("At exit, report the reference cycles the collector freed, by shape and allocation site"),
                )
                .arg(
                    Arg::new("gc-stats")
                        .long("gc-stats")
                        .action(ArgAction::SetTrue)
                        .help("Print collector and allocation statistics on stderr at exit"),
                )
                .arg(
                    Arg::new("leaks")
                        .long("leaks")
                        .action(ArgAction::SetTrue)
                        .help("Just before shutdown, report what module globals and class attributes keep alive, with reference paths"),
                )
                .arg(
                    Arg::new("heap-graph")
                        .long("heap-graph")
                        .value_name("OUT")
                        .help("Just before shutdown, write the objects reachable from module globals as Graphviz DOT (OUT.dot) or SVG (OUT.svg, needs dot)"),
                )
                .arg(
                    Arg::new("heap-graph-limit")
                        .long("heap-graph-limit")
                        .value_name("N")
                        .value_parser(clap::value_parser!(usize))
                        .default_value("200")
                        .help("At most N objects in the --heap-graph picture"),
                )
                .arg(
                    Arg::new("max-heap")
                        .long("max-heap")
                        .value_name("SIZE")
                        .value_parser(parse_size)
                        .help("Raise MemoryError when the heap grows beyond SIZE bytes (K, M, G suffixes)"),
                )
                .arg(Arg::new("file").value_name("FILE").help("The program file ('-' reads stdin)"))
                .arg(Arg::new("args").value_name("ARGS").num_args(0..).trailing_var_arg(true).allow_hyphen_values(true)),
        )
        .subcommand(
            Command::new("compile")
                .about("Compile a program without running it (SyntaxErrors are reported; used by benches)")
                .arg(Arg::new("file").value_name("FILE").required(true).action(ArgAction::Set)),
        )
        .subcommand(
            Command::new("disasm")
                .about("Print the bytecode of a program, as CPython's dis module does")
                .arg(Arg::new("file").value_name("FILE").required(true).action(ArgAction::Set)),
        )
}

fn read_source(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s).map_err(|e| e.to_string())?;
        return Ok(s);
    }
    match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let abs = std::path::absolute(path).map(|p| p.display().to_string()).unwrap_or_else(|_| path.to_string());
            format!(
                "SyntaxError: Non-UTF-8 code starting with '\\x{:02x}' in file {abs} on line {line}, but no encoding declared; see https://peps.python.org/pep-0263/ for details",
                bytes[at]
            )
        }),
        Err(e) => Err(format!(
            "pyvm: can't open file '{path}': [Errno {}] {}",
            e.raw_os_error().unwrap_or(2),
            match e.kind() {
                std::io::ErrorKind::NotFound => "No such file or directory".to_string(),
                _ => e.to_string(),
            }
        )),
    }
}

fn main() -> ExitCode {
    let m = cli().get_matches();
    // Ctrl-C raises KeyboardInterrupt in the program instead of killing the process.
    pyvm_gc::install_sigint_handler();
    // The interpreter runs on a thread with a large stack: Python calls never recurse on
    // it, but deep compiler input and nested Rust-to-Python calls may.
    let handle = std::thread::Builder::new().stack_size(512 << 20).spawn(move || -> i32 {
        // Nested interpreter runs stop with RecursionError 64 MiB before the end.
        pyvm_vm::stack::set_budget(448 << 20);
        match m.subcommand() {
            Some(("run", sub)) => {
                let args: Vec<String> = sub.get_many::<String>("args").map(|v| v.cloned().collect()).unwrap_or_default();
                let (filename, source, argv0) = if let Some(code) = sub.get_one::<String>("code") {
                    let mut extra = Vec::new();
                    if let Some(f) = sub.get_one::<String>("file") {
                        extra.push(f.clone());
                    }
                    ("<string>".to_string(), code.clone(), ["-c".to_string()].into_iter().chain(extra).collect::<Vec<_>>())
                } else {
                    let Some(path) = sub.get_one::<String>("file") else {
                        eprintln!("pyvm run: a FILE or -c CODE is required");
                        return 2;
                    };
                    match read_source(path) {
                        // Like CPython 3.9+, the main script's code objects carry its absolute path.
                        Ok(s) => (
                            if path == "-" {
                                "<stdin>".to_string()
                            } else {
                                std::path::absolute(path).map(|p| p.display().to_string()).unwrap_or_else(|_| path.clone())
                            },
                            s,
                            vec![path.clone()],
                        ),
                        Err(e) => {
                            eprintln!("{e}");
                            return 2;
                        }
                    }
                };
                let mut argv = argv0;
                argv.extend(args);
                let mut vm = pyvm_vm::Vm::new(argv);
                pyvm_stdlib::install(&mut vm);
                vm.diagnostics.trace_gc = sub.get_flag("trace-gc");
                vm.diagnostics.gc_stats = sub.get_flag("gc-stats");
                vm.diagnostics.leaks = sub.get_flag("leaks");
                if let Some(&limit) = sub.get_one::<usize>("max-heap") {
                    // The budget counts from here: what the interpreter itself holds is
                    // included, as in a process limit.
                    pyvm_gc::set_heap_limit(limit);
                }
                vm.diagnostics.heap_graph = sub.get_one::<String>("heap-graph").cloned();
                vm.diagnostics.heap_graph_limit = sub.get_one::<usize>("heap-graph-limit").copied().unwrap_or(200);
                if sub.get_flag("cycles") {
                    pyvm_vm::diagnostics::enable_cycle_report();
                }
                let status = vm.run_program(&filename, &source);
                if vm.exit_by_sigint {
                    pyvm_gc::default_sigint_and_raise();
                }
                status
            }
            Some(("compile", sub)) => {
                let path = sub.get_one::<String>("file").expect("required");
                let source = match read_source(path) {
                    Ok(s) => s,
                    Err(e) => {
                        eprintln!("{e}");
                        return 2;
                    }
                };
                match pyvm_compiler::compile(&source, path) {
                    Ok(_) => 0,
                    Err(e) => {
                        eprint!("{}", pyvm_vm::format_syntax_error(&e, path, &source));
                        1
                    }
                }
            }
            Some(("disasm", sub)) => {
                let path = sub.get_one::<String>("file").expect("required");
                let source = match read_source(path) {
                    Ok(s) => s,
                    Err(e) => {
                        eprintln!("{e}");
                        return 2;
                    }
                };
                match pyvm_compiler::compile(&source, path) {
                    Ok(code) => {
                        print!("{}", pyvm_compiler::dis::disassemble(&code));
                        0
                    }
                    Err(e) => {
                        eprint!("{}", pyvm_vm::format_syntax_error(&e, path, &source));
                        1
                    }
                }
            }
            None => {
                let mut vm = pyvm_vm::Vm::new(vec![String::new()]);
                pyvm_stdlib::install(&mut vm);
                repl::run(&mut vm)
            }
            _ => 2,
        }
    });
    match handle.map(|h| h.join()) {
        // As the OS reports a process's status: the low 8 bits (exit(256) is 0,
        // exit(-1) is 255).
        Ok(Ok(code)) => ExitCode::from((code & 0xff) as u8),
        _ => {
            eprintln!("pyvm: internal error");
            ExitCode::from(70)
        }
    }
}
