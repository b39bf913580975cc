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

# The fixture suite with a collection at every safe point
stress:
    cargo test -p pyvm-gc --features gc-stress

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
