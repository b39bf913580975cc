//! Interpreters run one after another on one thread give everything back: after each
//! program and `pyvm_gc::release_thread_heap`, no object is left on the thread (the
//! built-in types and the other immortal objects included) and the small-object arenas
//! are returned. This is what lets the fuzz harness run unbounded; under the
//! AddressSanitizer pass of CI it also checks that no immortal object is freed while
//! something still refers to it.

const PROGRAM: &str = r#"
import gc, weakref, collections

class Node:
    def __init__(self, name):
        self.name = name
        self.peer = None
    def __del__(self):
        pass

a, b = Node("a"), Node("b")
a.peer, b.peer = b, a
r = weakref.ref(a)
del a, b
gc.collect()
d = collections.OrderedDict((str(i), [i] * 3) for i in range(50))
print(len(d), r() is None, sorted({1, 2, 3} | {4}))
# Collector settings do not outlive the interpreter on this thread.
print(gc.get_threshold(), gc.isenabled())
gc.set_threshold(123, 4, 5)
gc.disable()
"#;

fn run_once() -> (usize, pyvm_gc::Released) {
    let mut vm = pyvm_vm::Vm::new(vec!["<teardown>".to_string()]);
    pyvm_stdlib::install(&mut vm);
    let status = vm.run_program("<teardown>", PROGRAM);
    assert_eq!(status, 0);
    drop(vm);
    let released = pyvm_gc::release_thread_heap();
    (pyvm_gc::live_objects(), released)
}

#[test]
fn interpreters_in_sequence_leave_nothing_behind() {
    // A thread of its own: a fresh heap, not shared with other tests.
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(|| {
            for round in 0..3 {
                let (live, released) = run_once();
                let left: Vec<String> = pyvm_gc::kind_counts()
                    .into_iter()
                    .filter(|(_, c)| c.allocated > c.freed)
                    .map(|(k, c)| format!("{} x{}", pyvm_gc::kind_name(k), c.allocated - c.freed))
                    .collect();
                assert_eq!(live, 0, "round {round}: objects left after teardown ({released:?}): {left:?}");
                assert_eq!(released.immortals_kept, 0, "round {round}");
                assert!(released.immortals_freed > 100, "round {round}: {released:?}");
                assert_eq!(pyvm_gc::immortal_objects(), 0, "round {round}");
                assert_eq!(pyvm_gc::get_threshold(), (700, 10, 10), "round {round}");
                assert!(pyvm_gc::is_enabled(), "round {round}");
                if std::env::var_os("PYVM_MALLOC").is_none_or(|v| v != "malloc") {
                    assert!(released.arenas_freed > 0, "round {round}: {released:?}");
                }
            }
        })
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn a_kept_reference_keeps_its_object() {
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(|| {
            let mut vm = pyvm_vm::Vm::new(vec!["<teardown>".to_string()]);
            pyvm_stdlib::install(&mut vm);
            let none = vm.none.clone();
            drop(vm);
            let released = pyvm_gc::release_thread_heap();
            assert!(released.immortals_kept >= 1, "{released:?}");
            assert_eq!(released.arenas_freed, 0, "objects are still alive: {released:?}");
            assert_eq!(format!("{:?}", none.raw() != 0), "true");
            drop(none);
            let again = pyvm_gc::release_thread_heap();
            assert_eq!(pyvm_gc::live_objects(), 0, "{again:?}");
        })
        .unwrap()
        .join()
        .unwrap();
}
