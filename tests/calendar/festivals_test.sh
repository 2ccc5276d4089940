#!/usr/bin/env bash
# Checks the shipped lunar festival table workflow/calendar/festivals.tsv (generated from the npm
# package lunar-javascript by tests/calendar/make_festivals.mjs; the provisional calendar for years
# after the last imported holiday notice is built on it):
#   - its shape: years 2010-2060 each exactly once and in order, every date a real YYYY-MM-DD of
#     its own year inside the window where that festival can fall;
#   - against a different npm package, chinese-days@1 (tests/calendar/festivals_check.mjs): 正月初一,
#     清明 (solar term day), 五月初五 and 八月十五 of every year, one check per year;
#   - against the published notices transcribed in workflow/calendar/YYYY.cal: in every official
#     year each of the four dates falls inside a `holiday` range named after its festival.
#
# Usage: festivals_test.sh SOURCE_DIR
#
# Needs node and npm with access to the npm registry; if chinese-days cannot be installed the
# test fails (it is never skipped). One "ok"/"not ok" line per check, each difference printed,
# and a closing "N passed, M failed"; exits non-zero on any failure. Reads no clock and no locale:
# TZ and LC_ALL are pinned below.
set -u

if [ $# -ne 1 ]; then
  echo "usage: $0 SOURCE_DIR" >&2
  exit 2
fi
SRC=$1
TABLE=$SRC/workflow/calendar/festivals.tsv
CALDIR=$SRC/workflow/calendar
CHECK=$SRC/tests/calendar/festivals_check.mjs
FIRST_YEAR=2010
LAST_YEAR=2060
FIRST_OFFICIAL=2010 # workflow/calendar/2010.cal .. 2026.cal must exist (later ones are checked too)
LAST_OFFICIAL=2026

# chinese-days reads dates back with local-time getters: UTC (the helper pins it as well).
export TZ=UTC LC_ALL=C
unset NODE_PATH

. "$SRC/tests/lib/tap.sh"
tap_start festivals
# stop here with the summary (a missing prerequisite)
summary() { tap_finish; }

if [ -f "$TABLE" ]; then ok "festivals.tsv is present"; else
  notok "festivals.tsv is present" "missing: $TABLE"
  summary
fi
if [ -f "$CHECK" ]; then ok "festivals_check.mjs is present"; else
  notok "festivals_check.mjs is present" "missing: $CHECK"
  summary
fi
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then ok "node and npm are available"; else
  notok "node and npm are available" "node: $(command -v node || echo missing), npm: $(command -v npm || echo missing)"
  summary
fi

# ---- The table's shape --------------------------------------------------------------------------

header=$(head -n 1 "$TABLE")
if [ "$header" = "$(printf '# year\tspring\tqingming\tduanwu\tzhongqiu')" ]; then
  ok "festivals.tsv starts with the header comment naming the columns"
else
  notok "festivals.tsv starts with the header comment naming the columns" "first line: $header"
fi

# Data lines: everything but '#' comments. Each must be YEAR and four YYYY-MM-DD, tab-separated.
# (awk here may be mawk, without {n} intervals in regular expressions: grep -E for those.)
grep -v '^#' "$TABLE" >"$T/rows"
bad_rows=$(grep -nEv $'^[0-9]{4}(\t[0-9]{4}-[0-9]{2}-[0-9]{2}){4}$' "$T/rows" | sed 's/^\([0-9]*\):/line \1 of the data: /')
if [ -z "$bad_rows" ]; then
  ok "every data line is YEAR and four YYYY-MM-DD dates, tab-separated"
else
  msgs=()
  while IFS= read -r l; do msgs+=("$l"); done <<<"$bad_rows"
  notok "every data line is YEAR and four YYYY-MM-DD dates, tab-separated" "${msgs[@]}"
fi

cut -f1 "$T/rows" >"$T/years"
seq "$FIRST_YEAR" "$LAST_YEAR" >"$T/want_years"
if cmp -s "$T/years" "$T/want_years"; then
  ok "years $FIRST_YEAR..$LAST_YEAR each listed exactly once, in order"
else
  msgs=()
  while IFS= read -r l; do msgs+=("$l"); done < <(
    dups=$(sort "$T/years" | uniq -d | tr '\n' ' ')
    [ -n "$dups" ] && echo "listed more than once: $dups"
    missing=$(sort "$T/want_years" | comm -23 - <(sort -u "$T/years") | sort -n | tr '\n' ' ')
    [ -n "$missing" ] && echo "missing: $missing"
    extra=$(sort -u "$T/years" | comm -13 <(sort "$T/want_years") - | tr '\n' ' ')
    [ -n "$extra" ] && echo "outside $FIRST_YEAR..$LAST_YEAR: $extra"
    sort -n "$T/years" | cmp -s - "$T/years" || echo "not in ascending order"
  )
  notok "years $FIRST_YEAR..$LAST_YEAR each listed exactly once, in order" "${msgs[@]}"
fi

# Each column: a real date of its own year, within the window where the festival can fall.
# 正月初一 is the new moon of the month holding 雨水 (Feb 18-19), 五月 holds 夏至 (Jun 21-22), 八月
# holds 秋分 (Sep 22-23): so the first of such a month is at most 29 days before that term, which
# bounds 初五 from May 27 (it happens: 2039-05-27) and 十五 from Sep 7.
cols=(spring qingming duanwu zhongqiu)
lows=(01-21 04-04 05-27 09-07)
highs=(02-20 04-06 06-25 10-08)
for i in 0 1 2 3; do
  col=${cols[$i]}
  probs=$(awk -F'\t' -v c=$((i + 2)) -v lo="${lows[$i]}" -v hi="${highs[$i]}" -v col="$col" '
    function dim(y, m) {
      if (m == 2) return ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : 28
      return (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31
    }
    NF >= c {
      d = $c
      if (d !~ /^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$/) { print $1 ": " col " " d " is not YYYY-MM-DD"; next }
      y = substr(d, 1, 4) + 0; m = substr(d, 6, 2) + 0; dd = substr(d, 9, 2) + 0
      if (m < 1 || m > 12 || dd < 1 || dd > dim(y, m)) { print $1 ": " col " " d " is not a real date"; next }
      if (substr(d, 1, 4) != $1) { print $1 ": " col " " d " is not in " $1; next }
      md = substr(d, 6)
      if (md < lo || md > hi) print $1 ": " col " " d " is outside " lo ".." hi
    }
    NF < c { print $1 ": no " col " column" }' "$T/rows")
  name="every $col date is a real date of its year within ${lows[$i]}..${highs[$i]}"
  if [ -z "$probs" ]; then ok "$name"; else
    msgs=()
    while IFS= read -r l; do msgs+=("$l"); done <<<"$probs"
    notok "$name" "${msgs[@]}"
  fi
done

# ---- Against chinese-days ------------------------------------------------------------------------

# Install chinese-days@1 into the temp dir (its own package.json, so npm does not climb up to an
# enclosing project).
mkdir -p "$T/npm"
printf '{"name":"ogi-festivals-check","private":true}\n' >"$T/npm/package.json"
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

if (cd "$T/npm" && node "$CHECK" "$FIRST_YEAR" "$LAST_YEAR") >"$T/ref" 2>"$T/ref.err"; then
  ok "festivals_check.mjs $FIRST_YEAR $LAST_YEAR ran"
else
  notok "festivals_check.mjs $FIRST_YEAR $LAST_YEAR ran" "$(head -c 400 "$T/ref.err" | tr '\n' '|')"
  summary
fi
if cut -f1 "$T/ref" | cmp -s - "$T/want_years"; then
  ok "chinese-days answered one line per year $FIRST_YEAR..$LAST_YEAR"
else
  notok "chinese-days answered one line per year $FIRST_YEAR..$LAST_YEAR" "got $(wc -l <"$T/ref" | tr -d ' ') lines: $(head -n 3 "$T/ref" | tr '\n' '|')"
fi

# One check per year; print every difference (a "none"/"many:..." answer is a difference too).
for ((y = FIRST_YEAR; y <= LAST_YEAR; y++)); do
  row=$(awk -F'\t' -v y="$y" '$1 == y' "$T/rows" | head -n 1)
  ref=$(awk -F'\t' -v y="$y" '$1 == y' "$T/ref" | head -n 1)
  if [ -z "$row" ]; then
    notok "$y: table agrees with chinese-days" "$y is not in festivals.tsv"
    continue
  fi
  if [ -z "$ref" ]; then
    notok "$y: table agrees with chinese-days" "chinese-days gave no line for $y"
    continue
  fi
  IFS=$'\t' read -r _ t1 t2 t3 t4 <<<"$row"
  IFS=$'\t' read -r _ r1 r2 r3 r4 <<<"$ref"
  tv=("$t1" "$t2" "$t3" "$t4")
  rv=("$r1" "$r2" "$r3" "$r4")
  labels=("spring (正月初一)" "qingming (清明)" "duanwu (五月初五)" "zhongqiu (八月十五)")
  msgs=()
  for i in 0 1 2 3; do
    [ "${tv[$i]}" = "${rv[$i]}" ] || msgs+=("${labels[$i]}: table ${tv[$i]:-(empty)}, chinese-days ${rv[$i]:-(empty)}")
  done
  if [ ${#msgs[@]} -eq 0 ]; then
    ok "$y: table agrees with chinese-days (spring $t1, qingming $t2, duanwu $t3, zhongqiu $t4)"
  else
    notok "$y: table agrees with chinese-days (${#msgs[@]} of 4 differ)" "${msgs[@]}"
  fi
done

# ---- Against the official calendar (published notices) -----------------------------------------

# Every *.cal is a year file (the program loads them all), so none may be named otherwise.
odd=""
years=""
for f in "$CALDIR"/*.cal; do
  [ -f "$f" ] || continue
  b=${f##*/}
  if [[ $b =~ ^[0-9]{4}\.cal$ ]]; then years+="${b%.cal} "; else odd+="$b "; fi
done
missing=""
for ((y = FIRST_OFFICIAL; y <= LAST_OFFICIAL; y++)); do
  [ -f "$CALDIR/$y.cal" ] || missing+="$y.cal "
done
if [ -z "$odd" ] && [ -z "$missing" ]; then
  ok "workflow/calendar has $FIRST_OFFICIAL.cal..$LAST_OFFICIAL.cal and only YYYY.cal year files"
else
  msgs=()
  [ -n "$missing" ] && msgs+=("missing: $missing")
  [ -n "$odd" ] && msgs+=("not named YYYY.cal: $odd")
  notok "workflow/calendar has $FIRST_OFFICIAL.cal..$LAST_OFFICIAL.cal and only YYYY.cal year files" "${msgs[@]}"
fi

# All holiday ranges of all year files, one "START END NAME" line each ('#' starts a comment; a
# single DATE is the range DATE..DATE; the name is the rest of the line).
for y in $years; do
  awk '{ sub(/#.*/, "") }
    $1 == "holiday" && NF >= 3 {
      r = $2; s = r; e = r
      if ((k = index(r, "..")) > 0) { s = substr(r, 1, k - 1); e = substr(r, k + 2) }
      name = $3
      for (i = 4; i <= NF; i++) name = name " " $i
      print s "\t" e "\t" name
    }' "$CALDIR/$y.cal"
done >"$T/holidays"

for y in $years; do
  if ((y < FIRST_YEAR || y > LAST_YEAR)); then
    notok "$y: official holidays cover the table's festival dates" "$y.cal is outside the table's years $FIRST_YEAR..$LAST_YEAR"
    continue
  fi
  row=$(awk -F'\t' -v y="$y" '$1 == y' "$T/rows" | head -n 1)
  if [ -z "$row" ]; then
    notok "$y: official holidays cover the table's festival dates" "$y is not in festivals.tsv"
    continue
  fi
  # For each festival: the holiday ranges holding its date, and whether one is named after it.
  res=$(printf '%s\n' "$row" | awk -F'\t' -v hol="$T/holidays" '
    BEGIN {
      while ((getline line < hol) > 0) { n++; split(line, p, "\t"); hs[n] = p[1]; he[n] = p[2]; hn[n] = p[3] }
      split("春节 清明 端午 中秋", want, " ")
      split("正月初一 清明 端午 中秋", label, " ")
    }
    {
      bad = 0; good = ""
      for (c = 1; c <= 4; c++) {
        d = $(c + 1); hit = ""; other = ""
        for (i = 1; i <= n; i++) {
          if (d < hs[i] || d > he[i]) continue
          if (index(hn[i], want[c]) > 0) { hit = hn[i] " " hs[i] ".." he[i]; break }
          other = other (other == "" ? "" : "; ") hn[i] " " hs[i] ".." he[i]
        }
        if (hit != "") good = good (good == "" ? "" : ", ") label[c] " " d " in " hit
        else {
          bad++
          print "BAD\t" label[c] " " d " is in no holiday named *" want[c] "*" (other == "" ? " (no holiday that day)" : " (only in: " other ")")
        }
      }
      if (bad == 0) print "OK\t" good
    }')
  if [ "${res%%$'\t'*}" = "OK" ]; then
    ok "$y: official holidays cover the table's festival dates: ${res#OK$'\t'}"
  else
    msgs=()
    while IFS= read -r l; do [ -n "$l" ] && msgs+=("${l#BAD$'\t'}"); done <<<"$res"
    notok "$y: official holidays cover the table's festival dates" "${msgs[@]}"
  fi
done

summary
