//! pyvm's standard library beyond the VM core (sys, gc, weakref, math and time live in
//! pyvm-vm). Modules that are naturally written in Python are: `lib/<name>.py`, written
//! for this project, embedded in the binary here and compiled by pyvm itself at first
//! import (their tracebacks show `<pyvm-lib>/<name>.py`). `install` registers them with
//! a VM; the CLI calls it right after creating the VM.
#![forbid(unsafe_code)]

use pyvm_vm::Vm;

mod os;
mod os_proc;
mod re;

/// Every embedded module: (import name, source text).
pub const SOURCE_MODULES: &[(&str, &str)] = &[
    ("bisect", include_str!("../lib/bisect.py")),
    ("heapq", include_str!("../lib/heapq.py")),
    ("functools", include_str!("../lib/functools.py")),
    ("operator", include_str!("../lib/operator.py")),
    ("string", include_str!("../lib/string.py")),
    ("keyword", include_str!("../lib/keyword.py")),
    ("io", include_str!("../lib/io.py")),
    ("_io_files", include_str!("../lib/_io_files.py")),
    ("typing", include_str!("../lib/typing.py")),
    ("itertools", include_str!("../lib/itertools.py")),
    ("collections", include_str!("../lib/collections.py")),
    ("collections.abc", include_str!("../lib/collections_abc.py")),
    ("copy", include_str!("../lib/copy.py")),
    ("contextlib", include_str!("../lib/contextlib.py")),
    ("random", include_str!("../lib/random.py")),
    ("enum", include_str!("../lib/enum.py")),
    ("dataclasses", include_str!("../lib/dataclasses.py")),
    ("pyvm", include_str!("../lib/pyvm.py")),
    ("textwrap", include_str!("../lib/textwrap.py")),
    ("abc", include_str!("../lib/abc.py")),
    ("types", include_str!("../lib/types.py")),
    ("fractions", include_str!("../lib/fractions.py")),
    ("re", include_str!("../lib/re.py")),
    ("_re_parser", include_str!("../lib/_re_parser.py")),
    ("errno", include_str!("../lib/errno.py")),
    ("tempfile", include_str!("../lib/tempfile.py")),
    ("shutil", include_str!("../lib/shutil.py")),
    ("stat", include_str!("../lib/stat.py")),
    ("warnings", include_str!("../lib/warnings.py")),
    ("__future__", include_str!("../lib/__future__.py")),
    ("json", include_str!("../lib/json.py")),
];

/// Make the embedded modules importable in `vm`.
pub fn install(vm: &mut Vm) {
    for (name, src) in SOURCE_MODULES {
        vm.source_modules.insert(name, src);
    }
    vm.native_modules.insert("os", os::init_os);
    vm.native_modules.insert("os.path", os::init_path);
    vm.native_modules.insert("posixpath", os::init_path);
    vm.native_modules.insert("_re", re::init);
}

#[cfg(test)]
mod tests {
    /// Every embedded module compiles (a syntax error would otherwise only show at import).
    #[test]
    fn embedded_modules_compile() {
        for (name, src) in super::SOURCE_MODULES {
            let file = format!("<pyvm-lib>/{name}.py");
            if let Err(e) = pyvm_compiler::compile(src, &file) {
                panic!("{file}:{}: {}", e.line, e.msg);
            }
        }
    }
}
