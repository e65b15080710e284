#!/usr/bin/env bash
# Builds memberkit's static library and runs the C and C++ tests against it
# (the C++ ones include the tests of the wrapper include/memberkit.hpp),
# with -Wall -Wextra -Werror -Wpedantic, AddressSanitizer and UBSan, then
# again under valgrind memcheck (no errors, no definite or indirect leaks).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -q -p memberkit-ffi
lib=target/debug/libmemberkit_ffi.a
out=target/native-tests
mkdir -p "$out"
warn=(-Wall -Wextra -Werror -Wpedantic)
san=(-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g)
libs=(-lpthread -ldl -lm)
# cc_c OUTPUT SOURCE...
cc_c() { local target=$1; shift; gcc -std=c11 "${warn[@]}" "${san[@]}" -Iinclude "$@" "$lib" "${libs[@]}" -o "$target"; }
cc_c "$out/test_c" tests/c/test_memberkit.c
cc_c "$out/test_booking" tests/c/test_booking.c
cc_c "$out/test_chat" tests/c/test_chat.c
cc_c "$out/test_billing_run" tests/c/test_billing_run.c
cc_c "$out/test_vectors" tests/c/test_vectors.c tests/c/vectors_billing_run.c tests/c/vectors_booking.c tests/c/vectors_chat.c
# Every function the header declares, each pointer argument NULL in turn and
# each length 0 (tests/c/gen_boundary.py writes the test from the header).
python3 tests/c/gen_boundary.py include/memberkit.h > "$out/boundary.c"
cc_c "$out/test_boundary" "$out/boundary.c" -Itests/c
g++ -std=c++17 "${warn[@]}" "${san[@]}" -Iinclude tests/cpp/test_memberkit.cpp "$lib" "${libs[@]}" -o "$out/test_cpp"
g++ -std=c++17 "${warn[@]}" "${san[@]}" -Iinclude tests/cpp/test_wrapper.cpp "$lib" "${libs[@]}" -o "$out/test_wrapper"
# The header alone must compile as C11 and as C++17, and the C++ wrapper and
# each of its pieces alone as C++17.
echo '#include "memberkit.h"' | gcc -std=c11 "${warn[@]}" -Iinclude -x c -fsyntax-only -
echo '#include "memberkit.h"' | g++ -std=c++17 "${warn[@]}" -Iinclude -x c++ -fsyntax-only -
for hpp in include/memberkit.hpp include/memberkit/*.hpp; do
    echo "#include \"${hpp#include/}\"" | g++ -std=c++17 "${warn[@]}" -Iinclude -x c++ -fsyntax-only -
done
# The wrapper covers the whole C API: every function of memberkit.h is used in it.
for fn in $(grep -oE '\bmk_[a-z0-9_]+\(' include/memberkit.h | tr -d '(' | sort -u); do
    grep -qw "$fn" include/memberkit/*.hpp || { echo "include/memberkit.hpp does not wrap $fn" >&2; exit 1; }
done
# ... and the header declares every function the library exports.
header_fns=$(grep -oE '\bmk_[a-z0-9_]+\(' include/memberkit.h | tr -d '(' | sort -u)
exported=$(nm -g --defined-only "$lib" 2>/dev/null | awk '$2 == "T" && $3 ~ /^mk_/ {print $3}' | sort -u)
if [ "$header_fns" != "$exported" ]; then
    echo "include/memberkit.h and the library's exports differ:" >&2
    diff <(echo "$header_fns") <(echo "$exported") >&2 || true
    exit 1
fi
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
"$out/test_c"
"$out/test_booking"
"$out/test_chat"
"$out/test_billing_run"
"$out/test_boundary"
"$out/test_vectors" tests/vectors/membership.json tests/vectors/billing.json tests/vectors/dunning.json \
    tests/vectors/booking.json tests/vectors/chat.json
"$out/test_cpp"
"$out/test_wrapper"

# The same tests under valgrind memcheck, built without the sanitizers
# (valgrind cannot run ASan binaries): zero memory errors, and no block
# definitely or indirectly lost. (Blocks the library keeps for the life of
# the process, such as the default slot extractor, are reachable.)
vg=target/native-valgrind
mkdir -p "$vg"
plain=(-g -O1)
gcc -std=c11 "${warn[@]}" "${plain[@]}" -Iinclude tests/c/test_memberkit.c "$lib" "${libs[@]}" -o "$vg/test_c"
gcc -std=c11 "${warn[@]}" "${plain[@]}" -Iinclude tests/c/test_booking.c "$lib" "${libs[@]}" -o "$vg/test_booking"
gcc -std=c11 "${warn[@]}" "${plain[@]}" -Iinclude tests/c/test_billing_run.c "$lib" "${libs[@]}" -o "$vg/test_billing_run"
gcc -std=c11 "${warn[@]}" "${plain[@]}" -Iinclude tests/c/test_vectors.c tests/c/vectors_billing_run.c tests/c/vectors_booking.c tests/c/vectors_chat.c "$lib" "${libs[@]}" \
    -o "$vg/test_vectors"
g++ -std=c++17 "${warn[@]}" "${plain[@]}" -Iinclude tests/cpp/test_memberkit.cpp "$lib" "${libs[@]}" -o "$vg/test_cpp"
g++ -std=c++17 "${warn[@]}" "${plain[@]}" -Iinclude tests/cpp/test_wrapper.cpp "$lib" "${libs[@]}" -o "$vg/test_wrapper"
if ! command -v valgrind >/dev/null; then
    echo "installing valgrind"
    apt-get install -y -q valgrind >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q valgrind >/dev/null; }
fi
memcheck=(valgrind -q --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect)
# The check can fail: a program that loses a block must fail it.
printf '#include <stdlib.h>\nint main(void) { void *p = malloc(16); p = 0; return p != 0; }\n' |
    gcc -x c -g -O0 - -o "$vg/leaks"
if "${memcheck[@]}" "$vg/leaks" 2>/dev/null; then
    echo "valgrind missed a leak" >&2
    exit 1
fi
"${memcheck[@]}" "$vg/test_c"
"${memcheck[@]}" "$vg/test_booking"
"${memcheck[@]}" "$vg/test_billing_run"
"${memcheck[@]}" "$vg/test_vectors" tests/vectors/membership.json tests/vectors/billing.json tests/vectors/dunning.json \
    tests/vectors/booking.json
"${memcheck[@]}" "$vg/test_cpp"
"${memcheck[@]}" "$vg/test_wrapper"
echo "valgrind memcheck: no errors, no leaks"
