#!/usr/bin/env bash
# The annual report's exports (domain.md §5; contract.md "Report"; docs: `ogi report annual`).
#
# Usage: reports_export_test.sh PATH_TO_OGI SOURCE_DIR SHARED_DIR
#
# Replays SHARED_DIR/scenarios/seed002-shishi-2020.json and demo-2023-2024.json through the
# command line into fresh databases (load_scenario.py: `ogi case register` / `ogi case event`),
# then for every year of each file's `expect`:
#   - `--format json` equals `expect` (format, table3, table4, and narrative_facts where given);
#   - `--format csv|html|xlsx|docx` are written; CSV, HTML and the XLSX cells carry every row of
#     the year's format (2019: one row （六）其他处理; 2021: its three sub-rows) with its figures;
#     the XLSX and DOCX have merged cells, the check note in the top-left header cell;
#   - the XLSX and DOCX, converted to PDF by LibreOffice (one soffice call for all), print the
#     row labels, the check (勾稽关系), row 一 and （七）总计 with their figures, table 4's headings
#     and figures, the title and the narrative.
# The checks of one year are in check_exports.py.
#
# Prints one "ok - ..." / "not ok - ..." line per check and closes with "N passed" (or
# "N passed, M failed"); exits non-zero when any check failed. Needs python3, LibreOffice
# (`soffice`: libreoffice-writer-nogui and libreoffice-calc-nogui) and poppler-utils (pdftotext).
set -euo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 PATH_TO_OGI SOURCE_DIR SHARED_DIR" >&2
  exit 2
fi
OGI=$1
SRC=$2
SHARED=$3
HERE=$SRC/tests/reports
SCENARIOS=(seed002-shishi-2020.json demo-2023-2024.json)

# Hermetic: the workflow and templates of SOURCE_DIR, no inherited "today".
# "Today" pinned (OGI_TEST_TODAY, default below): never the wall clock.
export OGI_TODAY=${OGI_TEST_TODAY:-2026-11-27}
export OGI_DATA_DIR=$SRC/workflow
export OGI_TEMPLATES_DIR=$SRC/templates/letters

. "$SRC/tests/lib/tap.sh"
tap_start reports_test
show() { head -n "${2:-20}" "$1" | sed 's/^/#     /'; }

# ogi ARGS... : the program, retried while it is being relinked (missing, or "Text file busy").
ogi() {
  local i rc
  for i in $(seq 30); do
    if [ -x "$OGI" ]; then
      rc=0
      "$OGI" "$@" || rc=$?
      [ "$rc" -ne 126 ] && [ "$rc" -ne 127 ] && return "$rc"
    fi
    sleep 1
  done
  return 127
}

for tool in python3 soffice pdftotext; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    notok "$tool is installed" "reports_export_test needs python3, soffice (libreoffice-writer-nogui, libreoffice-calc-nogui) and pdftotext (poppler-utils)"
  fi
done
for i in $(seq 30); do [ -x "$OGI" ] && break; sleep 1; done
[ -x "$OGI" ] || notok "$OGI is an executable"
if [ "$fail" -gt 0 ]; then
  finished=1
  echo "$pass passed, $fail failed"
  exit 1
fi

mkdir -p "$T/json" "$T/csv" "$T/html" "$T/conv" "$T/pdf"

###############################################################################################
# 1. The scenarios, through the command line
###############################################################################################

years=()  # "YEAR SCENARIO DB"
for s in "${SCENARIOS[@]}"; do
  file=$SHARED/scenarios/$s
  db=$T/${s%.json}.db
  start=$SECONDS
  if python3 "$HERE/load_scenario.py" "$OGI" "$file" "$db" >"$T/load.log" 2>&1; then
    ok "$s loaded through ogi case register / case event ($(tail -n 1 "$T/load.log"), $((SECONDS - start)) s)"
  else
    notok "$s loaded through ogi case register / case event"
    show "$T/load.log" 30
    continue
  fi
  while read -r y; do years+=("$y $file $db"); done < <(python3 -c '
import json, sys
for y in sorted(json.load(open(sys.argv[1], encoding="utf-8"))["expect"]): print(y)' "$file")
done
if [ "${#years[@]}" -eq 0 ]; then
  notok "some year to check"
fi

###############################################################################################
# 2. Every format of every expected year
###############################################################################################

for entry in "${years[@]}"; do
  read -r y file db <<<"$entry"
  bad=()
  for f in json csv html xlsx docx; do
    case $f in
      xlsx | docx) out=$T/conv/${y}_$f.$f ;;
      *) out=$T/$f/$y.$f ;;
    esac
    rc=0
    ogi report annual --db "$db" --year "$y" --format "$f" --out "$out" 2>"$T/err" || rc=$?
    if [ "$rc" -ne 0 ] || [ ! -s "$out" ]; then bad+=("$f: exit $rc, $(wc -c <"$out" 2>/dev/null || echo 0) bytes, $(head -c 300 "$T/err")"); fi
  done
  if [ "${#bad[@]}" -eq 0 ]; then
    ok "$y: ogi report annual --format json, csv, html, xlsx, docx --out FILE: exit 0, non-empty"
  else
    notok "$y: ogi report annual in every format" "${bad[@]}"
  fi
done

# One LibreOffice start for every XLSX and DOCX (start-up dominates the run time).
if ls "$T"/conv/* >/dev/null 2>&1; then
  if timeout 300 soffice --headless --norestore "-env:UserInstallation=file://$T/lo" \
      --convert-to pdf --outdir "$T/pdf" "$T"/conv/* >"$T/soffice.log" 2>&1; then
    ok "soffice converted the XLSX and DOCX to PDF in one call"
  else
    notok "soffice --convert-to pdf (all XLSX and DOCX in one call)"
    show "$T/soffice.log"
  fi
fi

###############################################################################################
# 3. The contents (check_exports.py, one year at a time)
###############################################################################################

for entry in "${years[@]}"; do
  read -r y file db <<<"$entry"
  python3 "$HERE/check_exports.py" "$T" "$y" "$file" >"$T/check.log" 2>&1 || true
  cat "$T/check.log"
  n_ok=$(grep -c '^ok - ' "$T/check.log" || true)
  n_bad=$(grep -c '^not ok - ' "$T/check.log" || true)
  pass=$((pass + n_ok))
  fail=$((fail + n_bad))
  if [ "$n_ok" -eq 0 ] || grep -q '^Traceback' "$T/check.log"; then
    notok "$y: check_exports.py ran to the end"
  fi
done

tap_finish
