#!/usr/bin/env bash
# Hosts as they meet memberkit installed: installs it into a temporary prefix
# with scripts/install.sh (one release build of the ffi crate, reused from
# target/), then
# - checks the files, the shared library's soname (readelf -d) and that it
#   exports every function of memberkit.h;
# - builds examples/cpp-host with CMake (find_package(memberkit),
#   memberkit::memberkit and memberkit::static) and runs both programs;
# - builds the README's C++ example (its CMakeLists.txt and main.cpp) the same way;
# - builds examples/c-host with `pkg-config --cflags --libs memberkit`, and
#   statically with `pkg-config --static`, and runs both;
# - checks the CMake package's version rules;
# and removes the prefix. Installs CMake and pkg-config when missing
# (Debian's packages, else PyPI's into a venv under target/).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
began=$SECONDS

step() { printf -- '-- %s\n' "$*"; }
fail() { echo "test-hosts: $*" >&2; exit 1; }

# ensure_tool COMMAND DEBIAN_PACKAGE PYPI_PACKAGE: puts COMMAND on PATH.
venv=$root/target/host-tools
ensure_tool() {
    command -v "$1" >/dev/null && return
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
        echo "installing $2 (Debian)"
        apt-get install -y -q "$2" >/dev/null 2>&1 ||
            { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$2" >/dev/null 2>&1; } || true
        command -v "$1" >/dev/null && return
    fi
    echo "installing $3 (PyPI) into $venv"
    [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q "$3"
    export PATH="$venv/bin:$PATH"
    command -v "$1" >/dev/null || fail "could not install $1"
}
ensure_tool cmake cmake cmake
if ! command -v pkg-config >/dev/null; then ensure_tool pkgconf pkgconf pkgconf; fi
pkg_config=$(command -v pkg-config || command -v pkgconf)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

step "install into a temporary prefix (release build)"
t0=$SECONDS
scripts/install.sh --prefix "$prefix"
echo "install took $((SECONDS - t0)) s"
version=$(cargo pkgid -q -p memberkit-ffi | sed 's/.*[#@]//')
major=${version%%.*} minor=${version#*.}
minor=${minor%%.*}
if [ "$major" = 0 ]; then soversion="0.$minor"; else soversion="$major"; fi
lib=$prefix/lib

step "installed files, soname $soversion, exports"
for f in include/memberkit.h include/memberkit.hpp include/memberkit/error.hpp include/memberkit/chat.hpp \
    lib/libmemberkit.a "lib/libmemberkit.so.$version" lib/pkgconfig/memberkit.pc \
    lib/cmake/memberkit/memberkitConfig.cmake lib/cmake/memberkit/memberkitConfigVersion.cmake; do
    [ -f "$prefix/$f" ] || fail "$f is not installed"
done
[ "$(readlink "$lib/libmemberkit.so")" = "libmemberkit.so.$soversion" ] || fail "libmemberkit.so links elsewhere"
[ "$(readlink "$lib/libmemberkit.so.$soversion")" = "libmemberkit.so.$version" ] || fail "the soname link is wrong"
soname=$(readelf -d "$lib/libmemberkit.so.$version" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = "libmemberkit.so.$soversion" ] || fail "soname is '$soname', not libmemberkit.so.$soversion"
declared=$(grep -oE '\bmk_[a-z0-9_]+\(' include/memberkit.h | tr -d '(' | sort -u)
exported=$(readelf --dyn-syms -W "$lib/libmemberkit.so.$version" | awk '$7 != "UND" && $8 ~ /^mk_/ {print $8}' | sort -u)
missing=$(comm -23 <(echo "$declared") <(echo "$exported"))
[ -z "$missing" ] || fail "the shared library does not export: $missing"
echo "soname $soname; $(echo "$declared" | wc -l) functions of memberkit.h exported"

step "examples/cpp-host with CMake (find_package(memberkit), CMAKE_PREFIX_PATH)"
cmake -S examples/cpp-host -B "$tmp/cpp-host" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >"$tmp/cmake.log" ||
    { cat "$tmp/cmake.log"; fail "cmake configure failed"; }
cmake --build "$tmp/cpp-host" -j 2 >"$tmp/build.log" || { cat "$tmp/build.log"; fail "cmake build failed"; }
readelf -d "$tmp/cpp-host/cpp-host" | grep -q "NEEDED.*\[libmemberkit.so.$soversion\]" ||
    fail "cpp-host is not linked against libmemberkit.so.$soversion"
if readelf -d "$tmp/cpp-host/cpp-host-static" | grep -q "NEEDED.*libmemberkit"; then fail "cpp-host-static needs the shared library"; fi
for app in cpp-host cpp-host-static; do
    "$tmp/cpp-host/$app" examples/cpp-host/catalog.json >"$tmp/$app.out" || fail "$app failed"
    diff -u examples/cpp-host/expected-output.txt "$tmp/$app.out" || fail "$app printed something else"
done
echo "cpp-host and cpp-host-static print examples/cpp-host/expected-output.txt"

step "the README's C++ example (its CMakeLists.txt and main.cpp)"
mkdir -p "$tmp/readme"
# The first ```cmake and ```cpp blocks after the "C and C++ hosts" heading.
block() { awk -v lang="$1" '/^### C and C\+\+ hosts/ {on = 1} on && $0 == "```" lang {inside = 1; next}
    inside && /^```/ {exit} inside {print}' README.md; }
block cmake >"$tmp/readme/CMakeLists.txt"
block cpp >"$tmp/readme/main.cpp"
[ -s "$tmp/readme/CMakeLists.txt" ] && [ -s "$tmp/readme/main.cpp" ] || fail "the README has no C++ example"
cmake -S "$tmp/readme" -B "$tmp/readme/build" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/cmake.log" ||
    { cat "$tmp/cmake.log"; fail "the README's CMakeLists.txt does not configure"; }
cmake --build "$tmp/readme/build" >"$tmp/build.log" || { cat "$tmp/build.log"; fail "the README's example does not build"; }
"$tmp/readme/build/app" || fail "the README's C++ example failed"

step "examples/c-host with pkg-config (PKG_CONFIG_PATH)"
export PKG_CONFIG_PATH=$lib/pkgconfig
[ "$("$pkg_config" --modversion memberkit)" = "$version" ] || fail "pkg-config gives another version"
warn=(-std=c11 -Wall -Wextra -Werror -Wpedantic)
libdir=$("$pkg_config" --variable=libdir memberkit)
# shellcheck disable=SC2046 # pkg-config's output is words
gcc "${warn[@]}" examples/c-host/main.c $("$pkg_config" --cflags --libs memberkit) -Wl,-rpath,"$libdir" -o "$tmp/c-host"
readelf -d "$tmp/c-host" | grep -q "NEEDED.*\[libmemberkit.so.$soversion\]" || fail "c-host is not linked against the soname"
# Static: the archive in place of -lmemberkit, with Libs.private.
static_libs=$("$pkg_config" --static --libs memberkit)
# shellcheck disable=SC2046,SC2086
gcc "${warn[@]}" examples/c-host/main.c $("$pkg_config" --cflags memberkit) ${static_libs//-lmemberkit/-l:libmemberkit.a} \
    -o "$tmp/c-host-static"
if readelf -d "$tmp/c-host-static" | grep -q "NEEDED.*libmemberkit"; then fail "c-host-static needs the shared library"; fi
for app in c-host c-host-static; do
    "$tmp/$app" >"$tmp/$app.out" || fail "$app failed"
    diff -u examples/c-host/expected-output.txt "$tmp/$app.out" || fail "$app printed something else"
done
echo "c-host and c-host-static print examples/c-host/expected-output.txt"

step "the CMake package's version rules"
cat >"$tmp/version.cmake" <<CMAKE
set(CMAKE_SIZEOF_VOID_P 8)
foreach(pair IN ITEMS "$version:TRUE" "$major.$minor:TRUE" "$major:$([ "$major" = 0 ] && echo FALSE || echo TRUE)"
        "$major.$((minor + 1)):FALSE" "$((major + 1)).0:FALSE")
  string(REPLACE ":" ";" pair "\${pair}")
  list(GET pair 0 PACKAGE_FIND_VERSION)
  list(GET pair 1 expected)
  string(REPLACE "." ";" parts "\${PACKAGE_FIND_VERSION}.0.0")
  list(GET parts 0 PACKAGE_FIND_VERSION_MAJOR)
  list(GET parts 1 PACKAGE_FIND_VERSION_MINOR)
  unset(PACKAGE_VERSION_COMPATIBLE)
  include("$lib/cmake/memberkit/memberkitConfigVersion.cmake")
  if(NOT "\${PACKAGE_VERSION_COMPATIBLE}" STREQUAL "\${expected}")
    message(FATAL_ERROR "asking for \${PACKAGE_FIND_VERSION}: compatible is '\${PACKAGE_VERSION_COMPATIBLE}', not \${expected}")
  endif()
endforeach()
set(CMAKE_SIZEOF_VOID_P 4)
include("$lib/cmake/memberkit/memberkitConfigVersion.cmake")
if(NOT PACKAGE_VERSION_UNSUITABLE)
  message(FATAL_ERROR "a 32-bit project may use the 64-bit library")
endif()
CMAKE
cmake -P "$tmp/version.cmake"
echo "compatible with $version and $major.$minor only; unsuitable for 32-bit projects"

echo "hosts: all checks passed in $((SECONDS - began)) s"
