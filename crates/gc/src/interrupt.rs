//! Asynchronous interruption of the interpreter: SIGINT (Ctrl-C) and watchdogs (the fuzz
//! targets' time limit). A signal handler may only touch atomics, so it sets
//! [`INTERRUPTED`] and the interpreter's [`ATTENTION`] flag; the interpreter loop, which
//! checks ATTENTION at every instruction boundary anyway, takes the flag
//! ([`take_interrupt`]) and raises `KeyboardInterrupt` there, as CPython's eval breaker
//! does. Nothing is checked on the hot path that was not checked before.
//!
//! [`ATTENTION`]: crate::ATTENTION

use crate::budget::ATTENTION;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Ask the interpreter to raise `KeyboardInterrupt` at its next instruction boundary.
/// Async-signal-safe (two atomic stores).
pub fn request_interrupt() {
    INTERRUPTED.store(true, Relaxed);
    ATTENTION.store(true, Relaxed);
}

/// Was an interrupt requested since the last call? (Clears the request.)
pub fn take_interrupt() -> bool {
    INTERRUPTED.swap(false, Relaxed)
}

/// Is an interrupt waiting (without taking it)? For blocking calls such as `time.sleep`
/// that wait in slices.
pub fn interrupt_pending() -> bool {
    INTERRUPTED.load(Relaxed)
}

extern "C" fn on_sigint(_sig: libc::c_int) {
    request_interrupt();
}

/// Route SIGINT to [`request_interrupt`] (the `pyvm` binary does this at start-up),
/// unless SIGINT is ignored (a background job of a shell): then it stays ignored, as
/// CPython leaves it.
pub fn install_sigint_handler() {
    let handler = on_sigint as extern "C" fn(libc::c_int);
    // SAFETY: `on_sigint` is async-signal-safe (it only stores to atomics), and
    // `signal` is called with a valid signal number and handler address.
    unsafe {
        let previous = libc::signal(libc::SIGINT, handler as libc::sighandler_t);
        if previous == libc::SIG_IGN {
            libc::signal(libc::SIGINT, libc::SIG_IGN);
        }
    }
}

/// Restore SIGINT's default action (used before re-raising it at exit, so the process
/// ends "killed by SIGINT" as CPython's does after a KeyboardInterrupt).
pub fn default_sigint_and_raise() {
    // SAFETY: plain libc calls with valid arguments; after SIG_DFL, raising SIGINT
    // terminates the process, which is the intent.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_DFL);
        libc::raise(libc::SIGINT);
    }
}
