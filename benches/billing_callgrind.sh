#!/usr/bin/env bash
# Instructions per invoice of a billing run, counted by valgrind's callgrind
# (stable on a shared machine, where wall-clock times are not): the release
# build of `core/examples/billing_run`, over ACCOUNTS new accounts (default
# 20,000) and their renewals, each input billed in a run of its own with its
# results kept. Only the timed function (`bill_kept`, or `bill_json` with
# --json) is counted (`--toggle-collect`), so making the input is not.
#
#   benches/billing_callgrind.sh [ACCOUNTS] [--json] [--annotate]
#
# --annotate also prints callgrind_annotate's inclusive profile of each run.
set -euo pipefail
cd "$(dirname "$0")/.."
accounts=20000
json=
annotate=
for arg in "$@"; do
    case "$arg" in
        --json) json=--json ;;
        --annotate) annotate=1 ;;
        *) accounts="$arg" ;;
    esac
done
CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-1}" cargo build -q --release -p memberkit --example billing_run
binary=target/release/examples/billing_run
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
function="bill_kept"
[ -n "$json" ] && function="bill_json"
for only in new renewals; do
    valgrind --tool=callgrind --callgrind-out-file="$out/$only.out" \
        --toggle-collect="billing_run::$function" \
        "$binary" "$accounts" --only "$only" $json >"$out/$only.txt" 2>"$out/$only.err"
    invoices="$(grep -m1 -o '[0-9]* invoices (' "$out/$only.txt" | cut -d' ' -f1)"
    instructions="$(grep -m1 '^summary:' "$out/$only.out" | awk '{print $2}')"
    if [ -z "$instructions" ]; then
        instructions="$(grep -m1 '^totals:' "$out/$only.out" | awk '{print $2}')"
    fi
    printf '%s (%s), of %s accounts: %s invoices, %s instructions, %s per invoice\n' \
        "$only" "$function" "$accounts" "$invoices" "$instructions" \
        "$(( instructions / invoices ))"
    if [ -n "$annotate" ]; then
        callgrind_annotate --inclusive=yes "$out/$only.out" | head -60
    fi
done
