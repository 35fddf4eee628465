#!/usr/bin/env bash
# Requests/s by backend (issue 14): build/bin/store_bench against a
# throw-away PostgreSQL cluster (scripts/with_postgres.sh), SQLite single
# process beside PostgreSQL with 1, 2 and 4 serve processes, in one run.
# With --perf, the ingest phase of "postgres x1" is profiled as well: the
# serve process and the PostgreSQL backends, separately (perf record,
# cpu-clock; perf_event_paranoid <= 2 is enough for one's own processes).
#
#   bench/store_bench.sh [--perf] [store_bench flags: --seconds S --clients N --reviewers N]
set -euo pipefail
cd "$(dirname "$0")/.."
perf=0
if [ "${1:-}" = --perf ]; then perf=1; shift; fi
state=$(mktemp -d)
work=$(mktemp -d)
trap 'scripts/with_postgres.sh stop "$state" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
scripts/with_postgres.sh start "$state" >/dev/null
url=$(cat "$state/url")
build/bin/store_bench --pg "$url" "$@"
[ "$perf" = 1 ] || exit 0
echo
echo "perf: the ingest phase of postgres x1, 4 s"
build/bin/store_bench --pg "$url" --only "postgres x1" --perf-pid-file "$work/pid" "$@" \
  >"$work/run.out" 2>&1 &
bench=$!
for _ in $(seq 1 240); do [ -s "$work/pid" ] && break; sleep 0.5; done
serve=$(cat "$work/pid")
sleep 1
backends=$(pgrep -d, -f "postgres: " || true)
perf record -q -e cpu-clock -F 499 -p "$serve" -o "$work/serve.data" -- sleep 4 &
perf record -q -e cpu-clock -F 499 -p "$backends" -o "$work/pg.data" -- sleep 4
wait %1 2>/dev/null || true
for side in serve pg; do
  samples=$(perf script -i "$work/$side.data" -F pid 2>/dev/null | wc -l)
  echo "$side: $samples samples in 4 s at 499 Hz = $(awk -v s="$samples" 'BEGIN{printf "%.2f", s/499/4}') cores"
  { perf report -i "$work/$side.data" --stdio --no-children --sort dso,sym -g none 2>/dev/null |
      grep -v '^#' | grep -v '^$' | head -8; } || true
done
wait "$bench" || true
