#!/usr/bin/env bash
# The sanitizer suite (issue 11): the unit, integration and attack tests of
# the sanitizer build (scripts/build_sanitized.sh: clang-14, AddressSanitizer
# and UndefinedBehaviorSanitizer, in build-san/). A memory error, a leak or
# undefined behaviour aborts the process it happens in (a test, or a server
# or worker a test started), so the test fails. Extra arguments go to ctest
# (e.g. -R Metadata).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${EARSHOT_SAN_BUILD_DIR:-build-san}
EARSHOT_SAN_BUILD_DIR=$BUILD_DIR ./scripts/build_sanitized.sh

# Inherited by every process the tests start. Leaks are checked at exit;
# suppressions name system libraries only (tests/sanitizer/lsan.supp).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/sanitizer/lsan.supp:print_suppressions=0}
cd "$BUILD_DIR"
ctest --output-on-failure -j "$(nproc)" --timeout 900 -L 'unit|integration|attack' "$@"
