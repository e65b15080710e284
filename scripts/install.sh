#!/usr/bin/env bash
# Builds memberkit's C library (release) and installs it under a prefix:
#   PREFIX/include/memberkit.h                the C API
#   PREFIX/include/memberkit.hpp, memberkit/  the header-only C++17 wrapper
#   PREFIX/lib/libmemberkit.a                 the static library
#   PREFIX/lib/libmemberkit.so.X.Y.Z          the shared library, soname
#     libmemberkit.so.0.Y before 1.0 (libmemberkit.so.X after), with the
#     symlinks libmemberkit.so.0.Y and libmemberkit.so
#   PREFIX/lib/pkgconfig/memberkit.pc         for pkg-config
#   PREFIX/lib/cmake/memberkit/               for find_package(memberkit)
#
# Usage: scripts/install.sh --prefix DIR [--no-build]
#   --no-build  installs what target/release already holds (for a build
#               made just before; fails if it is missing).
# ELF platforms (Linux, the BSDs) only: the shared library's name and soname
# follow their conventions.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

usage() { echo "usage: $0 --prefix DIR [--no-build]" >&2; exit 2; }
prefix="" build=1
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || usage; prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#--prefix=}; shift ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
        *) usage ;;
    esac
done
[ -n "$prefix" ] || usage
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)

cd "$root"
# The version is the crate's (Cargo.toml's workspace version): "…#memberkit-ffi@0.1.0".
version=$(cargo pkgid -q -p memberkit-ffi | sed 's/.*[#@]//')
case "$version" in
    [0-9]*.[0-9]*.[0-9]*) ;;
    *) echo "install.sh: cannot read the version from cargo pkgid: $version" >&2; exit 1 ;;
esac
major=${version%%.*}
minor=${version#*.}; minor=${minor%%.*}
if [ "$major" = 0 ]; then soversion="0.$minor"; else soversion="$major"; fi
url=$(sed -n 's/^repository = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)

if [ "$build" = 1 ]; then
    cargo build -q --release -p memberkit-ffi
fi
target=${CARGO_TARGET_DIR:-$root/target}/release
for built in "$target/libmemberkit_ffi.a" "$target/libmemberkit_ffi.so"; do
    [ -f "$built" ] || { echo "install.sh: $built is missing (build with cargo build --release -p memberkit-ffi)" >&2; exit 1; }
done
soname=$(readelf -d "$target/libmemberkit_ffi.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
if [ "$soname" != "libmemberkit.so.$soversion" ]; then
    echo "install.sh: the built library's soname is '$soname', not libmemberkit.so.$soversion (ffi/build.rs)" >&2
    exit 1
fi

inc="$prefix/include" lib="$prefix/lib"
install -d "$inc/memberkit" "$lib/pkgconfig" "$lib/cmake/memberkit"
install -m 644 include/memberkit.h include/memberkit.hpp "$inc/"
install -m 644 include/memberkit/*.hpp "$inc/memberkit/"
install -m 644 "$target/libmemberkit_ffi.a" "$lib/libmemberkit.a"
install -m 755 "$target/libmemberkit_ffi.so" "$lib/libmemberkit.so.$version"
ln -sfn "libmemberkit.so.$version" "$lib/libmemberkit.so.$soversion"
ln -sfn "libmemberkit.so.$soversion" "$lib/libmemberkit.so"

# The templates' @NAME@ placeholders; each must be filled.
fill() {
    sed -e "s|@PREFIX@|$prefix|g" -e "s|@VERSION@|$version|g" -e "s|@SOVERSION@|$soversion|g" \
        -e "s|@URL@|$url|g" -e "s|@SIZEOF_VOID_P@|$(( $(getconf LONG_BIT) / 8 ))|g" "$1" >"$2"
    if grep -n '@[A-Z_]*@' "$2" >&2; then echo "install.sh: $2 has a placeholder left" >&2; exit 1; fi
}
fill ffi/pkg/memberkit.pc.in "$lib/pkgconfig/memberkit.pc"
fill ffi/pkg/memberkitConfig.cmake.in "$lib/cmake/memberkit/memberkitConfig.cmake"
fill ffi/pkg/memberkitConfigVersion.cmake.in "$lib/cmake/memberkit/memberkitConfigVersion.cmake"
chmod 644 "$lib/pkgconfig/memberkit.pc" "$lib/cmake/memberkit/"*.cmake

echo "memberkit $version installed in $prefix (soname libmemberkit.so.$soversion)"
