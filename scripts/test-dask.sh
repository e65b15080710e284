#!/usr/bin/env bash
# A billing run sharded over Dask: installs the pinned dask[distributed]
# (examples/dask-billing/requirements.txt) into .venv, type-checks the example
# (mypy --strict) and runs its tests on a LocalCluster of two worker processes:
# the sharded run's documents and ledgers equal one process's bill_many over
# 20,000 accounts, and a rerun of a shard or of the run bills and writes nothing.
#
#   scripts/test-dask.sh [PYTEST ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
began=$SECONDS
[ -x .venv/bin/python ] || { echo "test-dask: no .venv: run scripts/setup-python.sh first" >&2; exit 1; }
.venv/bin/python -m pip install -q --disable-pip-version-check -r examples/dask-billing/requirements.txt
.venv/bin/python -m mypy --strict --no-incremental examples/dask-billing
.venv/bin/python -m pytest -q -p no:cacheprovider examples/dask-billing/tests "$@"
echo "test-dask: passed in $((SECONDS - began)) s"
