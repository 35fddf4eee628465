#!/usr/bin/env bash
# The README's first command: install what is missing, build, and run the demo.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
exec ./build/bin/earshot demo --open "$@"
