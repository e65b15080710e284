#!/usr/bin/env bash
# Rust hosts as they meet memberkit:
# - `cargo package -p memberkit` builds the crate from its packaged files
#   (on a clean checkout in CI; with --allow-dirty elsewhere), and the package
#   holds the shipped intent model, no file over 5 MiB and is under crates.io's
#   10 MB limit;
# - `cargo doc --no-deps -p memberkit --all-features` with warnings denied;
# - examples/rust-host, a crate outside the workspace depending on memberkit
#   by path, builds (debug, in the workspace's target/ and with its
#   Cargo.lock, so the dependencies built before are reused) and its program
#   prints examples/rust-host/expected-output.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
began=$SECONDS
fail() { echo "test-rust-host: $*" >&2; exit 1; }
step() { printf -- '-- %s\n' "$*"; }

step "cargo package -p memberkit"
t0=$SECONDS
dirty=(--allow-dirty)
if [ "${CI:-}" = true ]; then dirty=(); fi   # CI's clone is clean: what is packaged is what is committed
cargo package -q -p memberkit "${dirty[@]}" 2> >(grep -v "is not included in the published package" >&2)
version=$(cargo pkgid -q -p memberkit | sed 's/.*[#@]//')
crate=target/package/memberkit-$version.crate
[ -f "$crate" ] || fail "no $crate"
list=$(cargo package -q -p memberkit --list --allow-dirty 2>/dev/null)
for needed in src/lib.rs data/intent/default_model.bin README.md Cargo.toml; do
    grep -qx "$needed" <<<"$list" || fail "the package lacks $needed"
done
size=$(stat -c %s "$crate")
[ "$size" -lt 10000000 ] || fail "$crate is $size bytes: crates.io takes at most 10 MB"
largest=$(cd "target/package/memberkit-$version" && find . -type f -printf '%s %p\n' | sort -n | tail -n 1)
[ "${largest%% *}" -lt $((5 * 1024 * 1024)) ] || fail "a large file in the package: $largest"
echo "$crate: $((size / 1024)) KiB compressed, $(wc -l <<<"$list") files, largest $largest ($((SECONDS - t0)) s)"

step "cargo doc --no-deps -p memberkit --all-features, warnings denied"
t0=$SECONDS
RUSTDOCFLAGS="-D warnings" cargo doc -q --no-deps -p memberkit --all-features
echo "docs in target/doc/memberkit ($((SECONDS - t0)) s)"

step "examples/rust-host: a crate outside the workspace"
t0=$SECONDS
host=examples/rust-host
cargo fmt --manifest-path "$host/Cargo.toml" --check
cp Cargo.lock "$host/Cargo.lock"   # the workspace's versions: its built dependencies are reused
out=$(mktemp)
trap 'rm -f "$out"' EXIT
CARGO_TARGET_DIR=$root/target cargo run -q --manifest-path "$host/Cargo.toml" >"$out"
diff -u "$host/expected-output.txt" "$out" || fail "rust-host printed something else"
echo "rust-host prints $host/expected-output.txt ($((SECONDS - t0)) s)"
echo "test-rust-host: passed in $((SECONDS - began)) s"
