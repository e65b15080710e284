#!/usr/bin/env bash
# Builds memberkit's release static library and the C benchmarks beside this
# script, and runs them. Usage: benches/c/run.sh [TURNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build -q --release -p memberkit-ffi
out=target/c-benches
mkdir -p "$out"
gcc -std=c11 -O2 -Wall -Wextra -Werror -Wpedantic -Iinclude benches/c/chat_turn.c \
    target/release/libmemberkit_ffi.a -lpthread -ldl -lm -o "$out/chat_turn"
"$out/chat_turn" "$@"
