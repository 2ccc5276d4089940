#!/usr/bin/env bash
# The benchmark's search set (issue 15 §1, issue 17 §2): queries that find their case, as people
# type them, each timed on its own with wrk and printed beside its hit count.
# Usage: search_set.sh DB BASE_URL TOKEN CONNECTIONS [SECONDS]
# Prints one line per query: "search_LABEL hits=N p50=… p99=… req/s=… (C connections) q=QUERY".
# The case quoted is the newest G01 case with a phone (G01 is the benchmark user's agency).
set -euo pipefail
db=$1 base=$2 token=$3 conns=$4 secs=${5:-5}
here="$(cd "$(dirname "$0")" && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

urlenc() {  # percent-encodes every byte but the unreserved ASCII ones
  local LC_ALL=C s=$1 out="" i c
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case $c in
      [a-zA-Z0-9.~_-]) out+=$c ;;
      *) out+=$(printf '%%%02X' "'$c" | tail -c 3) ;;
    esac
  done
  printf '%s' "$out"
}

IFS=$'\t' read -r number year seq ident phone name content < <(sqlite3 -separator $'\t' "$db" \
  "SELECT c.number, c.year, c.seq, coalesce(nullif(p.id_number, ''), p.credit_code), p.phone, p.name,
          c.content
   FROM cases c JOIN agencies a ON a.id = c.agency_id JOIN applicants p ON p.id = c.applicant_id
   WHERE a.code = 'G01' AND p.phone <> '' ORDER BY c.id DESC LIMIT 1")
two_name=$(sqlite3 "$db" "SELECT substr('$(printf '%s' "$name" | sed "s/'/''/g")', 1, 2)")
two_word=$(sqlite3 "$db" "SELECT substr('$(printf '%s' "$content" | sed "s/'/''/g")', 5, 2)")
queries=(
  "number_as_printed|$number"
  "number_square_brackets|$(printf '%s' "$number" | sed 's/〔/[/; s/〕/]/')"
  "number_seq_only|第${seq}号"
  "number_year_dash_seq|${year}-${seq}"
  "identity|$ident"
  "phone|$phone"
  "name_two_chars|$two_name"
  "word_two_chars|$two_word"
)
for entry in "${queries[@]}"; do
  label=${entry%%|*} q=${entry#*|}
  enc=$(urlenc "$q")
  hits=$(curl -s -H "Authorization: Bearer $token" "$base/api/v1/cases?per_page=1&q=$enc" |
    sed -nE 's/.*"total":([0-9]+).*"total_more":(true|false).*/\1 \2/p')
  [[ ${hits#* } == true ]] && hits="${hits% *}+" || hits=${hits% *}
  echo "/cases?q=$enc" >"$work/paths"
  OGI_TOKEN=$token OGI_PATHS="$work/paths" wrk -t1 -c"$conns" -d"${secs}s" --latency \
    -s "$here/pages.lua" "$base" >"$work/wrk.out" 2>&1
  echo "search_$label hits=${hits:-?} p50=$(awk '$1=="50%"{print $2}' "$work/wrk.out")" \
    "p99=$(awk '$1=="99%"{print $2}' "$work/wrk.out")" \
    "req/s=$(awk '/Requests\/sec/{print $2}' "$work/wrk.out") ($conns connections) q=$q"
done
