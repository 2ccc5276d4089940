#!/usr/bin/env bash
# Cross-checks the shipped calendar (workflow/calendar/*.cal, as `ogi calendar workday` reads it)
# against the independent npm package chinese-days, every day from 2010-01-01 to 2026-12-31.
#
# Usage: chinese_days_test.sh PATH_TO_OGI SOURCE_DIR
#
# Needs node and npm with access to the npm registry; if chinese-days cannot be installed the
# test fails (it is never skipped). One "ok"/"not ok" line per check (a check per year), each
# difference printed, and a closing "N passed, M failed"; exits non-zero on any failure.
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 PATH_TO_OGI SOURCE_DIR" >&2
  exit 2
fi
OGI=$1
SRC=$2
FROM=2010-01-01
TO=2026-12-31
FIRST_YEAR=2010
LAST_YEAR=2026
EXPECTED_DAYS=6209 # 2010-01-01 .. 2026-12-31 inclusive

unset OGI_TODAY OGI_DATA_DIR

. "$SRC/tests/lib/tap.sh"
tap_start chinese_days
# stop here with the summary (a missing prerequisite)
summary() { tap_finish; }

if [ -x "$OGI" ]; then ok "ogi is executable ($OGI)"; else
  notok "ogi is executable ($OGI)"
  summary
fi
if [ -f "$SRC/tests/calendar/chinese_days_dump.mjs" ]; then ok "chinese_days_dump.mjs is present"; else
  notok "chinese_days_dump.mjs is present" "missing: $SRC/tests/calendar/chinese_days_dump.mjs"
  summary
fi
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then ok "node and npm are available"; else
  notok "node and npm are available" "node: $(command -v node || echo missing), npm: $(command -v npm || echo missing)"
  summary
fi

# Install chinese-days@1 into the temp dir (its own package.json, so npm does not climb up to an
# enclosing project).
mkdir -p "$T/npm"
printf '{"name":"ogi-chinese-days-check","private":true}\n' >"$T/npm/package.json"
(cd "$T/npm" && npm install --no-audit --no-fund --silent chinese-days@1) >"$T/npm.log" 2>&1
npm_rc=$?
if [ "$npm_rc" -eq 0 ] && [ -f "$T/npm/node_modules/chinese-days/package.json" ]; then
  ver=$(node -e 'process.stdout.write(require(process.argv[1]).version)' "$T/npm/node_modules/chinese-days/package.json" 2>/dev/null)
  case $ver in
    1.*) ok "npm install chinese-days@1 (version $ver)" ;;
    *)
      notok "npm install chinese-days@1" "installed version '$ver' is not 1.x"
      summary
      ;;
  esac
else
  notok "npm install chinese-days@1" "npm exited $npm_rc (it ran with --silent): $(tail -n 5 "$T/npm.log" | tr '\n' '|')"
  summary
fi

# The reference: one "DATE yes|no" line per day.
if (cd "$T/npm" && node "$SRC/tests/calendar/chinese_days_dump.mjs" "$FROM" "$TO") >"$T/ref" 2>"$T/ref.err"; then
  ok "chinese_days_dump.mjs $FROM $TO ran"
else
  notok "chinese_days_dump.mjs $FROM $TO ran" "$(head -c 400 "$T/ref.err" | tr '\n' '|')"
  summary
fi
bad_ref=$(grep -Evc '^[0-9]{4}-[0-9]{2}-[0-9]{2} (yes|no)$' "$T/ref")
ref_days=$(wc -l <"$T/ref" | tr -d ' ')
if [ "$bad_ref" -eq 0 ] && [ "$ref_days" -eq "$EXPECTED_DAYS" ]; then
  ok "chinese-days answered $ref_days days, each 'DATE yes|no'"
else
  notok "chinese-days answered $EXPECTED_DAYS days, each 'DATE yes|no'" "got $ref_days lines, $bad_ref malformed"
fi

# The same dates through ogi, in one batch.
cut -d' ' -f1 "$T/ref" >"$T/dates"
if "$OGI" calendar workday - <"$T/dates" >"$T/ogi" 2>"$T/ogi.err"; then
  ok "ogi calendar workday - answered the batch (exit 0)"
else
  notok "ogi calendar workday - answered the batch (exit 0)" "$(head -c 400 "$T/ogi.err" | tr '\n' '|')"
fi
ogi_days=$(wc -l <"$T/ogi" | tr -d ' ')
bad_ogi=$(grep -Evc '^(yes|no)$' "$T/ogi")
if [ "$ogi_days" -eq "$ref_days" ] && [ "$bad_ogi" -eq 0 ]; then
  ok "ogi gave one yes/no answer per date ($ogi_days)"
else
  notok "ogi gave one yes/no answer per date" "got $ogi_days answers for $ref_days dates, $bad_ogi not yes/no"
fi

# Compare day by day, a check per year; print every difference.
paste -d' ' "$T/ref" "$T/ogi" >"$T/both"
compared=0
for ((y = FIRST_YEAR; y <= LAST_YEAR; y++)); do
  if (((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)); then want=366; else want=365; fi
  n=$(grep -c "^$y-" "$T/both")
  diffs=$(awk -v y="$y" 'index($1, y "-") == 1 && (NF != 3 || $2 != $3) { print $1 ": chinese-days " $2 ", ogi " ($3 == "" ? "(no answer)" : $3) }' "$T/both")
  ndiff=$(printf '%s' "$diffs" | grep -c .)
  compared=$((compared + n))
  if [ "$n" -eq "$want" ] && [ "$ndiff" -eq 0 ]; then
    ok "$y: all $n days agree with chinese-days"
  else
    msgs=()
    [ "$n" -ne "$want" ] && msgs+=("compared $n days, expected $want")
    while IFS= read -r d; do [ -n "$d" ] && msgs+=("$d"); done <<<"$diffs"
    notok "$y: $ndiff of $n days differ from chinese-days" "${msgs[@]}"
  fi
done

# Every compared line must have had a counterpart on both sides.
agree=$(awk 'NF == 3 && $2 == $3' "$T/both" | wc -l | tr -d ' ')
if [ "$compared" -eq "$EXPECTED_DAYS" ] && [ "$agree" -eq "$EXPECTED_DAYS" ]; then
  ok "compared $compared days ($FROM .. $TO), all agree"
else
  notok "compared $EXPECTED_DAYS days ($FROM .. $TO), all agree" "compared $compared, agreeing $agree"
fi

summary
