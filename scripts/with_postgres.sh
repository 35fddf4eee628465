#!/usr/bin/env bash
# A throw-away PostgreSQL cluster on loopback, for the tests of the postgres
# label (CTest fixture Postgres.Start / Postgres.Stop) and the benchmarks.
#
#   with_postgres.sh start DIR   initdb a new cluster in a temporary directory,
#                                start it on a free loopback port and create the
#                                database earshot_test; writes its URL to DIR/url
#   with_postgres.sh stop DIR    stops that cluster and removes it and DIR
#   with_postgres.sh down DIR    stops the server only (fault tests: the
#                                database goes away under a running earshot)
#   with_postgres.sh up DIR      starts it again on the same port
#
# PostgreSQL refuses to run as root: as root, the cluster belongs to the
# unprivileged "postgres" user that Debian's postgresql-common creates.
# Authentication is "trust" on 127.0.0.1 only: the cluster lives as long as
# the test run and holds nothing but test data.
set -euo pipefail
cmd=${1:?start or stop} dir=${2:?a state directory}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "with_postgres: PostgreSQL server binaries not found (apt install postgresql-15;" \
       "scripts/setup.sh installs it)" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    if [ -f "$dir/cluster" ] && [ -d "$(cat "$dir/cluster")" ]; then
      "$0" stop "$dir" || true
      mkdir -p "$dir"
    fi
    cluster=$(mktemp -d /tmp/earshot-pg-XXXXXX)
    if [ "$(id -u)" = 0 ]; then chown postgres: "$cluster"; fi
    chmod 700 "$cluster"
    echo "$cluster" > "$dir/cluster"
    as_owner "$bin/initdb" -D "$cluster/data" -U earshot --auth=trust --locale=C \
      --encoding=UTF8 >"$cluster/initdb.log" 2>&1 ||
      { cat "$cluster/initdb.log" >&2; exit 1; }
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
      port=$((20000 + RANDOM % 30000))
      if as_owner "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 30 \
           -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$cluster \
               -c max_connections=400 -c shared_buffers=64MB" start >/dev/null 2>&1; then
        break
      fi
      port=""
    done
    if [ -z "$port" ]; then
      echo "with_postgres: the cluster did not start; its log:" >&2
      cat "$cluster/server.log" >&2 || true
      exit 1
    fi
    "$bin/psql" -q -h 127.0.0.1 -p "$port" -U earshot -d postgres \
      -c "CREATE DATABASE earshot_test" >/dev/null
    echo "$port" > "$dir/port"
    echo "postgresql://earshot@127.0.0.1:$port/earshot_test" > "$dir/url"
    echo "with_postgres: $(cat "$dir/url") (cluster $cluster)"
    ;;
  stop)
    if [ -f "$dir/cluster" ]; then
      cluster=$(cat "$dir/cluster")
      if [ -d "$cluster/data" ]; then
        as_owner "$bin/pg_ctl" -D "$cluster/data" -m immediate -w stop >/dev/null 2>&1 || true
      fi
      rm -rf "$cluster"
    fi
    rm -rf "$dir"
    ;;
  down)
    cluster=$(cat "$dir/cluster")
    as_owner "$bin/pg_ctl" -D "$cluster/data" -m fast -w stop >/dev/null
    ;;
  up)
    cluster=$(cat "$dir/cluster") port=$(cat "$dir/port")
    as_owner "$bin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$cluster \
          -c max_connections=400 -c shared_buffers=64MB" start >/dev/null
    ;;
  *) echo "usage: with_postgres.sh start|stop|down|up DIR" >&2; exit 2 ;;
esac
