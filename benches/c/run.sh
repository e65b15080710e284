#!/usr/bin/env bash
# Builds memberkit's release static library and the C benchmarks beside this
# script, and runs them: a chatbot turn, then a billing run.
# Usage: benches/c/run.sh [TURNS [ACCOUNTS [ROUNDS]]]
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build -q --release -p memberkit-ffi
out=target/c-benches
mkdir -p "$out"
for bench in chat_turn bill_run; do
    gcc -std=c11 -O2 -Wall -Wextra -Werror -Wpedantic -Iinclude "benches/c/$bench.c" \
        target/release/libmemberkit_ffi.a -lpthread -ldl -lm -o "$out/$bench"
done
"$out/chat_turn" ${1:+"$1"}
"$out/bill_run" ${2:+"$2"} ${3:+"$3"}
