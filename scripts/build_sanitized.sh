#!/usr/bin/env bash
# Configures and builds the sanitizer build (issue 11) into build-san/: clang-14
# with AddressSanitizer and UndefinedBehaviorSanitizer for every library,
# test and fuzzer, and libFuzzer's coverage instrumentation, so one build
# serves both scripts/sanitize.sh (the unit, integration and attack tests)
# and scripts/fuzz.sh (the libFuzzer targets). -O1 with line tables only:
# about half the compile time of -O2 -g, and reports still name file and
# line. No benchmarks. Extra arguments go to `cmake --build` (e.g.
# --target fuzzers).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${EARSHOT_SAN_BUILD_DIR:-build-san}
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only -DNDEBUG" \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only -DNDEBUG" \
  -DEARSHOT_FUZZ=ON -DEARSHOT_SANITIZE=ON \
  -DEARSHOT_BUILD_TESTS=ON -DEARSHOT_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)" "$@"
