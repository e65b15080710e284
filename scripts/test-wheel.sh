#!/usr/bin/env bash
# A Python host as it meets memberkit: installs the abi3 wheel into a fresh
# virtual environment in a temporary directory outside the source tree and
# runs scripts/wheel_smoke.py there (every module of py_src in the wheel and
# importable, py.typed and the stubs, billing, the shipped intent model,
# dunning, booking, typed errors; memberkit.testing refusing clearly without
# hypothesis), type-checks the smoke test against the installed package with
# mypy --strict (the stubs as a host's mypy finds them), then installs
# hypothesis and runs memberkit.testing. Removes the directory afterwards.
#
#   scripts/test-wheel.sh [WHEEL]
#
# WHEEL defaults to the one scripts/setup-python.sh built into target/wheels
# (built now if there is none): CI builds the wheel once.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
began=$SECONDS

if [ $# -gt 0 ]; then
    wheel=$(realpath "$1")
else
    shopt -s nullglob
    wheels=(target/wheels/memberkit-*-abi3-*.whl)
    if [ "${#wheels[@]}" = 0 ]; then
        scripts/setup-python.sh >/dev/null
        wheels=(target/wheels/memberkit-*-abi3-*.whl)
    fi
    [ "${#wheels[@]}" = 1 ] || { echo "test-wheel: expected one wheel in target/wheels, found ${#wheels[@]}" >&2; exit 1; }
    wheel=$root/${wheels[0]}
fi
case $(basename "$wheel") in
    memberkit-*-cp39-abi3-*.whl) ;;
    *) echo "test-wheel: $wheel is not an abi3 wheel for Python >= 3.9" >&2; exit 1 ;;
esac
echo "wheel: $wheel ($(du -h "$wheel" | cut -f1))"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m venv "$tmp/venv"
py=$tmp/venv/bin/python
pip=("$py" -m pip install -q --disable-pip-version-check)
"${pip[@]}" "$wheel"

# Every file of the pure-Python package, as the source tree has it.
expected=()
for f in python/py_src/memberkit/*; do expected+=("$(basename "$f")"); done
cp scripts/wheel_smoke.py "$tmp/"
(cd "$tmp" && env -u PYTHONPATH "$py" -I wheel_smoke.py "${expected[@]}")

# A host's mypy finds the installed stubs (PEP 561) and nothing from the tree.
"${pip[@]}" "hypothesis>=6.100"
(cd "$tmp" && env -u PYTHONPATH -u MYPYPATH "$root/.venv/bin/python" -m mypy --strict --no-incremental \
    --cache-dir "$tmp/mypy-cache" --python-executable "$py" wheel_smoke.py)
(cd "$tmp" && env -u PYTHONPATH "$py" -I wheel_smoke.py --testing)
echo "test-wheel: passed in $((SECONDS - began)) s"
