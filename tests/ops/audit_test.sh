#!/usr/bin/env bash
# The audit trail is append-only and tamper-evident: `ogi audit verify` passes on an intact
# trail, and names the first broken entry when one is changed or removed behind the program's back
# (the triggers dropped by hand).
# Usage: audit_test.sh PATH_TO_OGI
set -uo pipefail
# "Today" pinned (OGI_TEST_TODAY, default below): never the wall clock.
export OGI_TODAY=${OGI_TEST_TODAY:-2026-11-27}
OGI=$1
. "$(dirname "$0")/../lib/tap.sh"
tap_start audit_test
db="$T/a.db"
"$OGI" init --db "$db" >/dev/null
"$OGI" agency add --db "$db" --code A1 --name 测试机关 >/dev/null
# three audited imports make a trail of at least three entries
for i in 1 2 3; do
  printf '收到日期,申请人类型,申请人,提交方式,申请内容\n2024-03-0%s,自然人,张三,邮寄,申请公开第%s号文件\n' "$i" "$i" >"$T/r$i.csv"
  "$OGI" import cases "$T/r$i.csv" --db "$db" --agency A1 >/dev/null 2>&1
done
out=$("$OGI" audit verify --db "$db" 2>&1); rc=$?
[[ $rc -eq 0 && $out == *"audit trail intact"* ]] && ok "an intact trail verifies ($out)" || notok "intact trail" "rc=$rc $out"
total=$(sqlite3 "$db" "select count(*) from audit_log")
[[ $total -ge 3 ]] && ok "the trail has entries to check ($total)" || notok "entries" "$total"
# the database itself refuses changes
sqlite3 "$db" "update audit_log set detail='x' where id=2" 2>/dev/null && notok "UPDATE refused by the trigger" "it was allowed" || ok "UPDATE refused by the trigger"
# tamper behind the program's back
cp "$db" "$T/t1.db"
sqlite3 "$T/t1.db" "drop trigger audit_log_no_update; update audit_log set detail='改过' where id=2"
out=$("$OGI" audit verify --db "$T/t1.db" 2>&1); rc=$?
[[ $rc -ne 0 && $out == *"entry 2"* ]] && ok "a changed entry is named ($out)" || notok "changed entry" "rc=$rc $out"
cp "$db" "$T/t2.db"
sqlite3 "$T/t2.db" "drop trigger audit_log_no_delete; delete from audit_log where id=2"
out=$("$OGI" audit verify --db "$T/t2.db" 2>&1); rc=$?
[[ $rc -ne 0 && $out == *"entry 3"* ]] && ok "a removed entry is found at the next one ($out)" || notok "removed entry" "rc=$rc $out"
tap_finish
