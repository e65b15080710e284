#!/usr/bin/env bash
# Creates .venv (if missing), installs the test tools, builds memberkit's abi3
# wheel once with maturin (release, into target/wheels, reusing target/) and
# installs that wheel into .venv: the same file scripts/test-wheel.sh installs
# into a fresh environment, so CI makes one release build of the extension.
# Prints the wheel's path last.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
pip=(.venv/bin/python -m pip install -q --disable-pip-version-check)
"${pip[@]}" --upgrade pip
"${pip[@]}" "maturin>=1.9,<2" "pytest>=8" "hypothesis>=6.100" "mypy>=1.10" "psycopg[binary]>=3.2,<4"

# One wheel at a time in target/wheels: the one built now.
mkdir -p target/wheels
rm -f target/wheels/memberkit-*.whl
.venv/bin/maturin build -q --release -m python/Cargo.toml --out target/wheels >&2
wheels=(target/wheels/memberkit-*-abi3-*.whl)
[ "${#wheels[@]}" = 1 ] && [ -f "${wheels[0]}" ] || { echo "setup-python: expected one abi3 wheel in target/wheels" >&2; exit 1; }
"${pip[@]}" --force-reinstall --no-deps "${wheels[0]}"
echo "${wheels[0]}"
