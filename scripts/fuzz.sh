#!/usr/bin/env bash
# Builds memberkit's cargo-fuzz targets (fuzz/) and runs each for a while.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# SECONDS per target (default 3: the brief run of scripts/test.sh, over the
# seed corpus and a little beyond); TARGETs default to all of them.
# cargo-fuzz needs nightly flags: on the stable toolchain RUSTC_BOOTSTRAP=1
# allows them. cargo-fuzz itself is installed from crates.io when missing.
#
# The seeds in fuzz/corpus/<target> are only read; what a run finds goes to
# $FUZZ_WORK/corpus/<target> (kept between runs, default fuzz/target/work)
# and a crash's input to $FUZZ_ARTIFACTS/<target>/ (default fuzz/artifacts). Builds go to
# $FUZZ_TARGET_DIR (default: a cache folder outside the work tree, so a
# fresh clone on the same machine does not rebuild the dependencies).
# Every libFuzzer run's output goes to $FUZZ_WORK/logs/<target>.log.
# FUZZ_SEED fixes libFuzzer's random seed (scripts/test.sh sets 1, so its
# brief run takes the same path each time; unset, each run differs).
# FUZZ_FLAGS adds libFuzzer flags, e.g. for long runs that go on past a crash:
#   FUZZ_FLAGS="-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1" scripts/fuzz.sh 600
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-3}
shift || true
export RUSTC_BOOTSTRAP=1
target_dir=${FUZZ_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/memberkit/fuzz-target}
work=${FUZZ_WORK:-fuzz/target/work}
artifacts=${FUZZ_ARTIFACTS:-fuzz/artifacts}

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz from crates.io"
    cargo install cargo-fuzz --locked
fi

mapfile -t all < <(cd fuzz && cargo fuzz list)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")

(cd fuzz && cargo fuzz build --target-dir "$target_dir")
bin="$target_dir/x86_64-unknown-linux-gnu/release"

passed=0 failed=0
for t in "${targets[@]}"; do
    mkdir -p "$work/corpus/$t" "$work/logs" "$artifacts/$t"
    log="$work/logs/$t.log"
    # New inputs go to the first folder; the seeds are read from the second.
    # shellcheck disable=SC2086 # FUZZ_FLAGS is a list of flags
    if "$bin/$t" -max_total_time="$seconds" -max_len=4096 -timeout=20 -rss_limit_mb=2560 \
        -print_final_stats=1 -artifact_prefix="$artifacts/$t/" -seed="${FUZZ_SEED:-0}" ${FUZZ_FLAGS:-} \
        "$work/corpus/$t" "fuzz/corpus/$t" >"$log" 2>&1 &&
        [ -z "$(find "$artifacts/$t" -type f)" ]; then
        passed=$((passed + 1))
        stats=$(grep -E '^#[0-9]+' "$log" | tail -1 | sed -E 's/^(#[0-9]+)[^c]*(cov: [0-9]+ ft: [0-9]+).*/\1 \2/')
        printf '%-20s ok   %s\n' "$t" "$stats"
    else
        failed=$((failed + 1))
        printf '%-20s FAIL (log: %s)\n' "$t" "$log"
        grep -E -A12 "panicked|ERROR: libFuzzer|SUMMARY" "$log" | head -40 || true
        ls "$artifacts/$t" 2>/dev/null | sed "s|^|    artifact: $artifacts/$t/|"
    fi
done
printf 'fuzz: %d passed, %d failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]
