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
cp "$db" "$T/t1.db"; cp "$db.audit-key" "$T/t1.db.audit-key"
sqlite3 "$T/t1.db" "drop trigger audit_log_no_update; update audit_log set detail='改过' where id=2"
out=$("$OGI" audit verify --db "$T/t1.db" 2>&1); rc=$?
[[ $rc -ne 0 && $out == *"entry 2"* ]] && ok "a changed entry is named ($out)" || notok "changed entry" "rc=$rc $out"
cp "$db" "$T/t2.db"; cp "$db.audit-key" "$T/t2.db.audit-key"
sqlite3 "$T/t2.db" "drop trigger audit_log_no_delete; delete from audit_log where id=2"
out=$("$OGI" audit verify --db "$T/t2.db" 2>&1); rc=$?
[[ $rc -ne 0 && $out == *"entry 3"* ]] && ok "a removed entry is found at the next one ($out)" || notok "removed entry" "rc=$rc $out"

# the key lives outside the database: created beside it at init, readable by its owner only
[[ -f "$db.audit-key" && $(stat -c %a "$db.audit-key") == 600 ]] && ok "the audit key is a file of its own (mode 600)" || notok "audit key file" "$(ls -l "$db.audit-key" 2>&1)"
out=$("$OGI" audit verify --db "$db" 2>&1)
[[ $out == *"$total sealed with the key"* ]] && ok "every entry is sealed with the key ($out)" || notok "keyed entries" "$out"
sqlite3 "$db" "select hash from audit_log" | grep -qv '^k1:' && notok "no unkeyed seal" "$(sqlite3 "$db" "select hash from audit_log" | head -3)" || ok "no entry carries a plain hash"
# someone who can write the database but not read the key rewrites an entry and re-seals the
# whole chain after it with a key of their own: the real key finds it
cp "$db" "$T/t3.db"
sqlite3 "$T/t3.db" "drop trigger audit_log_no_update"
node -e '
const { createHmac } = require("node:crypto");
const { execFileSync } = require("node:child_process");
const db = process.argv[1];
const rows = execFileSync("sqlite3", ["-separator", "\x1e", db, "select id, at, actor, action, target, detail from audit_log order by id"]).toString().trim().split("\n").map((l) => l.split("\x1e"));
let prev = "";
const sql = [];
for (const [id, at, actor, action, target, detail0] of rows) {
  const detail = id === "2" ? "改过" : detail0;
  const seal = "k1:" + createHmac("sha256", "f".repeat(64)).update([prev, at, actor, action, target, detail].join("\x1f")).digest("hex");
  sql.push(`update audit_log set detail=${JSON.stringify(detail).replace(/^"|"$/g, "\x27")}, prev_hash=\x27${prev}\x27, hash=\x27${seal}\x27 where id=${id};`);
  prev = seal;
}
execFileSync("sqlite3", [db, sql.join("\n")]);
' "$T/t3.db"
cp "$db.audit-key" "$T/t3.db.audit-key"
out=$("$OGI" audit verify --db "$T/t3.db" 2>&1); rc=$?
[[ $rc -ne 0 && $out == *"entry 1"* && $out == *"密钥签名不符"* ]] && ok "a chain re-sealed without the key is refused ($out)" || notok "re-sealed chain" "rc=$rc $out"
# the head kept outside catches a cut-off tail
head=$("$OGI" audit head --db "$db"); rc=$?
[[ $rc -eq 0 && $head =~ ^[0-9]+:k1:[0-9a-f]{64}$ ]] && ok "ogi audit head gives ENTRY:SEAL ($head)" || notok "audit head" "rc=$rc $head"
out=$("$OGI" audit verify --db "$db" --anchor "$head" 2>&1); rc=$?
[[ $rc -eq 0 && $out == *"matches the anchor"* ]] && ok "the trail matches its anchor" || notok "anchor match" "rc=$rc $out"
cp "$db" "$T/t4.db"; cp "$db.audit-key" "$T/t4.db.audit-key"
sqlite3 "$T/t4.db" "drop trigger audit_log_no_delete; delete from audit_log where id=(select max(id) from audit_log)"
out=$("$OGI" audit verify --db "$T/t4.db" 2>&1); rc=$?
[[ $rc -eq 0 ]] && ok "without the anchor a cut-off tail looks intact (why the head is kept outside)" || notok "tail cut, no anchor" "rc=$rc $out"
out=$("$OGI" audit verify --db "$T/t4.db" --anchor "$head" 2>&1); rc=$?
[[ $rc -ne 0 && $out == *"截断"* ]] && ok "with the anchor the cut-off tail is found ($out)" || notok "tail cut, anchor" "rc=$rc $out"
out=$("$OGI" audit verify --db "$db" --anchor "${head%%:*}:k1:$(printf '0%.0s' $(seq 64))" 2>&1); rc=$?
[[ $rc -ne 0 && $out == *"不符"* ]] && ok "a different seal at the anchored entry is refused" || notok "anchor mismatch" "rc=$rc $out"
# a keyed trail without its key is not opened (no unkeyed entry may follow keyed ones)
cp "$db" "$T/t5.db"
rc=0; out=$("$OGI" audit verify --db "$T/t5.db" 2>&1) || rc=$?
[[ $rc -ne 0 && $out == *"找不到密钥文件"* && ! -e "$T/t5.db.audit-key" ]] && ok "a keyed trail without its key file is refused, no new key made" || notok "missing key" "rc=$rc $out"
rc=0; out=$(OGI_AUDIT_KEY_FILE="$db.audit-key" "$OGI" audit verify --db "$T/t5.db" 2>&1) || rc=$?
[[ $rc -eq 0 ]] && ok "OGI_AUDIT_KEY_FILE names the key kept elsewhere" || notok "key by variable" "rc=$rc $out"
tap_finish
