#!/usr/bin/env bash
# Sets everything up (the Rust workspace, the C library and header, the Python
# package in .venv) and runs memberkit's main demo.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== building the Rust workspace and the C library"
cargo build -q --release -p memberkit -p memberkit-ffi
echo "== installing the Python package into .venv"
scripts/setup-python.sh
echo "== the demo"
echo
cargo run -q --release -p memberkit --example demo
