#!/usr/bin/env bash
# The README's second command (and CI's): install what is missing, build, and
# run every test suite. Set EARSHOT_TEST_LABEL=unit (or integration, ...) to
# run one label only.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
cd build
args=(--output-on-failure -j "$(nproc)" --timeout 600)
if [ -n "${EARSHOT_TEST_LABEL:-}" ]; then args+=(-L "$EARSHOT_TEST_LABEL"); fi
ctest "${args[@]}"
