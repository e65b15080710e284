#!/usr/bin/env bash
# Runs the C tests that share handles between threads (8 pthreads each: a
# catalog, a model, a billing config and event log, a booking book, an
# assistant) under ThreadSanitizer, with the library itself instrumented too.
#
# ThreadSanitizer needs every Rust crate, the standard library included,
# built with -Zsanitizer=thread: on the stable toolchain RUSTC_BOOTSTRAP=1
# allows the flag and -Zbuild-std, which needs the rust-src component
# (installed through rustup when missing). The C side is compiled by gcc
# with -fsanitize=thread and linked against Rust's own TSan runtime, so that
# one runtime sees both languages. Builds go to $TSAN_TARGET_DIR (default: a
# cache folder outside the work tree, shared by fresh clones on one machine).
set -euo pipefail
cd "$(dirname "$0")/.."

export RUSTC_BOOTSTRAP=1
host=$(rustc -vV | sed -n 's/^host: //p')
sysroot=$(rustc --print sysroot)
if [ ! -d "$sysroot/lib/rustlib/src/rust/library" ]; then
    echo "installing the rust-src component (for -Zbuild-std)"
    rustup component add rust-src
fi
target_dir=${TSAN_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/memberkit/tsan-target}
RUSTFLAGS="-Zsanitizer=thread" cargo build -q -Zbuild-std --target "$host" -p memberkit-ffi \
    --target-dir "$target_dir"
lib=$target_dir/$host/debug/libmemberkit_ffi.a
runtime=$(ls "$sysroot/lib/rustlib/$host/lib/"librustc-*_rt.tsan.a | head -n 1)

out=target/native-tsan
mkdir -p "$out"
# link OUTPUT SOURCE...: gcc instruments the C code; Rust's runtime serves it.
link() {
    local target=$1; shift
    gcc -std=c11 -Wall -Wextra -Werror -g -O1 -fsanitize=thread -Iinclude "$@" -c -o "$target.o"
    gcc "$target.o" "$lib" -Wl,--whole-archive "$runtime" -Wl,--no-whole-archive \
        -lpthread -ldl -lm -o "$target"
}
export TSAN_OPTIONS="halt_on_error=1 exitcode=66"

# The check can fail: two threads writing one int unguarded must be reported.
cat > "$out/race.c" <<'EOF'
#include <pthread.h>
static int shared;
static void *bump(void *arg) { (void)arg; for (int i = 0; i < 100000; i++) shared++; return 0; }
int main(void) {
    pthread_t a, b;
    pthread_create(&a, 0, bump, 0);
    pthread_create(&b, 0, bump, 0);
    pthread_join(a, 0);
    pthread_join(b, 0);
    return shared == 0;
}
EOF
link "$out/race" "$out/race.c"
if "$out/race" 2>/dev/null; then
    echo "ThreadSanitizer missed a data race" >&2
    exit 1
fi

for test in test_memberkit test_booking test_billing_run test_chat; do
    link "$out/$test" "tests/c/$test.c"
    "$out/$test" >/dev/null
done
echo "ThreadSanitizer: no data races in the threaded C tests"
