#!/usr/bin/env bash
# The README's second command (and CI's): install what is missing, build, and
# run every test suite, each in its own section with its wall time:
#   suite     build/: ctest, every label (EARSHOT_TEST_LABEL=unit, ... for one)
#   sanitize  build-san/: unit, integration and attack under ASan and UBSan
#             (scripts/sanitize.sh)
#   fuzz      build-san/ (the same build): each fuzzer for 60 s (scripts/fuzz.sh; seconds
#             from EARSHOT_FUZZ_SECONDS)
# EARSHOT_TEST_LABEL=sanitize or =fuzz runs that suite alone. With any other
# label the two slow suites are skipped unless EARSHOT_SLOW_SUITES=1; without
# a label they run unless EARSHOT_SLOW_SUITES=0.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh

label=${EARSHOT_TEST_LABEL:-}
run_suite=1 run_sanitize=1 run_fuzz=1
case "$label" in
  sanitize) run_suite=0 run_fuzz=0 ;;
  fuzz) run_suite=0 run_sanitize=0 ;;
  "") if [ "${EARSHOT_SLOW_SUITES:-1}" = 0 ]; then run_sanitize=0 run_fuzz=0; fi ;;
  *) if [ "${EARSHOT_SLOW_SUITES:-0}" != 1 ]; then run_sanitize=0 run_fuzz=0; fi ;;
esac

summary=()
failed=0
# section NAME COMMAND...: runs COMMAND under a banner and records its time.
section() {
  local name=$1 start rc=0
  shift
  printf '\n==================== %s ====================\n' "$name"
  start=$(date +%s)
  "$@" || rc=$?
  summary+=("$(printf '%-9s %6ss  %s' "$name" "$(($(date +%s) - start))" \
    "$([ "$rc" -eq 0 ] && echo passed || echo "FAILED (exit $rc)")")")
  if [ "$rc" -ne 0 ]; then failed=1; fi
}

# (Called after ||, where set -e does not apply: each step is chained.)
suite() {
  local args=(--output-on-failure -j "$(nproc)" --timeout 600)
  if [ -n "$label" ]; then args+=(-L "$label"); fi
  ./scripts/build.sh && (cd build && ctest "${args[@]}")
}

if [ "$run_suite" = 1 ]; then section suite suite; fi
if [ "$run_sanitize" = 1 ]; then section sanitize ./scripts/sanitize.sh; fi
if [ "$run_fuzz" = 1 ]; then section fuzz ./scripts/fuzz.sh "${EARSHOT_FUZZ_SECONDS:-60}"; fi

printf '\n==================== summary ====================\n'
printf '%s\n' "${summary[@]}"
exit "$failed"
