#!/usr/bin/env bash
# Configures and builds earshot into build/ (RelWithDebInfo). Extra arguments
# go to cmake, e.g. -DEARSHOT_SANITIZE=ON.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${EARSHOT_BUILD_DIR:-build}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)"
