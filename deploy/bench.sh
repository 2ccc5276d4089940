#!/usr/bin/env bash
# Benchmarks; figures are recorded in docs/performance.md. Usage: deploy/bench.sh [CASES]
#  1. core and store (tests/bench/bench_main.cpp): due dates/s, register+decide through the store;
#  2. HTTP with CASES generated cases (default 1,000,000; `ogi demo generate`): p50/p99 of the
#     case page, the dashboard and searches, and registrations/s with 16 keep-alive clients,
#     next to a minimal SQLite program inserting the same rows with the same durability;
#     every page next to a minimal Poco hello-world (tests/bench/poco_hello.cpp) with the same
#     server settings at the same connections;
#  3. the server's memory (RSS) with CASES cases, and the time to import CASES cases from a CSV
#     file (`ogi import cases`, docs/import.md) into a fresh database.
# At the end, one markdown table: every figure of the run next to its baseline and the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
OGI_WITH_BENCH=1 ./deploy/deps.sh
./deploy/build.sh
CASES="${1:-1000000}"
machine="$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM, kernel $(uname -r), $(date -u +%Y-%m-%d)"
echo "machine: $machine"
stack="$(lscpu | sed -n 's/^Model name: *//p' | head -1); gcc $(gcc -dumpfullversion) ${BUILD_TYPE:-RelWithDebInfo}, SQLite $(sqlite3 --version | cut -d' ' -f1), Poco $(dpkg-query -W -f='${Version}' libpoco-dev 2>/dev/null), $({ wrk -v 2>&1 || true; } | head -1 | cut -d" " -f1-2), $(findmnt -no FSTYPE -T /tmp) /tmp"
echo "stack: $stack; load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"

work=$(mktemp -d /tmp/ogi-bench-XXXXXX)
server="" hello=""
trap 'kill $server $hello 2>/dev/null || true; rm -rf "$work"' EXIT
# Figures are collected as they are printed, for the summary table at the end.
fig() { awk -v k="$1" -v n="$2" '$1==k{print $n; exit}' "$3"; }
./build/tests/ogi_bench 100000 | tee "$work/core.out"
due_rate=$(fig due_date_add_workdays 2 "$work/core.out")
clock_rate=$(fig compute_clock_full_case 2 "$work/core.out")
store_rate=$(fig store_register_and_decide 2 "$work/core.out")
receipt_rate=$(fig letter_render_receipt 2 "$work/core.out")
receipt_us=$(fig letter_render_receipt 4 "$work/core.out" | tr -d '(')
receipt_tx_us=$(fig letter_finish_in_transaction_receipt 2 "$work/core.out")
reply_rate=$(fig letter_render_reply_partially_disclosed 2 "$work/core.out")
reply_us=$(fig letter_render_reply_partially_disclosed 4 "$work/core.out" | tr -d '(')
reply_tx_us=$(fig letter_finish_in_transaction_reply_partially_disclosed 2 "$work/core.out")

db="$work/bench.db"
start=$(date +%s.%N)
./build/ogi demo generate --db "$db" --cases "$CASES" 2>/dev/null
generate_s=$(echo "$(date +%s.%N) - $start" | bc)
echo "generate_cases $CASES in $generate_s s"
# The register to import later (docs/import.md's columns, by code): the generated cases, as an
# office's spreadsheet would list them; written now, before the server adds registrations.
sqlite3 -csv -header "$db" "SELECT c.number, c.received_on, c.applicant_type, a.name, c.channel, c.content, c.outcome,
  coalesce(c.concluded_on, '') AS concluded_on, CASE WHEN c.outcome IN ('', 'withdrawn') THEN '' ELSE 'post' END AS delivery_method
  FROM cases c JOIN applicants a ON a.id = c.applicant_id ORDER BY c.id" >"$work/import.csv"
./build/ogi serve --db "$db" --listen 127.0.0.1:0 --port-file "$work/port" >"$work/server.log" 2>&1 &
server=$!
./build/tests/poco_hello "$work/hello_port" &
hello=$!
for _ in $(seq 50); do [[ -s "$work/port" && -s "$work/hello_port" ]] && break; sleep 0.2; done
port=$(cat "$work/port")
base="http://127.0.0.1:$port"
hello_base="http://127.0.0.1:$(cat "$work/hello_port")"
token=$(curl -s -X POST "$base/api/v1/session" -d '{"username":"genG01","password":"demo-pass-2026"}' | sed -E 's/.*"token":"([0-9a-f]+)".*/\1/')
sqlite3 "$db" "SELECT '/cases/' || c.id FROM cases c JOIN agencies a ON a.id=c.agency_id WHERE a.code='G01' ORDER BY random() LIMIT 1000" >"$work/case_paths"
echo "/" >"$work/dashboard_paths"
echo "/healthz" >"$work/healthz_paths"
# Filters (overdue, type + dates, a stage); the search box's queries, each finding its case, are
# timed one by one by tests/bench/search_set.sh below; and a term every generated case contains
# (批复文件), the worst case for the full-text index, reported apart.
printf '%s\n' "/cases?overdue=1" "/cases?applicant_type=commercial_enterprise&from=2024-01-01&to=2024-12-31" "/cases?stage=review" >"$work/search_paths"
echo "/cases?q=%E6%89%B9%E5%A4%8D%E6%96%87%E4%BB%B6" >"$work/search_common_paths"
# Issue 5: the annual report (one agency-year, and the roll-up over all agencies) next to a
# hand-written GROUP BY of the same counts, on the million cases.
./build/tests/report_bench "$db" 2024 | tee "$work/report.out"
report_one=$(fig report_one_agency_year 2 "$work/report.out")
report_one_base=$(fig report_one_agency_year 7 "$work/report.out")
report_one_ratio=$(fig report_one_agency_year 10 "$work/report.out" | tr -d ')')
report_all=$(fig report_rollup_all_agencies 2 "$work/report.out")
report_all_base=$(fig report_rollup_all_agencies 7 "$work/report.out")
report_all_ratio=$(fig report_rollup_all_agencies 10 "$work/report.out" | tr -d ')')
open_g01=$(sqlite3 "$db" "SELECT count(*) FROM cases c JOIN agencies a ON a.id=c.agency_id WHERE a.code='G01' AND c.concluded_on IS NULL")
echo "agency G01: $(sqlite3 "$db" "SELECT count(*) FROM cases c JOIN agencies a ON a.id=c.agency_id WHERE a.code='G01'") cases, $open_g01 open"
declare -A P50 P99 RPS NON2XX
page() {  # name paths-file connections [base URL, default ogi's]
  OGI_TOKEN=$token OGI_PATHS="$2" wrk -t1 -c"$3" -d8s --latency -s tests/bench/pages.lua "${4:-$base}" >"$work/wrk.out" 2>&1
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/{print $2}' "$work/wrk.out")
  p50=$(awk '$1=="50%"{print $2}' "$work/wrk.out")
  p99=$(awk '$1=="99%"{print $2}' "$work/wrk.out")
  non2xx=$(awk '/Non-2xx/{print $NF}' "$work/wrk.out")
  echo "http_$1 p50=$p50 p99=$p99 req/s=$rps non2xx=${non2xx:-0} ($3 connections)"
  P50[$1_$3]=$p50 P99[$1_$3]=$p99 RPS[$1_$3]=$rps NON2XX[$1_$3]=${non2xx:-0}
}
for c in 1 8; do
  # the baseline: a Poco hello-world with ogi serve's settings (same wrk, script and connections)
  page poco_hello "$work/healthz_paths" $c "$hello_base"
  page healthz "$work/healthz_paths" $c
  page case_page "$work/case_paths" $c
  page dashboard "$work/dashboard_paths" $c
  page search "$work/search_paths" $c
  page search_common_term "$work/search_common_paths" $c
  tests/bench/search_set.sh "$db" "$base" "$token" $c 5 | tee "$work/search_set_$c.out"
done
kill -TERM $hello; wait $hello || true; hello=""
OGI_TOKEN=$token wrk -t2 -c16 -d10s --latency -s tests/bench/register.lua "$base/api/v1/cases" >"$work/wrk.out" 2>&1
reg_rps=$(awk '/Requests\/sec/{print $2}' "$work/wrk.out")
reg_p50=$(awk '$1=="50%"{print $2}' "$work/wrk.out")
reg_p99=$(awk '$1=="99%"{print $2}' "$work/wrk.out")
reg_non2xx=$(awk '/Non-2xx/{print $NF}' "$work/wrk.out")
echo "http_register req/s=$reg_rps p50=$reg_p50 p99=$reg_p99 non2xx=$reg_non2xx (16 keep-alive clients)"
rss_kib=$(ps -o rss= -p $server | tr -d ' ')
rss_peak_kib=$(awk '/^VmHWM:/{print $2}' /proc/$server/status)
echo "server_rss_kib $rss_kib"
echo "server_rss_peak_kib $rss_peak_kib (VmHWM, $CASES cases)"
kill -TERM $server; wait $server || true; server=""
# The baseline writes the same rows with the same durability into a copy of the same database
# (a million cases: the index sizes matter), and, for reference, into an empty one.
cp "$db" "$work/baseline.db"
echo -n "same database: "; ./build/tests/sqlite_baseline "$work/baseline.db" 20000 | tee "$work/baseline.out"
base_same=$(fig sqlite_baseline_registrations 2 "$work/baseline.out")
rm -f "$work"/baseline.db*
echo -n "empty database: "; ./build/tests/sqlite_baseline "$work/baseline.db" 20000 | tee "$work/baseline.out"
base_empty=$(fig sqlite_baseline_registrations 2 "$work/baseline.out")
rm -f "$work"/baseline.db*

# Issue 6: importing the CASES generated cases (one agency, all or nothing) into a fresh database.
idb="$work/import.db"
./build/ogi init --db "$idb" >/dev/null
./build/ogi agency add --db "$idb" --code IMP --name 导入机关 --pattern 'IMP依申〔{year}〕第{seq}号' >/dev/null
import_rows=$(($(wc -l <"$work/import.csv") - 1))
timer=()
[[ -x /usr/bin/time ]] && timer=(/usr/bin/time -f %M -o "$work/import.rss")
start=$(date +%s.%N)
"${timer[@]}" ./build/ogi import cases "$work/import.csv" --db "$idb" --agency IMP
import_s=$(echo "$(date +%s.%N) - $start" | bc)
import_rate=$(echo "$import_rows / $import_s" | bc)
import_peak_kib=$(cat "$work/import.rss" 2>/dev/null || echo "")
echo "import_cases $import_rows in $(printf '%.1f' "$import_s") s ($import_rate cases/s)${import_peak_kib:+, peak RSS $((import_peak_kib / 1024)) MB}"
imported=$(sqlite3 "$idb" "SELECT count(*) FROM cases")
[[ "$imported" == "$import_rows" ]] || echo "import: $imported cases in the database, $import_rows rows in the file"

# The summary: every figure of this run next to its baseline from the same run, and the ratio.
ms() {  # a wrk latency (640.00us, 1.08ms, 1.37s, 1.2m) in ms
  awk -v v="$1" 'BEGIN{ if (v=="") exit; n=v+0; u=v; sub(/^[0-9.]+/,"",u);
    f = u=="us" ? 0.001 : u=="ms" ? 1 : u=="s" ? 1000 : u=="m" ? 60000 : 0; if (f==0) exit; printf "%.3g", n*f }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a=="" || b=="" || b+0==0) print "—"; else printf "%.2f", a/b }'; }
num() {  # 1234567.8 → 1,234,568
  if [[ -z "$1" ]]; then echo "—"; else printf '%.0f' "$1" | sed -E ':a; s/([0-9])([0-9]{3})($|,)/\1,\2\3/; ta'; fi
}
mb() { awk -v k="$1" 'BEGIN{printf "%.0f", k/1024}'; }
echo
echo "## Summary ($CASES cases; $machine; $stack)"
echo
echo "| figure | this run | baseline, same run | ratio (this run ÷ baseline) | target |"
echo "|---|---|---|---|---|"
echo "| due dates (\`add_workdays\`, 20 working days), one core | $due_rate M/s | — | — | ≥ 10 M/s (issue 2): $(ratio "$due_rate" 10)× |"
echo "| full clock of a case (\`compute_clock\`) | $clock_rate M/s | — | — | — |"
echo "| register + decide through the store, one client, FULL | $(num "$store_rate") cases/s | — | — | — |"
echo "| letter render: receipt (in the transaction: $receipt_tx_us µs) | $(num "$receipt_rate") letters/s ($receipt_us µs) | — | — | — |"
echo "| letter render: reply, three partials (in the transaction: $reply_tx_us µs) | $(num "$reply_rate") letters/s ($reply_us µs) | — | — | — |"
echo "| registrations over HTTP, 16 clients (p50 / p99 $reg_p50 / $reg_p99, non-2xx ${reg_non2xx:-0}) vs raw SQLite inserts, same database, FULL | $(num "$reg_rps") req/s | $(num "$base_same") /s | $(ratio "$reg_rps" "$base_same") | ≥ 0.50 |"
echo "| the same baseline into an empty database (reference) | — | $(num "$base_empty") /s | — | — |"
for name in healthz case_page dashboard search search_common_term; do
  case $name in
    healthz) label="\`/healthz\`" target="—" ;;
    case_page) label="case page (1,000 random G01 cases)" target="p99 < 50 ms" ;;
    dashboard) label="dashboard (\`/\`, $open_g01 open cases)" target="—" ;;
    search) label="case list filters (overdue; type + dates; a stage)" target="—" ;;
    search_common_term) label="search, a term in every case (worst case)" target="—" ;;
  esac
  for c in 1 8; do
    k=${name}_$c h=poco_hello_$c
    echo "| $label, $c conn., p50 / p99 (req/s) vs Poco hello-world | $(ms "${P50[$k]}") / $(ms "${P99[$k]}") ms ($(num "${RPS[$k]}")$([[ "${NON2XX[$k]}" != 0 ]] && echo ", non-2xx ${NON2XX[$k]}")) | $(ms "${P50[$h]}") / $(ms "${P99[$h]}") ms ($(num "${RPS[$h]}")) | $(ratio "$(ms "${P50[$k]}")" "$(ms "${P50[$h]}")") / $(ratio "$(ms "${P99[$k]}")" "$(ms "${P99[$h]}")") | $target |"
  done
done
# The search box, query by query (tests/bench/search_set.sh): what was typed, the hits, the time.
while read -r key hits p50 p99 rps conns _ q; do
  echo "| search \"${q#q=}\" (${key#search_}, ${hits#hits=} hits), 8 conn., p50 / p99 (req/s) | $(ms "${p50#p50=}") / $(ms "${p99#p99=}") ms ($(num "${rps#req/s=}")) | — | — | p99 < 50 ms |"
done <"$work/search_set_8.out"
echo "| annual report, one agency-year (G01, 2024) vs hand-written GROUP BY | $report_one ms | $report_one_base ms | $report_one_ratio | ≤ 2× and < 1 s |"
echo "| annual report, roll-up over all agencies vs hand-written GROUP BY | $report_all ms | $report_all_base ms | $report_all_ratio | ≤ 2× and < 1 s |"
echo "| server RSS with $(num "$CASES") cases, after the run (peak $(mb "$rss_peak_kib") MB) vs target | $(mb "$rss_kib") MB | 150 MB | $(ratio "$rss_kib" $((150 * 1024))) | < 150 MB |"
echo "| generate $(num "$CASES") cases (\`ogi demo generate\`) | $(printf '%.1f' "$generate_s") s ($(num "$(echo "$CASES / $generate_s" | bc)") cases/s) | — | — | — |"
echo "| import $(num "$import_rows") cases from CSV into a fresh database (\`ogi import cases\`${import_peak_kib:+, peak RSS $(mb "$import_peak_kib") MB}) | $(printf '%.1f' "$import_s") s ($(num "$import_rate") cases/s) | — | — | — |"
