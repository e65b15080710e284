#!/usr/bin/env bash
# Runs every check and test suite of memberkit: formatting, clippy, the Rust
# tests (unit, property, doc and README examples, header drift), the crate as
# Rust hosts get it (packaged, documented, used from outside), every fuzz
# target for a few seconds, the C and C++ tests under sanitizers and
# valgrind (the threaded ones under ThreadSanitizer too), the installed
# library as C and C++ hosts build against it (CMake and pkg-config), the
# Python tests with stub checks, the Python wheel as
# a host installs it, a billing run sharded over Dask worker processes, and
# the event-store example in SQLite and PostgreSQL.
# Fails as soon as any part fails.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy -D warnings"
cargo clippy -q --workspace --all-targets --all-features -- -D warnings

step "Rust tests (core + ffi, with the header drift check)"
cargo test -q --all-features

step "Rust hosts: cargo package -p memberkit, cargo doc (warnings denied), a crate outside the workspace"
scripts/test-rust-host.sh

step "Fuzz targets, briefly (cargo-fuzz on stable via RUSTC_BOOTSTRAP=1; fuzz/README.md)"
FUZZ_SEED=1 scripts/fuzz.sh 3

step "C and C++ tests (ASan + UBSan, then valgrind memcheck)"
scripts/test-native.sh

step "C tests that share handles between 8 threads, under ThreadSanitizer (Rust built with -Zsanitizer=thread)"
scripts/test-tsan.sh

step "C and C++ hosts: install into a temporary prefix, build and run the examples (CMake, pkg-config)"
scripts/test-hosts.sh

step "Python package"
scripts/setup-python.sh

step "Python tests"
.venv/bin/python -m pytest -q -p no:cacheprovider python/tests

step "Python stubs (mypy.stubtest, mypy --strict)"
.venv/bin/python -m mypy.stubtest memberkit._memberkit
.venv/bin/python -m mypy --strict --no-incremental python/tests python/py_src/memberkit examples/event-store

step "Python wheel: the one built above, installed into a fresh venv outside the tree, smoke-tested"
scripts/test-wheel.sh

step "Past one machine: a billing run sharded over a Dask LocalCluster equals one process's, and reruns add nothing"
scripts/test-dask.sh

step "A real database: the event-store example against SQLite and a throwaway PostgreSQL server"
scripts/test-postgres.sh

printf '\nall checks passed\n'
