#!/usr/bin/env bash
# Creates .venv (if missing), installs the test tools and builds + installs the
# memberkit Python package from ./python into it.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check "maturin>=1.9,<2" "pytest>=8" "hypothesis>=6.100" "mypy>=1.10"
.venv/bin/python -m pip install -q --disable-pip-version-check --force-reinstall --no-deps ./python
