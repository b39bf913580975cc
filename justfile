# Convenience recipes (the README commands use cargo directly).

# Build and run the example program
run:
    cargo run --release -p pyvm -- run examples/memory.py

# The whole test suite (as CI runs it)
test:
    cargo test --workspace

# Regenerate every fixture's expected output with python3
bless:
    python3 fixtures/bless.py

# Accept changed disassembly snapshots
snap:
    INSTA_UPDATE=always cargo test -p pyvm --test disasm

# The gc crate's tests and the whole fixture suite with a generation-0 collection at
# every safe point after an allocation (nothing may crash; programs that do not watch
# the collector must still print exactly CPython's output)
stress:
    cargo test -p pyvm-gc --features gc-stress
    cargo test -p pyvm --features gc-stress --test fixtures

# The gc fixtures with the whole-heap refcount check before and after every collection
# (the fixture suite already does this for gc/; this runs run/ too)
verify-refcounts:
    PYVM_VERIFY_REFCOUNTS=1 cargo test -p pyvm --test fixtures

# A fixture subset under valgrind memcheck (release build; errors fail the run)
valgrind N="40":
    cargo build --release -p pyvm
    cd fixtures && for f in $(ls gc/*.py run/*.py | head -n {{N}}); do PYVM_MALLOC=malloc valgrind -q --error-exitcode=99 --leak-check=no ../target/release/pyvm run $f > /dev/null 2>/tmp/valgrind.err < /dev/null; rc=$?; if [ $rc -eq 99 ]; then echo "valgrind errors in $f"; cat /tmp/valgrind.err; exit 1; fi; done; echo "valgrind: clean"

# The whole test suite under AddressSanitizer (needs a nightly toolchain, or
# RUSTC_BOOTSTRAP=1 on stable). Leak detection is off: objects alive at exit (immortal
# types and singletons, interned strings) are never freed, by design, as in CPython.
# PYVM_MALLOC=malloc gives every small object its own malloc block (no arenas), so the
# sanitizer sees each one freed.
asan:
    PYVM_MALLOC=malloc ASAN_OPTIONS=detect_leaks=0 RUSTFLAGS=-Zsanitizer=address cargo +nightly test --workspace --target x86_64-unknown-linux-gnu
    ASAN_OPTIONS=detect_leaks=0 RUSTFLAGS=-Zsanitizer=address cargo +nightly test -p pyvm --test fixtures --target x86_64-unknown-linux-gnu

lint:
    cargo clippy --workspace --all-targets

# pyvm vs python3 on every benchmark; writes benches/RESULTS.md
bench:
    python3 benches/run.py

# Compile speed of a generated 20,000-line program, pyvm vs python3
bench-compile:
    python3 benches/compile_speed.py

# Differential fuzzing against python3: N random programs from seed S
fuzz-diff N="2000" S="1000":
    PYVM_FUZZ_PROGRAMS={{N}} PYVM_FUZZ_SEED={{S}} cargo test --release -p pyvm --test differential

# Coverage-guided fuzzing (cargo install cargo-fuzz): TARGET is compile (lexer, parser,
# compiler) or run (the whole VM, with a heap budget and a watchdog), for SECS seconds.
# The run target gives each input's interpreter back (pyvm_gc::release_thread_heap), so
# its RSS stays flat (about 490 MB after 150,000 inputs); leak detection stays off
# because the sanitizer's own bookkeeping is reported otherwise.
fuzz TARGET="compile" SECS="300":
    cd fuzz && ASAN_OPTIONS=detect_leaks=0 RUSTC_BOOTSTRAP=1 cargo fuzz run {{TARGET}} -- -max_total_time={{SECS}} -rss_limit_mb=4096 -detect_leaks=0 -timeout=10
