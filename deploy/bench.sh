#!/usr/bin/env bash
# Benchmarks; figures are recorded in docs/performance.md. Usage: deploy/bench.sh [CASES]
#  1. core and store (tests/bench/bench_main.cpp): due dates/s, register+decide through the store;
#  2. HTTP with CASES generated cases (default 1,000,000; `ogi demo generate`): p50/p99 of the
#     case page, the dashboard and searches, and registrations/s with 16 keep-alive clients,
#     next to a minimal SQLite program inserting the same rows with the same durability.
set -euo pipefail
cd "$(dirname "$0")/.."
OGI_WITH_BENCH=1 ./deploy/deps.sh
./deploy/build.sh
CASES="${1:-1000000}"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r), $(date -u +%Y-%m-%d)"
./build/tests/ogi_bench 100000

work=$(mktemp -d /tmp/ogi-bench-XXXXXX)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
db="$work/bench.db"
start=$(date +%s.%N)
./build/ogi demo generate --db "$db" --cases "$CASES" 2>/dev/null
echo "generate_cases $CASES in $(echo "$(date +%s.%N) - $start" | bc) s"
./build/ogi serve --db "$db" --listen 127.0.0.1:0 --port-file "$work/port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do [[ -s "$work/port" ]] && break; sleep 0.2; done
port=$(cat "$work/port")
base="http://127.0.0.1:$port"
token=$(curl -s -X POST "$base/api/v1/session" -d '{"username":"genG01","password":"demo-pass-2026"}' | sed -E 's/.*"token":"([0-9a-f]+)".*/\1/')
sqlite3 "$db" "SELECT '/cases/' || c.id FROM cases c JOIN agencies a ON a.id=c.agency_id WHERE a.code='G01' ORDER BY random() LIMIT 1000" >"$work/case_paths"
echo "/" >"$work/dashboard_paths"
# Selective searches (a number, overdue, type + dates, a stage); and a term every generated case
# contains (批复文件), the worst case for the full-text index, reported apart.
printf '%s\n' "/cases?q=%E7%AC%AC1234%E5%8F%B7" "/cases?overdue=1" "/cases?applicant_type=commercial_enterprise&from=2024-01-01&to=2024-12-31" "/cases?stage=review" "/cases?q=%E7%94%B3%E8%AF%B7%E4%BA%BA4242" >"$work/search_paths"
echo "/cases?q=%E6%89%B9%E5%A4%8D%E6%96%87%E4%BB%B6" >"$work/search_common_paths"
# Issue 5: the annual report (one agency-year, and the roll-up over all agencies) next to a
# hand-written GROUP BY of the same counts, on the million cases.
./build/tests/report_bench "$db" 2024
open_g01=$(sqlite3 "$db" "SELECT count(*) FROM cases c JOIN agencies a ON a.id=c.agency_id WHERE a.code='G01' AND c.concluded_on IS NULL")
echo "agency G01: $(sqlite3 "$db" "SELECT count(*) FROM cases c JOIN agencies a ON a.id=c.agency_id WHERE a.code='G01'") cases, $open_g01 open"
page() {  # name paths-file connections
  OGI_TOKEN=$token OGI_PATHS="$2" wrk -t1 -c"$3" -d8s --latency -s tests/bench/pages.lua "$base" >"$work/wrk.out" 2>&1
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/{print $2}' "$work/wrk.out")
  p50=$(awk '$1=="50%"{print $2}' "$work/wrk.out")
  p99=$(awk '$1=="99%"{print $2}' "$work/wrk.out")
  non2xx=$(awk '/Non-2xx/{print $NF}' "$work/wrk.out")
  echo "http_$1 p50=$p50 p99=$p99 req/s=$rps non2xx=${non2xx:-0} ($3 connections)"
}
for c in 1 8; do
  page case_page "$work/case_paths" $c
  page dashboard "$work/dashboard_paths" $c
  page search "$work/search_paths" $c
  page search_common_term "$work/search_common_paths" $c
done
OGI_TOKEN=$token wrk -t2 -c16 -d10s --latency -s tests/bench/register.lua "$base/api/v1/cases" >"$work/wrk.out" 2>&1
echo "http_register req/s=$(awk '/Requests\/sec/{print $2}' "$work/wrk.out") p50=$(awk '$1=="50%"{print $2}' "$work/wrk.out") p99=$(awk '$1=="99%"{print $2}' "$work/wrk.out") non2xx=$(awk '/Non-2xx/{print $NF}' "$work/wrk.out") (16 keep-alive clients)"
echo "server_rss_kib $(ps -o rss= -p $server)"
kill -TERM $server; wait $server || true
# The baseline writes the same rows with the same durability into a copy of the same database
# (a million cases: the index sizes matter), and, for reference, into an empty one.
cp "$db" "$work/baseline.db"
echo -n "same database: "; ./build/tests/sqlite_baseline "$work/baseline.db" 20000
rm -f "$work"/baseline.db*
echo -n "empty database: "; ./build/tests/sqlite_baseline "$work/baseline.db" 20000
