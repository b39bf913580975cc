//! The whole VM on arbitrary source: compile and run it (with the standard library) on a
//! fresh interpreter thread, under a 256 MiB heap budget and a one-second watchdog that
//! interrupts the program (KeyboardInterrupt) until it ends. Any outcome is fine except
//! a panic, an abort, a sanitizer report or a hang. Each input's interpreter gives its
//! memory back when it is done (`pyvm_gc::release_thread_heap`), which also puts that
//! teardown under the fuzzer and the sanitizer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    // Programs that cannot compile are the compile target's business.
    if pyvm_compiler::compile(src, "<fuzz>").is_err() {
        return;
    }
    let src = src.to_string();
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
    // A fresh thread gives a fresh heap (the collector's state is per thread).
    let runner = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let mut vm = pyvm_vm::Vm::new(vec!["<fuzz>".to_string()]);
            pyvm_stdlib::install(&mut vm);
            let status = vm.run_program("<fuzz>", &src);
            // Give the built-in objects and the arenas back: without this every input
            // left ~100 KB behind and long runs hit the RSS limit.
            drop(vm);
            pyvm_gc::release_thread_heap();
            status
        })
        .expect("spawn interpreter thread");
    let r = runner.join();
    done.store(true, Ordering::Relaxed);
    let _ = watchdog.join();
    let _ = pyvm_gc::take_interrupt();
    pyvm_gc::set_heap_limit(usize::MAX);
    if let Err(e) = r {
        std::panic::resume_unwind(e);
    }
});
