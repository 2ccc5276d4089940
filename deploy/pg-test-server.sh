#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the PostgreSQL runs of the test suites
# (deploy/test.sh). Debian's postgresql package (installed by deps.sh with OGI_WITH_POSTGRES=1);
# the cluster lives in $OGI_PG_DIR (default /tmp/ogi-pg), port $OGI_PG_PORT (default 54329),
# trust authentication on 127.0.0.1 only. Prints the admin URL on start.
#   deploy/pg-test-server.sh start|stop|url
set -euo pipefail
DIR=${OGI_PG_DIR:-/tmp/ogi-pg}
PORT=${OGI_PG_PORT:-54329}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
URL="postgresql://postgres@127.0.0.1:$PORT/postgres"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "${1:-start}" in
  start)
    [ -n "$BIN" ] || { echo "pg-test-server: PostgreSQL is not installed (OGI_WITH_POSTGRES=1 deploy/deps.sh)" >&2; exit 2; }
    if [ -f "$DIR/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DIR" status >/dev/null 2>&1; then echo "$URL"; exit 0; fi
    rm -rf "$DIR"
    mkdir -p "$DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
    as_pg "$BIN/initdb" -D "$DIR" -U postgres -E UTF8 --locale=C.UTF-8 --auth=trust >/dev/null
    as_pg "$BIN/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on" start >/dev/null
    echo "$URL"
    ;;
  stop)
    [ -d "$DIR" ] && as_pg "$BIN/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
    ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
