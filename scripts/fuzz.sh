#!/usr/bin/env bash
# Fuzzes every parser of untrusted input (tests/fuzz; docs/security.md,
# "Fuzzing"): builds the fuzzers in the sanitizer build (build-san/, see
# scripts/build_sanitized.sh: clang-14, libFuzzer, ASan and UBSan), writes their seed corpora (scripts/fuzz_seeds.sh), runs
# each for SECONDS (default 60) as the CTest tests of label fuzz, and prints
# executions per second and coverage per target. Fails if any fuzzer found a
# crash, a leak, undefined behaviour, a broken invariant, a slow input or an
# out-of-memory; the input that did it is in build-san/artifacts/.
#
#   scripts/fuzz.sh [SECONDS] [TARGET_REGEX]
# Environment: EARSHOT_FUZZ_JOBS (fuzzers run at once; default nproc),
# EARSHOT_FUZZ_KEEP_CORPUS=1 (grow build-san/work/ across runs), and
# EARSHOT_FUZZ_RSS_MB, EARSHOT_FUZZ_TIMEOUT_S (scripts/fuzz_one.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
FILTER=${2:-}
BUILD_DIR=${EARSHOT_SAN_BUILD_DIR:-build-san}
JOBS=${EARSHOT_FUZZ_JOBS:-$(nproc)}

EARSHOT_SAN_BUILD_DIR=$BUILD_DIR ./scripts/build_sanitized.sh --target fuzzers
./scripts/fuzz_seeds.sh "$BUILD_DIR/corpus"

ctest_args=(-L fuzz -j "$JOBS" --timeout $((SECONDS_EACH + 300)) --output-on-failure)
if [ -n "$FILTER" ]; then ctest_args+=(-R "$FILTER"); fi
rc=0
(cd "$BUILD_DIR" && EARSHOT_FUZZ_SECONDS=$SECONDS_EACH ctest "${ctest_args[@]}") || rc=$?

# One row per fuzzer that ran: libFuzzer's final stats and its last status line.
final_stat() { sed -n "s/^stat::$1: *//p" "$2" | tail -n 1; }
printf '\n%-20s %8s %12s %9s %7s %8s %10s %8s %s\n' target seconds execs exec/s cov ft corpus rss_mb result
for log in "$BUILD_DIR"/logs/*.log; do
  [ -e "$log" ] || continue
  name=$(basename "$log" .log)
  if [ -n "$FILTER" ] && ! [[ "Fuzz.$name" =~ $FILTER ]]; then continue; fi
  last=$(grep -E '^#[0-9]+[[:space:]]' "$log" | tail -n 1 || true)
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$last")
  corp=$(sed -n 's/.*corp: \([0-9]*\/[0-9A-Za-z]*\).*/\1/p' <<<"$last")
  result=ok
  if [ "$(final_stat exit_code "$log")" != 0 ]; then result=FAILED; fi
  printf '%-20s %8s %12s %9s %7s %8s %10s %8s %s\n' "$name" \
    "$(final_stat wall_seconds "$log")" "$(final_stat number_of_executed_units "$log")" \
    "$(final_stat average_exec_per_sec "$log")" "${cov:--}" "${ft:--}" "${corp:--}" \
    "$(final_stat peak_rss_mb "$log")" "$result"
done
exit "$rc"
