//! The whole VM on arbitrary source: compile and run it (with the standard library) on
//! the interpreter thread, under a 256 MiB heap budget and a one-second watchdog that
//! interrupts the program (KeyboardInterrupt) until it ends. Any outcome is fine except
//! a panic, an abort, a sanitizer report or a hang.
//!
//! One long-lived interpreter thread runs every input, each with a new `Vm`; after each
//! the interpreter is dropped and `pyvm_gc::release_thread_heap` gives back everything
//! it left (the built-in objects, the arenas) and resets the collector's settings, so
//! the next input starts as on a fresh thread. That keeps long runs flat in memory (a
//! thread per input grew ~100 KB per input under the sanitizer) and puts the teardown
//! itself under the fuzzer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::any::Any;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

type Outcome = Result<i32, Box<dyn Any + Send>>;

struct Interpreter {
    programs: Sender<String>,
    outcomes: Receiver<Outcome>,
}

fn interpreter() -> &'static Mutex<Interpreter> {
    static INTERPRETER: OnceLock<Mutex<Interpreter>> = OnceLock::new();
    INTERPRETER.get_or_init(|| {
        let (programs, inbox) = channel::<String>();
        let (outbox, outcomes) = channel::<Outcome>();
        std::thread::Builder::new()
            .stack_size(256 << 20)
            .spawn(move || {
                for src in inbox {
                    let r = std::panic::catch_unwind(move || {
                        let mut vm = pyvm_vm::Vm::new(vec!["<fuzz>".to_string()]);
                        pyvm_stdlib::install(&mut vm);
                        let status = vm.run_program("<fuzz>", &src);
                        drop(vm);
                        pyvm_gc::release_thread_heap();
                        status
                    });
                    let failed = r.is_err();
                    if outbox.send(r).is_err() || failed {
                        // After a panic the thread's heap is in an unknown state: the
                        // fuzzer reports the crash and stops.
                        return;
                    }
                }
            })
            .expect("spawn interpreter thread");
        Mutex::new(Interpreter { programs, outcomes })
    })
}

/// Is there a `**` whose right operand is a literal of five or more digits, or a power
/// tower (`65**81**40**4`: the exponent is itself a power)? One such power is a single
/// big-int operation (`9899808**999980`: seconds, and over ten under the sanitizer;
/// `81**(40**4)` has five million digits) that no watchdog can interrupt -- CPython's
/// cannot either. Its time is the big-int library's, not the VM's, so those inputs are
/// skipped.
fn has_huge_power(src: &str) -> bool {
    src.match_indices("**").any(|(i, _)| {
        let rest = src[i + 2..].trim_start_matches([' ', '(', '+', '-']);
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        digits >= 5 || (digits > 0 && rest[digits..].trim_start_matches([' ', ')']).starts_with("**"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    // Programs that cannot compile are the compile target's business.
    if has_huge_power(src) || pyvm_compiler::compile(src, "<fuzz>").is_err() {
        return;
    }
    let interp = interpreter().lock().unwrap();
    pyvm_gc::set_heap_limit(pyvm_gc::heap_in_use() + (256 << 20));
    let done = Arc::new(AtomicBool::new(false));
    let watchdog = {
        let done = done.clone();
        std::thread::spawn(move || {
            let start = std::time::Instant::now();
            while !done.load(Ordering::Relaxed) {
                if start.elapsed() > Duration::from_secs(1) {
                    pyvm_gc::request_interrupt();
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        })
    };
    interp.programs.send(src.to_string()).expect("interpreter thread alive");
    let r = interp.outcomes.recv().expect("interpreter thread alive");
    done.store(true, Ordering::Relaxed);
    let _ = watchdog.join();
    let _ = pyvm_gc::take_interrupt();
    pyvm_gc::set_heap_limit(usize::MAX);
    if let Err(e) = r {
        std::panic::resume_unwind(e);
    }
});
