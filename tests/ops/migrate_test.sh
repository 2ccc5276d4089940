#!/usr/bin/env bash
# Moving to PostgreSQL (docs/operations.md): `ogi migrate-to` copies a SQLite database with
# letters, events, consultations, remedies and an audit trail into an empty PostgreSQL database.
# Checked here independently of the program's own count check: every table's row count, every
# letter's bytes (SHA-256 recomputed by PostgreSQL), the annual report, the audit chain, the
# refusal of a non-empty target, and that numbering and ids continue after the copied ones.
# Usage: migrate_test.sh PATH_TO_OGI ADMIN_URL (a PostgreSQL server: deploy/pg-test-server.sh)
set -uo pipefail
OGI=$1
# "Today" pinned (OGI_TEST_TODAY, default below): never the wall clock.
export OGI_TODAY=${OGI_TEST_TODAY:-2026-11-27}
ADMIN=$2
. "$(dirname "$0")/../lib/tap.sh"
tap_start migrate_test
name="ogi_mig_$$"
url="${ADMIN%/*}/$name"
tap_on_exit() { psql -X -q "$ADMIN" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1; }
src="$T/src.db"
"$OGI" demo --db "$src" >/dev/null 2>&1
"$OGI" demo generate --db "$src" --cases 3000 >/dev/null 2>&1
for i in 1 2 3; do  # audited imports: an audit chain to carry over
  printf '收到日期,申请人类型,申请人,提交方式,申请内容\n2024-03-0%s,自然人,张三,邮寄,申请公开第%s号文件\n' "$i" "$i" >"$T/r$i.csv"
  "$OGI" import cases "$T/r$i.csv" --db "$src" --agency SZF >/dev/null 2>&1
done
letters=$(sqlite3 "$src" "select count(*) from letters")
[[ $letters -gt 5 && $(sqlite3 "$src" "select count(*) from cases") -gt 3000 ]] && ok "source: $(sqlite3 "$src" "select count(*) from cases") cases, $letters letters" ||
  notok "source database" "letters=$letters"
psql -X -q "$ADMIN" -c "CREATE DATABASE $name" >/dev/null
# the trail is sealed with the SQLite database's key: PostgreSQL has no file beside it to hold one
out=$("$OGI" migrate-to --from "$src" --to "$url" 2>&1); rc=$?
[[ $rc -ne 0 && $out == *"OGI_AUDIT_KEY_FILE=$src.audit-key"* ]] && ok "migrate-to without the key for PostgreSQL is refused, naming it" || notok "migrate-to without key" "rc=$rc $out"
psql -X -q "$ADMIN" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" -c "CREATE DATABASE $name" >/dev/null
export OGI_AUDIT_KEY_FILE="$src.audit-key"  # from here on, as the servers would be given it
out=$("$OGI" migrate-to --from "$src" --to "$url" 2>"$T/err"); rc=$?
[[ $rc -eq 0 && $out == *"every table's count matches"* ]] && ok "migrate-to: $out" || notok "migrate-to" "rc=$rc $out" "$(cat "$T/err")"

tables="agencies users applicants number_counters cases case_events consultations remedies calendar_years audit_log sessions login_failures attachments alerts letters letter_templates period_locks reminders"
diff_tables=()
for t in $tables; do
  a=$(sqlite3 "$src" "select count(*) from $t"); b=$(psql -X -At "$url" -c "select count(*) from $t")
  [[ $a == "$b" ]] || diff_tables+=("$t: $a vs $b")
done
[[ ${#diff_tables[@]} == 0 ]] && ok "row counts equal in all $(wc -w <<<"$tables") tables" || notok "row counts" "${diff_tables[@]}"
a=$(sqlite3 "$src" "select count(*) from case_search"); b=$(psql -X -At "$url" -c "select count(*) from case_search")
[[ $a == "$b" ]] && ok "search index rows equal ($a)" || notok "search index" "$a vs $b"

bad=$(psql -X -At "$url" -c "select count(*) from letters where encode(sha256(docx),'hex') <> sha256")
same=$(diff <(sqlite3 "$src" "select id||'|'||number||'|'||sha256 from letters order by id") \
            <(psql -X -At "$url" -c "select id||'|'||number||'|'||sha256 from letters order by id") && echo yes)
[[ $bad == 0 && $same == yes ]] && ok "every letter's DOCX arrives byte for byte (SHA-256 recomputed in PostgreSQL)" || notok "letters" "mismatched=$bad same=$same"

same_events=$(diff <(sqlite3 "$src" "select id||'|'||case_id||'|'||seq||'|'||event||'|'||on_date||'|'||fields from case_events order by id") \
                   <(psql -X -At "$url" -c "select id||'|'||case_id||'|'||seq||'|'||event||'|'||on_date||'|'||fields from case_events order by id") && echo yes)
[[ $same_events == yes ]] && ok "the event log is identical" || notok "event log differs"

year=${OGI_TODAY:0:4}
for y in 2024 "$year"; do
  for ag in SZF G01; do
    r1=$("$OGI" report annual --db "$src" --year "$y" --agency "$ag" --format csv 2>&1)
    r2=$("$OGI" report annual --db "$url" --year "$y" --agency "$ag" --format csv 2>&1)
    [[ -n $r1 && $r1 == "$r2" ]] && ok "annual report $ag $y identical on both engines" || notok "annual report $ag $y" "$(diff <(echo "$r1") <(echo "$r2") | head -5)"
  done
done
out=$("$OGI" audit verify --db "$url" 2>&1); rc=$?
chain=$(sqlite3 "$src" "select count(*) from audit_log where hash<>''")
[[ $rc -eq 0 && $out == *"audit trail intact: $chain entries"* && $chain -ge 3 ]] && ok "the copied audit chain verifies ($out)" || notok "audit verify" "rc=$rc $out"

out=$("$OGI" migrate-to --from "$src" --to "$url" 2>&1); rc=$?
[[ $rc -ne 0 && $out == *"not empty"* ]] && ok "a second copy into the same database is refused ($out)" || notok "non-empty target" "rc=$rc $out"

# Work goes on in PostgreSQL: the next case takes the next id and the agency-year's next number.
max_id=$(psql -X -At "$url" -c "select max(id) from cases")
last=$(psql -X -At "$url" -c "select last from number_counters n join agencies a on a.id=n.agency_id where a.code='SZF' and n.kind='case' and n.year=$year")
printf '{"agency":"SZF","applicant":{"type":"natural_person","name":"迁移后"},"channel":"post","received_on":"%s","content":"迁移后的第一件申请"}' "$OGI_TODAY" >"$T/reg.json"
out=$("$OGI" case register --db "$url" --user dengji "$T/reg.json" 2>&1); rc=$?
new_id=$(psql -X -At "$url" -c "select max(id) from cases")
new_last=$(psql -X -At "$url" -c "select last from number_counters n join agencies a on a.id=n.agency_id where a.code='SZF' and n.kind='case' and n.year=$year")
[[ $rc -eq 0 && $new_id == $((max_id + 1)) && $new_last == $((${last:-0} + 1)) ]] &&
  ok "after the move: case id $new_id follows $max_id, number $new_last follows ${last:-0}" ||
  notok "continuing after the move" "rc=$rc id $max_id→$new_id number ${last:-0}→$new_last" "$out"
tap_finish
