#!/usr/bin/env bash
# Backups (issue 6, first part): `ogi backup` while the server takes registrations gives a
# consistent copy (integrity ok; every case in it identical to the live one, with its event and
# receipt); `ogi restore` puts it back and refuses a damaged file or an accidental overwrite; the
# nightly job writes and rotates copies.
# Usage: backup_test.sh PATH_TO_OGI
set -uo pipefail
# "Today" pinned (OGI_TEST_TODAY, default below): never the wall clock.
export OGI_TODAY=${OGI_TEST_TODAY:-2026-11-27}
OGI=$1
. "$(dirname "$0")/../lib/tap.sh"
tap_start backup_test
server=""
tap_on_exit() { [[ -n $server ]] && kill $server 2>/dev/null; true; }

db="$T/live.db"
"$OGI" init --db "$db" >/dev/null
"$OGI" agency add --db "$db" --code A1 --name 测试机关 >/dev/null
echo 'password-123' | "$OGI" user add --db "$db" --agency A1 --name reg --roles registrar --password-stdin >/dev/null
cat >"$T/ogi.properties" <<PROPS
ogi.backup-seconds=1
ogi.backup.keep=2
ogi.backup.dir=$T/nightly
PROPS
"$OGI" serve --db "$db" --listen 127.0.0.1:0 --port-file "$T/port" --config "$T/ogi.properties" >"$T/server.log" 2>&1 &
server=$!
for _ in $(seq 50); do [[ -s "$T/port" ]] && break; sleep 0.2; done
base="http://127.0.0.1:$(cat "$T/port")"
token=$(curl -s -X POST "$base/api/v1/session" -d '{"username":"reg","password":"password-123"}' | sed -E 's/.*"token":"([0-9a-f]+)".*/\1/')
body='{"applicant":{"type":"natural_person","name":"张三"},"channel":"post","received_on":"2024-03-01","content":"申请公开某文件"}'
# an attachment: its file must travel with the backups
cid=$(curl -s -X POST "$base/api/v1/cases" -H "Authorization: Bearer $token" -d "$body" | sed -nE 's/^\{"id":([0-9]+).*/\1/p')
printf 'attachment bytes for the backup' >"$T/att.txt"
sha=$(sha256sum "$T/att.txt" | cut -d' ' -f1)
up=$(curl -s -X POST "$base/api/v1/cases/$cid/attachments?name=att.txt" -H "Authorization: Bearer $token" -H 'Content-Type: text/plain' --data-binary @"$T/att.txt")
[[ $up == *"$sha"* && -f "$db.attachments/$sha" ]] && ok "an attachment stored under its SHA-256" || notok "attachment upload" "case $cid: $up"
ls "$db.attachments" | grep -q '\.part$' && notok "no temporary file left" "$(ls "$db.attachments")" || ok "no temporary file left beside it"
loaders=()
load() {  # registrations from 4 clients until told to stop
  for c in 1 2 3 4; do
    ( while [[ ! -e "$T/stop" ]]; do curl -s -o /dev/null --max-time 10 -X POST "$base/api/v1/cases" -H "Authorization: Bearer $token" -d "$body"; done ) &
    loaders+=($!)
  done
}
load
sleep 2
rc=0; out=$("$OGI" backup --db "$db" --out "$T/b1.db" 2>&1) || rc=$?
sleep 1
touch "$T/stop"; wait "${loaders[@]}" 2>/dev/null
[[ $rc -eq 0 && $out == *"integrity ok"* ]] && ok "backup while registrations run" || notok "backup under load" "rc=$rc $out"
n_backup=$(sqlite3 "$T/b1.db" "select count(*) from cases")
n_live=$(sqlite3 "$db" "select count(*) from cases")
[[ $n_backup -gt 0 && $n_live -gt $n_backup ]] && ok "the copy is of one moment under load ($n_backup of $n_live cases)" || notok "copy taken under load" "backup $n_backup, live $n_live"
# consistent: every case with its register event and its receipt, as in the live database
q="select c.id||'|'||c.number||'|'||c.state||'|'||(select count(*) from case_events e where e.case_id=c.id)||'|'||(select group_concat(l.number||l.sha256) from letters l where l.case_id=c.id) from cases c order by c.id"
sqlite3 "$T/b1.db" "$q" >"$T/b.txt"
sqlite3 "$db" "$q" | head -n "$n_backup" >"$T/l.txt"
cmp -s "$T/b.txt" "$T/l.txt" && ok "every case in the copy equals the live one (events, receipt letters)" || notok "copy equals live prefix" "$(diff "$T/b.txt" "$T/l.txt" | head -3)"
half=$(sqlite3 "$T/b1.db" "select count(*) from cases c where (select count(*) from letters l where l.case_id=c.id)<>1 or (select count(*) from case_events e where e.case_id=c.id)<>1")
[[ $half == 0 ]] && ok "no half-written case in the copy" || notok "no half-written case" "$half"
[[ $(sqlite3 "$T/b1.db" "pragma integrity_check") == ok ]] && ok "integrity_check ok" || notok "integrity" "-"
cmp -s "$T/b1.db.attachments/$sha" "$T/att.txt" && ok "the backup holds the attachment's file (b1.db.attachments)" || notok "attachments in the backup" "$(ls "$T/b1.db.attachments" 2>&1)"
[[ $out == *"1 attachment files"* ]] && ok "the backup says how many attachment files it copied" || notok "backup output" "$out"

# the nightly job: copies appear, only the newest two are kept
sleep 3
n=$(ls "$T/nightly" 2>/dev/null | grep -c '^ogi-.*\.db$')
[[ $n == 2 ]] && ok "nightly copies rotate (2 kept)" || notok "nightly rotation" "found $n: $(ls "$T/nightly" 2>/dev/null)"
na=$(ls "$T/nightly" 2>/dev/null | grep -c '^ogi-.*\.db\.attachments$')
newest=$(ls "$T/nightly" | grep '^ogi-.*\.db$' | tail -n 1)
[[ $na == 2 ]] && cmp -s "$T/nightly/$newest.attachments/$sha" "$T/att.txt" && ok "each nightly copy has its attachments; rotation removes them with it" || notok "nightly attachments" "$(ls "$T/nightly")"
kill -TERM $server; wait $server 2>/dev/null; server=""

# restore
rc=0; out=$("$OGI" restore --from "$T/b1.db" --db "$db" 2>&1) || rc=$?
[[ $rc -ne 0 && $out == *"--force"* ]] && ok "restore refuses to overwrite without --force" || notok "overwrite guard" "rc=$rc $out"
printf 'this is not a database' >"$T/junk.db"
rc=0; out=$("$OGI" restore --from "$T/junk.db" --db "$T/new.db" 2>&1) || rc=$?
[[ $rc -ne 0 && ! -e "$T/new.db" ]] && ok "a damaged backup is refused and nothing is written" || notok "damaged backup" "rc=$rc $out"
rc=0; "$OGI" restore --from "$T/b1.db" --db "$db" --force >/dev/null 2>&1 || rc=$?
[[ $rc -eq 0 && $(sqlite3 "$db" "select count(*) from cases") == "$n_backup" ]] && ok "restore --force brings the copy back" || notok "restore" "rc=$rc"
sqlite3 "$db" "$q" >"$T/r.txt"
cmp -s "$T/r.txt" "$T/b.txt" && ok "the restored database equals the backup" || notok "restored = backup" "differs"
rc=0; out=$("$OGI" restore --from "$T/b1.db" --db "$T/elsewhere.db" 2>&1) || rc=$?
[[ $rc -eq 0 ]] && cmp -s "$T/elsewhere.db.attachments/$sha" "$T/att.txt" && ok "restore puts the attachment files back beside the database" || notok "restore attachments" "rc=$rc $out"
rc=0; out=$(OGI_TODAY=2024-03-02 "$OGI" case show --db "$db" --user reg --case 1 2>&1) || rc=$?
[[ $rc -eq 0 && $out == *'"number"'* ]] && ok "the program opens the restored database" || notok "open restored" "rc=$rc $out"
tap_finish
