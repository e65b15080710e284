#!/usr/bin/env bash
# Regenerates include/memberkit.h from ffi/ with the pinned cbindgen.
set -euo pipefail
cd "$(dirname "$0")/.."
MK_BLESS_HEADER=1 cargo test -q -p memberkit-ffi --test header
echo "include/memberkit.h regenerated"
