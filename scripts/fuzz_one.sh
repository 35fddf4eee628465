#!/usr/bin/env bash
# Runs one fuzzer: the command of the CTest test Fuzz.NAME in build-san/
# (label fuzz; scripts/fuzz.sh runs them all). Usage: fuzz_one.sh NAME BINARY.
# Seeds come from $EARSHOT_FUZZ_DIR/corpus/NAME (scripts/fuzz_seeds.sh); new
# inputs go to $EARSHOT_FUZZ_DIR/work/NAME (emptied first unless
# EARSHOT_FUZZ_KEEP_CORPUS=1), a crashing input to artifacts/NAME-*, the
# whole log to logs/NAME.log. Environment: EARSHOT_FUZZ_SECONDS (60),
# EARSHOT_FUZZ_RSS_MB (2048), EARSHOT_FUZZ_TIMEOUT_S (one input, 25).
set -euo pipefail
name=$1
binary=$2
dir=${EARSHOT_FUZZ_DIR:?set EARSHOT_FUZZ_DIR to the fuzz build directory}
seconds=${EARSHOT_FUZZ_SECONDS:-60}
source_dir=$(cd "$(dirname "$0")/.." && pwd)

seeds="$dir/corpus/$name"
work="$dir/work/$name"
log="$dir/logs/$name.log"
if [ ! -d "$seeds" ]; then
  echo "fuzz: no seeds in $seeds; run scripts/fuzz_seeds.sh first" >&2
  exit 1
fi
if [ "${EARSHOT_FUZZ_KEEP_CORPUS:-0}" != 1 ]; then rm -rf "$work"; fi
mkdir -p "$work" "$dir/artifacts" "$dir/logs"

args=(
  -max_total_time="$seconds"
  -print_final_stats=1
  -rss_limit_mb="${EARSHOT_FUZZ_RSS_MB:-2048}"
  -timeout="${EARSHOT_FUZZ_TIMEOUT_S:-25}"
  -artifact_prefix="$dir/artifacts/$name-"
)
dict="$dir/corpus/$name.dict"  # written by scripts/fuzz_seeds.sh
if [ -f "$dict" ]; then args+=(-dict="$dict"); fi

# Leaks count as crashes (LeakSanitizer runs after each input and at exit);
# suppressions cover system libraries only.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$source_dir/tests/sanitizer/lsan.supp:print_suppressions=0}

start=$(date +%s)
rc=0
"$binary" "${args[@]}" "$work" "$seeds" >"$log" 2>&1 || rc=$?
printf 'stat::wall_seconds: %s\nstat::exit_code: %s\n' "$(( $(date +%s) - start ))" "$rc" >>"$log"
if [ "$rc" -ne 0 ]; then
  echo "fuzz: $name failed (exit $rc); the input is in $dir/artifacts/, the log in $log"
  tail -n 80 "$log"
  exit "$rc"
fi
grep -E '^(stat::|#[0-9]+ +DONE)' "$log" || true
