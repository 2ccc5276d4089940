#!/usr/bin/env bash
# End-to-end tests of the `ogi` command line (contract.md, "Command line: ogi").
#
# Usage: cli_test.sh PATH_TO_OGI SOURCE_DIR
#
# Prints one "ok - ..." / "not ok - ..." line per check and closes with "N passed, M failed";
# exits non-zero when any check failed. Exit codes under test: 0 ok, 2 bad usage or bad input,
# 3 not found or outside the known calendar, 1 anything else. Errors: one line "ogi: ..." on stderr.
set -u

if [ $# -ne 2 ]; then
  echo "usage: $0 PATH_TO_OGI SOURCE_DIR" >&2
  exit 2
fi
OGI=$1
SRC=$2
if [ ! -x "$OGI" ]; then
  echo "cli_test: $OGI is not an executable" >&2
  echo "0 passed, 1 failed"
  exit 1
fi
for tool in sqlite3 node; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "cli_test: $tool is needed" >&2
    echo "0 passed, 1 failed"
    exit 1
  fi
done

# Hermetic: no inherited data directory; "today" pinned (OGI_TEST_TODAY, default below), never the
# wall clock.
unset OGI_DATA_DIR
export OGI_TODAY=${OGI_TEST_TODAY:-2026-11-27}

. "$SRC/tests/lib/tap.sh"
tap_start cli_test

# run CMD... : stdout -> $T/out, stderr -> $T/err, exit code -> $rc (stdin is the caller's).
rc=0
run() {
  "$@" >"$T/out" 2>"$T/err"
  rc=$?
}
out() { cat "$T/out"; }
errtxt() { head -c 600 "$T/err" | tr '\n' '|'; }

# The stderr of a failed command: one line, starting "ogi: ".
err_is_one_line() {
  [ "$(wc -l <"$T/err")" -eq 1 ] && head -n 1 "$T/err" | grep -q '^ogi: '
}

# expect_ok NAME WANT_STDOUT : exit 0 and stdout exactly WANT_STDOUT.
expect_ok() {
  local got
  got=$(out)
  if [ "$rc" -eq 0 ] && [ "$got" = "$2" ]; then
    ok "$1"
  else
    notok "$1" "want: exit 0, stdout '$2'" "got:  exit $rc, stdout '$got', stderr '$(errtxt)'"
  fi
}

# expect_fail NAME WANT_RC [ERE] : exit WANT_RC, stderr one line "ogi: ..." matching ERE.
expect_fail() {
  local name=$1 want=$2 re=${3:-}
  if [ "$rc" -ne "$want" ]; then
    notok "$name" "want: exit $want" "got:  exit $rc, stdout '$(out | head -c 200)', stderr '$(errtxt)'"
  elif ! err_is_one_line; then
    notok "$name" "want: stderr one line starting 'ogi: '" "got:  stderr '$(errtxt)'"
  elif [ -n "$re" ] && ! grep -Eq -- "$re" "$T/err"; then
    notok "$name" "want: stderr matching /$re/" "got:  stderr '$(errtxt)'"
  else
    ok "$name"
  fi
}

# expect_eq NAME WANT GOT
expect_eq() {
  if [ "$2" = "$3" ]; then
    ok "$1"
  else
    notok "$1" "want: '$2'" "got:  '$3'"
  fi
}

# jget FILE PATH : a field of a JSON document (dotted path); null -> "null", missing -> "<missing>".
jget() {
  node -e '
    const fs = require("fs");
    let v;
    try { v = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch (e) { process.stdout.write("<not json>"); process.exit(0); }
    for (const k of process.argv[2].split(".")) v = (v === null || v === undefined) ? undefined : v[k];
    process.stdout.write(v === undefined ? "<missing>" : v === null ? "null" :
                         typeof v === "object" ? JSON.stringify(v) : String(v));
  ' "$1" "$2"
}

q() { sqlite3 -batch -noheader "$1" "$2" 2>&1; }

###############################################################################################
# calendar workday / due
###############################################################################################

while read -r day want note; do
  run "$OGI" calendar workday "$day"
  expect_ok "calendar workday $day -> $want ($note)" "$want"
done <<'EOF'
2024-02-04 yes make-up_Sunday_(Spring_Festival)
2024-02-03 no ordinary_Saturday
2024-02-29 yes leap_day,_Thursday
2024-10-01 no National_Day
2024-10-12 yes make-up_Saturday_(National_Day)
2023-01-02 no New_Year_holiday_Monday
2020-01-31 no Spring_Festival_extended_for_COVID-19
2015-09-03 no 70th_anniversary_of_victory
2015-09-06 yes make-up_Sunday_for_2015-09-03
EOF
run "$OGI" calendar workday 2010-01-01
expect_ok "calendar workday 2010-01-01 -> no (first day of the calendar, New Year)" "no"

while read -r day n want note; do
  run "$OGI" calendar due "$day" "$n"
  expect_ok "calendar due $day $n -> $want ($note)" "$want"
done <<'EOF'
2025-03-11 40 2025-05-09 forty_working_days_across_Qingming_and_Labour_Day
2024-03-01 20 2024-03-29 twenty_working_days
2024-03-02 1 2024-03-04 Saturday_start
2024-09-30 1 2024-10-08 across_the_National_Day_week
2024-03-02 0 2024-03-02 N=0_on_a_Saturday_is_the_date_itself
2024-10-01 0 2024-10-01 N=0_on_a_holiday_is_the_date_itself
2024-03-01 0 2024-03-01 N=0_on_a_working_day_is_the_date_itself
EOF

# Batch mode.
printf '2024-02-04\n2024-10-01\n2024-10-12\n2023-01-02\n2024-10-01\n2020-01-31\n2024-03-04\n' >"$T/in"
run "$OGI" calendar workday - <"$T/in"
expect_ok "calendar workday - (batch of 7, answers in order)" "$(printf 'yes\nno\nyes\nno\nno\nno\nyes')"

printf '2025-03-11 40\n2024-03-01 20\n2024-03-02 1\n2024-03-02 0\n2024-09-30 1\n' >"$T/in"
run "$OGI" calendar due - <"$T/in"
expect_ok "calendar due - (batch of 5, answers in order)" \
  "$(printf '2025-05-09\n2024-03-29\n2024-03-04\n2024-03-02\n2024-10-08')"

# A long batch: one answer per line, same count in as out.
: >"$T/in"
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
  for d in 01 08 15 22; do printf '2019-%s-%s\n' "$m" "$d" >>"$T/in"; done
done
run "$OGI" calendar workday - <"$T/in"
expect_eq "calendar workday - (batch of 48): 48 answers, each yes/no" "0 48" \
  "$rc $(grep -Ec '^(yes|no)$' "$T/out")"

# Batch: a line that cannot be answered gets "error: ..." in its place, the batch goes on, and
# the exit code at the end says the worst (3 outside the calendar, 2 bad input).
printf '2024-03-01\n2009-06-01\n2024-03-02\n' >"$T/in"
run "$OGI" calendar workday - <"$T/in"
expect_fail "calendar workday - with a date before 2010 -> exit 3 at the end" 3 '2009-06-01'
expect_eq "  ... every line answered in order, the bad one as 'error: ...'" "yes|error|no" \
  "$(sed 's/^error: .*/error/' "$T/out" | paste -sd'|')"
printf '2024-03-01\nnot-a-date\n2024-03-02\n' >"$T/in"
run "$OGI" calendar workday - <"$T/in"
expect_fail "calendar workday - with a bad line -> exit 2 at the end" 2 'not-a-date'
expect_eq "  ... three answers, the second 'error: ' naming the input" "3 1" \
  "$(wc -l <"$T/out" | tr -d ' ') $(grep -c '^error: .*not-a-date' "$T/out")"
printf '2026-12-28 10\n2009-01-01 3\n2024-03-01 x\n2026-12-01 20\n' >"$T/in"
run "$OGI" calendar due - <"$T/in"
expect_eq "calendar due - : provisional answers, errors in place, exit 3" "3|2027-01-12 provisional|error|error|2026-12-29" \
  "$rc|$(sed 's/^error: .*/error/' "$T/out" | paste -sd'|')"

# Years after the last notice are provisional: computed and marked (domain.md §3).
run "$OGI" calendar workday 2031-01-01
expect_ok "calendar workday 2031-01-01 -> no provisional (元旦)" "no provisional"
run "$OGI" calendar workday 2031-01-02
expect_ok "calendar workday 2031-01-02 -> yes provisional" "yes provisional"
run "$OGI" calendar due 2031-01-01 5
expect_ok "calendar due 2031-01-01 5 -> 2031-01-08 provisional" "2031-01-08 provisional"
run "$OGI" calendar due 2026-12-30 1
expect_ok "calendar due 2026-12-30 1 -> 2026-12-31 (official)" "2026-12-31"
# Outside the calendar: before 2010, and past the festival table.
run "$OGI" calendar workday 2009-12-31
expect_fail "calendar workday 2009-12-31 (before the calendar) -> exit 3 naming the date" 3 '2009-12-31'
last=$(grep -E '^[0-9]{4}' "$SRC/workflow/calendar/festivals.tsv" | tail -1 | cut -f1)
run "$OGI" calendar workday "$((last + 1))-01-02"
expect_fail "calendar workday $((last + 1))-01-02 (past the festival table) -> exit 3" 3 "$((last + 1))"

# Bad input and bad usage.
for bad in 2024-02-30 2024-2-1 garbage 2023-02-29 2024-13-01; do
  run "$OGI" calendar workday "$bad"
  expect_fail "calendar workday $bad -> exit 2" 2 "$bad"
done
run "$OGI" calendar due 2024-02-30 3
expect_fail "calendar due 2024-02-30 3 -> exit 2" 2 '2024-02-30'
run "$OGI" calendar due 2024-03-01 -1
expect_fail "calendar due 2024-03-01 -1 -> exit 2" 2
run "$OGI" calendar due 2024-03-01 ten
expect_fail "calendar due 2024-03-01 ten -> exit 2" 2
run "$OGI" calendar workday
expect_fail "calendar workday without DATE -> exit 2" 2
run "$OGI" calendar due 2024-03-01
expect_fail "calendar due without N -> exit 2" 2
run "$OGI" calendar due
expect_fail "calendar due without arguments -> exit 2" 2
run "$OGI" calendar
expect_fail "calendar without a subcommand -> exit 2" 2

###############################################################################################
# init, agency, user
###############################################################################################

DB=$T/ogi.db
run "$OGI" init --db "$DB"
expect_eq "init --db creates the database (exit 0, tables cases/case_events/users exist)" "0 3" \
  "$rc $(q "$DB" "select count(*) from sqlite_master where type='table' and name in ('cases','case_events','users')")"
run "$OGI" init --db "$DB"
expect_eq "init --db a second time -> exit 0" "0" "$rc"

run "$OGI" agency add --db "$DB" --code SZF --name 示例市人民政府办公室
expect_eq "agency add SZF -> exit 0, one row in agencies" "0 SZF|示例市人民政府办公室" \
  "$rc $(q "$DB" "select code||'|'||name from agencies")"
run "$OGI" agency add --db "$DB" --code SZF --name 另一个机关
if [ "$rc" -ne 0 ] && [ "$(q "$DB" 'select count(*) from agencies')" = 1 ]; then
  ok "agency add with a duplicate code -> non-zero, still one agency"
else
  notok "agency add with a duplicate code -> non-zero, still one agency" "got exit $rc, agencies: $(q "$DB" 'select code, name from agencies' | tr '\n' ' ')"
fi
run "$OGI" agency add --db "$DB" --code ZRJ
expect_fail "agency add without --name -> exit 2" 2

run "$OGI" init --db "$DB"
expect_eq "init --db on a database with data -> exit 0, data kept" "0 1" \
  "$rc $(q "$DB" 'select count(*) from agencies')"

PW='correct-horse-battery'
run "$OGI" user add --db "$DB" --agency SZF --name alice --roles registrar,handler,approver,office --password-stdin <<<"$PW"
expect_eq "user add alice (four roles) -> exit 0" "0 1" "$rc $(q "$DB" "select count(*) from users where username='alice'")"
hash=$(q "$DB" "select password_hash from users where username='alice'")
case $hash in
  'pbkdf2-sha256$'*) ok "users.password_hash starts with pbkdf2-sha256\$" ;;
  *) notok "users.password_hash starts with pbkdf2-sha256\$" "got: '$hash'" ;;
esac
case $hash in
  *"$PW"* | '') notok "users.password_hash does not contain the password" "got: '$hash'" ;;
  *) ok "users.password_hash does not contain the password" ;;
esac
expect_eq "users.roles keeps the four roles" "registrar,handler,approver,office" \
  "$(q "$DB" "select roles from users where username='alice'")"

run "$OGI" user add --db "$DB" --agency SZF --name bob --roles registrar --password-stdin <<<"another-long-pass"
expect_eq "user add bob (registrar only) -> exit 0" "0" "$rc"
hash_b=$(q "$DB" "select password_hash from users where username='bob'")
if [ -n "$hash_b" ] && [ "$hash_b" != "$hash" ]; then ok "two users get different password hashes"; else
  notok "two users get different password hashes" "alice '$hash' bob '$hash_b'"; fi

users_before=$(q "$DB" 'select count(*) from users')
run "$OGI" user add --db "$DB" --agency SZF --name carol --roles registrar,wizard --password-stdin <<<"$PW"
expect_fail "user add with an unknown role -> exit 2" 2 'wizard'
run "$OGI" user add --db "$DB" --agency SZF --name carol --roles handler --password-stdin <<<"short"
expect_fail "user add with a short password -> exit 2" 2
expect_eq "failed user adds wrote no user" "$users_before" "$(q "$DB" 'select count(*) from users')"

###############################################################################################
# case register
###############################################################################################

TODAY=2024-06-30
ocase() { OGI_TODAY=$TODAY "$OGI" case "$@"; }
counts() {
  q "$DB" "select (select count(*) from cases)||' cases, '||(select count(*) from applicants)||' applicants, '||
                  (select count(*) from case_events)||' events, '||(select count(*) from number_counters)||' counters, '||
                  coalesce((select sum(last) from number_counters),0)||' numbers used'"
}

cat >"$T/reg.json" <<'EOF'
{"agency": "SZF",
 "applicant": {"type": "natural_person", "name": "张三", "id_type": "resident_id",
               "id_number": "11010519491231002X", "phone": "13800000000", "address": "示例市某路1号",
               "email": "zhangsan@example.com"},
 "channel": "post", "received_on": "2024-03-01",
 "content": "申请公开2023年某项目的立项批复文件", "form": "paper", "delivery": "post"}
EOF

run ocase register --db "$DB" --user alice - <"$T/reg.json"
cp "$T/out" "$T/case1.json"
expect_eq "case register (natural person) -> exit 0" "0" "$rc"
num1=$(jget "$T/case1.json" number)
case $num1 in
  *'〔2024〕第1号') ok "case register: JSON number is the first of 2024 ($num1)" ;;
  *) notok "case register: JSON number is the first of 2024" "got: '$num1'" ;;
esac
expect_eq "case register: JSON due_on 2024-03-29 (20 working days after 2024-03-01)" "2024-03-29" \
  "$(jget "$T/case1.json" due_on)"
expect_eq "case register: JSON state registered, received_on, applicant id" "registered 2024-03-01 11010519491231002X" \
  "$(jget "$T/case1.json" state) $(jget "$T/case1.json" received_on) $(jget "$T/case1.json" applicant.id_number)"
CASE1=$(jget "$T/case1.json" id)
expect_eq "case register: the cases row matches (number, state, due_on, channel)" \
  "$num1|registered|2024-03-01|2024-03-29|post" \
  "$(q "$DB" "select number||'|'||state||'|'||received_on||'|'||due_on||'|'||channel from cases where id=$CASE1")"
expect_eq "case register: applicants row holds the resident ID" "natural_person|张三|11010519491231002X" \
  "$(q "$DB" "select a.type||'|'||a.name||'|'||a.id_number from applicants a join cases c on c.applicant_id=a.id where c.id=$CASE1")"
expect_eq "case register: one 'register' event dated 2024-03-01 by alice" "register|2024-03-01|alice" \
  "$(q "$DB" "select event||'|'||on_date||'|'||username from case_events where case_id=$CASE1")"

cat >"$T/org.json" <<'EOF'
{"applicant": {"type": "commercial_enterprise", "name": "示例贸易有限公司", "credit_code": "91350100M000100Y43"},
 "channel": "online", "received_on": "2024-06-28", "content": "申请公开某招标文件"}
EOF
run ocase register --db "$DB" --user alice - <"$T/org.json"
cp "$T/out" "$T/case2.json"
num2=$(jget "$T/case2.json" number)
if [ "$rc" -eq 0 ] && case $num2 in *'〔2024〕第2号') true ;; *) false ;; esac; then
  ok "case register (organisation with credit code, required fields only) -> exit 0, number 第2号"
else
  notok "case register (organisation with credit code, required fields only) -> exit 0, number 第2号" "got exit $rc, number '$num2', stderr '$(errtxt)'"
fi
expect_eq "case register (organisation): due_on 2024-07-26, credit code stored" "2024-07-26 91350100M000100Y43" \
  "$(jget "$T/case2.json" due_on) $(q "$DB" "select credit_code from applicants where name='示例贸易有限公司'")"

# Rejected registrations write nothing.
before=$(counts)
sed 's/11010519491231002X/110105194912310021/' "$T/reg.json" >"$T/bad_id.json"
run ocase register --db "$DB" --user alice - <"$T/bad_id.json"
expect_fail "case register with a bad resident ID check digit -> exit 2 naming id_number" 2 'id_number'
expect_eq "  ... nothing written (cases, applicants, case_events, number_counters)" "$before" "$(counts)"

sed 's/"received_on": "2024-03-01"/"received_on": "2099-01-01"/' "$T/reg.json" >"$T/future.json"
run ocase register --db "$DB" --user alice - <"$T/future.json"
expect_fail "case register with received_on 2099-01-01 (future) -> exit 2 naming received_on" 2 'received_on'
expect_eq "  ... nothing written" "$before" "$(counts)"

sed 's/"received_on": "2024-03-01"/"received_on": "2024-07-01"/' "$T/reg.json" >"$T/tomorrow.json"
run ocase register --db "$DB" --user alice - <"$T/tomorrow.json"
expect_fail "case register with received_on the day after OGI_TODAY -> exit 2" 2 'received_on'
expect_eq "  ... nothing written" "$before" "$(counts)"

printf '{"agency": "SZF", "applicant": {"type": "natural_person", "name": "张三"' >"$T/malformed.json"
run ocase register --db "$DB" --user alice - <"$T/malformed.json"
expect_fail "case register with malformed JSON -> exit 2" 2
expect_eq "  ... nothing written" "$before" "$(counts)"

sed 's/"channel": "post"/"channel": "carrier_pigeon"/' "$T/reg.json" >"$T/channel.json"
run ocase register --db "$DB" --user alice - <"$T/channel.json"
expect_fail "case register with an unknown channel -> exit 2 naming channel" 2 'channel'
expect_eq "  ... nothing written" "$before" "$(counts)"

sed 's/91350100M000100Y43/91350100M000100Y44/' "$T/org.json" >"$T/bad_cc.json"
run ocase register --db "$DB" --user alice - <"$T/bad_cc.json"
expect_fail "case register with a bad credit code check character -> exit 2 naming credit_code" 2 'credit_code'
expect_eq "  ... nothing written" "$before" "$(counts)"

sed 's/"content": "申请公开某招标文件"/"form": "paper"/' "$T/org.json" >"$T/no_content.json"
run ocase register --db "$DB" --user alice - <"$T/no_content.json"
expect_fail "case register without the required content -> exit 2 naming content" 2 'content'
expect_eq "  ... nothing written" "$before" "$(counts)"

run ocase register --db "$DB" --user nobody - <"$T/reg.json"
if [ "$rc" -ne 0 ] && [ "$before" = "$(counts)" ]; then ok "case register by an unknown user -> non-zero, nothing written"; else
  notok "case register by an unknown user -> non-zero, nothing written" "got exit $rc"; fi

###############################################################################################
# case event
###############################################################################################

event() { # event CASE USER JSON
  local c=$1 u=$2
  shift 2
  printf '%s' "$1" >"$T/ev.json"
  run ocase event --db "$DB" --user "$u" --case "$c" - <"$T/ev.json"
}
nevents() { q "$DB" "select count(*) from case_events where case_id=$1"; }
cstate() { q "$DB" "select state from cases where id=$1"; }

n0=$(nevents "$CASE1")
event "$CASE1" alice '{"event":"deliver","on":"2024-03-05","method":"post"}'
expect_fail "case event deliver right after registration -> exit 1 (not allowed in this state)" 1
expect_eq "  ... case_events unchanged, state still registered" "$n0 registered" "$(nevents "$CASE1") $(cstate "$CASE1")"

event "$CASE1" alice '{"event":"archive","on":"2024-03-05"}'
expect_fail "case event archive right after registration -> exit 1" 1
expect_eq "  ... case_events unchanged" "$n0" "$(nevents "$CASE1")"

before=$(counts)
event "$CASE1" bob '{"event":"decide","on":"2024-03-05","outcome":"disclosed"}'
expect_fail "case event decide by a user with only the registrar role -> exit 1" 1
expect_eq "  ... nothing written, state still registered" "$before registered" "$(counts) $(cstate "$CASE1")"

event 999 alice '{"event":"decide","on":"2024-03-05","outcome":"disclosed"}'
expect_fail "case event on an unknown case id (999) -> exit 3" 3
expect_eq "  ... nothing written" "$before" "$(counts)"

event "$CASE1" alice '{"event":"decide","on":"2024-02-28","outcome":"disclosed"}'
expect_fail "case event decide dated before the registration (2024-02-28 < 2024-03-01) -> exit 2" 2
expect_eq "  ... nothing written" "$before" "$(counts)"

event "$CASE1" alice '{"event":"decide","on":"2024-07-01","outcome":"disclosed"}'
expect_fail "case event decide dated after OGI_TODAY -> exit 2" 2
expect_eq "  ... nothing written" "$before" "$(counts)"

event "$CASE1" alice '{"event":"decide","on":"2024-03-05","outcome":"no_such_outcome"}'
expect_fail "case event decide with an unknown outcome -> exit 2" 2
expect_eq "  ... nothing written" "$before" "$(counts)"

event "$CASE1" alice '{"event":"decide","on":"2024-03-05",'
expect_fail "case event with malformed JSON -> exit 2" 2
expect_eq "  ... nothing written" "$before" "$(counts)"

event "$CASE1" alice '{"event":"decide","on":"2024-03-05","outcome":"disclosed","reasons":"可以公开"}'
cp "$T/out" "$T/ev1.json"
expect_eq "case event decide (disclosed) -> exit 0, JSON state decided, outcome disclosed" "0 decided disclosed" \
  "$rc $(jget "$T/ev1.json" state) $(jget "$T/ev1.json" outcome)"
expect_eq "  ... one more event, cases.state decided" "$(awk -v n="$n0" 'BEGIN { print n + 1 }') decided" "$(nevents "$CASE1") $(cstate "$CASE1")"

n1=$(nevents "$CASE1")
event "$CASE1" alice '{"event":"approve","on":"2024-03-04"}'
expect_fail "case event approve dated before the previous event (2024-03-04 < decide 2024-03-05) -> exit 2" 2
expect_eq "  ... case_events unchanged, state still decided" "$n1 decided" "$(nevents "$CASE1") $(cstate "$CASE1")"

event "$CASE1" alice '{"event":"approve","on":"2024-03-06"}'
expect_eq "case event approve -> exit 0, state approved" "0 approved approved" \
  "$rc $(jget "$T/out" state) $(cstate "$CASE1")"

event "$CASE1" alice '{"event":"deliver","on":"2024-03-07","method":"post","tracking":"EMS1234567890CN"}'
cp "$T/out" "$T/ev3.json"
expect_eq "case event deliver -> exit 0, state delivered, concluded_on 2024-03-07, on_time true" \
  "0 delivered 2024-03-07 true" \
  "$rc $(jget "$T/ev3.json" state) $(jget "$T/ev3.json" concluded_on) $(jget "$T/ev3.json" on_time)"
expect_eq "  ... cases row: delivered, outcome disclosed, concluded 2024-03-07, on_time 1" \
  "delivered|disclosed|2024-03-07|1" \
  "$(q "$DB" "select state||'|'||outcome||'|'||concluded_on||'|'||on_time from cases where id=$CASE1")"

event "$CASE1" alice '{"event":"archive","on":"2024-03-08"}'
expect_eq "case event archive -> exit 0, state archived" "0 archived archived" \
  "$rc $(jget "$T/out" state) $(cstate "$CASE1")"
expect_eq "case_events of the case: register, decide, approve, deliver, archive in order, dated" \
  "register@2024-03-01 decide@2024-03-05 approve@2024-03-06 deliver@2024-03-07 archive@2024-03-08" \
  "$(q "$DB" "select event||'@'||on_date from case_events where case_id=$CASE1 order by seq" | tr '\n' ' ' | sed 's/ $//')"

n2=$(nevents "$CASE1")
event "$CASE1" alice '{"event":"decide","on":"2024-03-09","outcome":"disclosed"}'
expect_fail "case event decide on an archived case -> exit 1" 1
expect_eq "  ... case_events unchanged" "$n2" "$(nevents "$CASE1")"

run ocase show --db "$DB" --user alice --case "$CASE1"
expect_eq "case show -> exit 0, state archived, five history entries" "0 archived 5" \
  "$rc $(jget "$T/out" state) $(node -e 'const j=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));process.stdout.write(String((j.history||[]).length))' "$T/out" 2>/dev/null)"

# The second case still accepts a withdrawal by the registrar-only user.
CASE2=$(jget "$T/case2.json" id)
event "$CASE2" bob '{"event":"withdraw","on":"2024-06-29"}'
expect_eq "case event withdraw by the registrar (allowed role) -> exit 0, closed, outcome withdrawn" \
  "0 closed|withdrawn|2024-06-29" \
  "$rc $(q "$DB" "select state||'|'||outcome||'|'||concluded_on from cases where id=$CASE2")"

###############################################################################################
# workflow check / dot
###############################################################################################

run "$OGI" workflow check
expect_eq "workflow check (shipped lifecycle) -> exit 0" "0" "$rc"
run "$OGI" workflow check "$SRC/workflow/lifecycle.wf"
expect_eq "workflow check SOURCE_DIR/workflow/lifecycle.wf -> exit 0" "0" "$rc"
run "$OGI" workflow dot
if [ "$rc" -eq 0 ] && head -n 1 "$T/out" | grep -q '^digraph' && grep -q 'registered' "$T/out"; then
  ok "workflow dot -> exit 0, output starts with 'digraph' and names the states"
else
  notok "workflow dot -> exit 0, output starts with 'digraph' and names the states" "got exit $rc, first line '$(head -n 1 "$T/out")'"
fi

# the permission matrix in docs/ is the one the policy data gives
run "$OGI" workflow permissions
if [ "$rc" -eq 0 ] && diff -u "$SRC/docs/permissions.md" "$T/out" >"$T/diff"; then
  ok "docs/permissions.md is what 'ogi workflow permissions' generates from the policy"
else
  notok "docs/permissions.md is what 'ogi workflow permissions' generates from the policy" \
    "regenerate: ogi workflow permissions > docs/permissions.md" "$(head -c 1500 "$T/diff")"
fi

cp "$SRC/workflow/lifecycle.wf" "$T/broken.wf"
base=$(wc -l <"$T/broken.wf")
{
  echo 'transition delivered + approve [no_such_guard] = delivered'
  echo 'transition closed + approve = nowhere_state'
  echo 'transition processing + frobnicate = processing'
} >>"$T/broken.wf"
Lg=$((base + 1)) Ls=$((base + 2)) Le=$((base + 3))
run "$OGI" workflow check "$T/broken.wf"
if [ "$rc" -ne 0 ] && head -n 1 "$T/err" | grep -q '^ogi: '; then
  ok "workflow check of a broken file -> non-zero exit, stderr starts 'ogi: '"
else
  notok "workflow check of a broken file -> non-zero exit, stderr starts 'ogi: '" "got exit $rc, stderr '$(errtxt)'"
fi
for probe in "$Lg:no_such_guard:unknown guard" "$Ls:nowhere_state:transition to an unknown state" \
  "$Le:frobnicate:event without definition"; do
  line=${probe%%:*}
  rest=${probe#*:}
  word=${rest%%:*}
  what=${rest#*:}
  if grep -Eq "broken\.wf:$line\b.*$word" "$T/err"; then
    ok "workflow check names the $what ('$word') with its line number $line"
  else
    notok "workflow check names the $what ('$word') with its line number $line" "stderr: '$(errtxt)'"
  fi
done
run "$OGI" workflow dot "$T/broken.wf"
if [ "$rc" -ne 0 ] && [ ! -s "$T/out" ]; then ok "workflow dot of a broken file -> non-zero, no output"; else
  notok "workflow dot of a broken file -> non-zero, no output" "got exit $rc"; fi

###############################################################################################
# Broken calendar data
###############################################################################################

cp -r "$SRC/workflow" "$T/data_dup"
echo 'holiday 2024-10-03 国庆节' >>"$T/data_dup/calendar/2024.cal"
dup_line=$(wc -l <"$T/data_dup/calendar/2024.cal")
OGI_DATA_DIR=$T/data_dup run "$OGI" calendar workday 2024-01-02
if [ "$rc" -ne 0 ] && grep -q "2024\.cal:$dup_line:.*2024-10-03" "$T/err"; then
  ok "a .cal file listing a day twice -> calendar workday fails, stderr names 2024.cal:$dup_line"
else
  notok "a .cal file listing a day twice -> calendar workday fails, stderr names 2024.cal:$dup_line" "got exit $rc, stderr '$(errtxt)'"
fi

cp -r "$SRC/workflow" "$T/data_wed"
echo 'workday 2025-01-08 调休上班' >>"$T/data_wed/calendar/2025.cal" # a Wednesday
wed_line=$(wc -l <"$T/data_wed/calendar/2025.cal")
OGI_DATA_DIR=$T/data_wed run "$OGI" calendar workday 2024-01-02
if [ "$rc" -ne 0 ] && grep -q "2025\.cal:$wed_line:.*2025-01-08" "$T/err"; then
  ok "a .cal file with a make-up working day on a Wednesday -> fails, stderr names 2025.cal:$wed_line"
else
  notok "a .cal file with a make-up working day on a Wednesday -> fails, stderr names 2025.cal:$wed_line" "got exit $rc, stderr '$(errtxt)'"
fi

OGI_DATA_DIR=$T/data_wed run "$OGI" calendar due 2024-03-01 20
if [ "$rc" -ne 0 ] && [ ! -s "$T/out" ]; then ok "broken calendar data -> calendar due also refuses (no answer printed)"; else
  notok "broken calendar data -> calendar due also refuses (no answer printed)" "got exit $rc, stdout '$(out)'"; fi

###############################################################################################
# calendar import (.cal and .ics), recomputation of open cases
###############################################################################################

NOTICE='国办发明电〔2026〕99号'
cat >"$T/2027.cal" <<EOF
# 2027 arrangement invented for this test (not an official notice)
year 2027
notice $NOTICE
holiday 2027-01-01..2027-01-03 元旦
holiday 2027-02-05..2027-02-12 春节
workday 2027-01-31 春节调休上班
workday 2027-02-20 春节调休上班
holiday 2027-04-03..2027-04-05 清明节
holiday 2027-05-01..2027-05-05 劳动节
workday 2027-04-25 劳动节调休上班
workday 2027-05-08 劳动节调休上班
holiday 2027-06-09 端午节
holiday 2027-09-15 中秋节
holiday 2027-10-01..2027-10-07 国庆节
workday 2027-09-26 国庆节调休上班
workday 2027-10-09 国庆节调休上班
EOF
grep -v '国庆' "$T/2027.cal" >"$T/2027_incomplete.cal"

# The expected status of every day of 2027, computed here from the arrangement above.
: >"$T/days2027"
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
  case $m in 02) n=28 ;; 04 | 06 | 09 | 11) n=30 ;; *) n=31 ;; esac
  for ((d = 1; d <= n; d++)); do printf '2027-%s-%02d\n' "$m" "$d" >>"$T/days2027"; done
done
off=" 2027-01-01 2027-01-02 2027-01-03 2027-02-05 2027-02-06 2027-02-07 2027-02-08 2027-02-09 2027-02-10 2027-02-11 2027-02-12 2027-04-03 2027-04-04 2027-04-05 2027-05-01 2027-05-02 2027-05-03 2027-05-04 2027-05-05 2027-06-09 2027-09-15 2027-10-01 2027-10-02 2027-10-03 2027-10-04 2027-10-05 2027-10-06 2027-10-07 "
makeup=" 2027-01-31 2027-02-20 2027-04-25 2027-05-08 2027-09-26 2027-10-09 "
date -f "$T/days2027" +%u >"$T/dow2027"
paste -d' ' "$T/days2027" "$T/dow2027" | while read -r day dow; do
  if [[ $off == *" $day "* ]]; then echo no
  elif [[ $makeup == *" $day "* ]]; then echo yes
  elif [ "$dow" -ge 6 ]; then echo no
  else echo yes; fi
done >"$T/want2027"
expect_eq "(setup) 365 days of 2027, 249 working days in the invented arrangement" "365 249" \
  "$(wc -l <"$T/want2027" | tr -d ' ') $(grep -c yes "$T/want2027")"

CDB=$T/cal.db
"$OGI" init --db "$CDB" >/dev/null 2>&1
"$OGI" agency add --db "$CDB" --code SZF --name 示例市人民政府办公室 >/dev/null 2>&1
"$OGI" user add --db "$CDB" --agency SZF --name alice --roles registrar,handler --password-stdin <<<"$PW" >/dev/null 2>&1

run "$OGI" calendar workday 2027-01-04 --db "$CDB"
expect_ok "before the import: calendar workday 2027-01-04 --db -> yes provisional" "yes provisional"

sed 's/"received_on": "2024-03-01"/"received_on": "2026-12-20"/' "$T/reg.json" >"$T/reg2026.json"
OGI_TODAY=2026-12-28 run "$OGI" case register --db "$CDB" --user alice - <"$T/reg2026.json"
cp "$T/out" "$T/case2026.json"
CASE3=$(jget "$T/case2026.json" id)
expect_eq "register a case received 2026-12-20 (OGI_TODAY=2026-12-28) -> exit 0, due_on 2027-01-18 provisional" \
  "0 2027-01-18 true" "$rc $(jget "$T/case2026.json" due_on) $(jget "$T/case2026.json" due_provisional)"
note=$(jget "$T/case2026.json" due_note)
case $note in
  *暂定*2027*) ok "  ... JSON due_note says the date is provisional and why" ;;
  *) notok "  ... JSON due_note says the date is provisional and why" "got: '$note'" ;;
esac
expect_eq "  ... the stored due date is there, marked provisional" "2027-01-18 1" \
  "$(q "$CDB" "select coalesce(due_on,'NULL')||' '||due_provisional from cases where id=$CASE3")"

OGI_TODAY=2026-12-28 run "$OGI" calendar import "$T/2027_incomplete.cal" --db "$CDB"
expect_fail "calendar import of a year without 国庆 -> exit 2 naming the missing festival" 2 '国庆'
expect_eq "  ... calendar_years stays empty, the case keeps its provisional due date" "0 2027-01-18 1" \
  "$(q "$CDB" 'select count(*) from calendar_years') $(q "$CDB" "select coalesce(due_on,'NULL')||' '||due_provisional from cases where id=$CASE3")"

OGI_TODAY=2026-12-28 run "$OGI" calendar import "$T/2027.cal" --db "$CDB"
expect_eq "calendar import 2027.cal -> exit 0, calendar_years holds 2027 with its notice" "0 2027|$NOTICE" \
  "$rc $(q "$CDB" "select year||'|'||notice from calendar_years")"
expect_eq "  ... the open case received 2026-12-20 keeps due_on 2027-01-18, no longer provisional" "2027-01-18 0" \
  "$(q "$CDB" "select coalesce(due_on,'NULL')||' '||due_provisional from cases where id=$CASE3")"
expect_eq "  ... the import says what it recomputed and moved" "1" \
  "$(grep -c 'due dates of 1 open cases recomputed, 0 moved' "$T/out")"

run "$OGI" calendar workday - --db "$CDB" <"$T/days2027"
if [ "$rc" -eq 0 ] && cmp -s "$T/out" "$T/want2027"; then
  ok "calendar workday --db follows the imported 2027 on all 365 days"
else
  notok "calendar workday --db follows the imported 2027 on all 365 days" "exit $rc; differences (day want got): $(paste -d' ' "$T/days2027" "$T/want2027" "$T/out" | awk '$2!=$3' | head -5 | tr '\n' ';')"
fi
while read -r day want; do
  run "$OGI" calendar workday "$day" --db "$CDB"
  expect_ok "calendar workday $day --db -> $want" "$want"
done <<'EOF'
2027-01-01 no
2027-01-04 yes
2027-01-31 yes
2027-02-08 no
2027-02-20 yes
2027-10-09 yes
2027-10-10 no
EOF
while read -r day n want; do
  run "$OGI" calendar due "$day" "$n" --db "$CDB"
  expect_ok "calendar due $day $n --db -> $want (across 2026/2027)" "$want"
done <<'EOF'
2026-12-28 10 2027-01-12
2026-12-31 1 2027-01-04
2026-12-20 20 2027-01-18
EOF
while read -r day n want note; do
  run "$OGI" calendar due "$day" "$n" --db "$CDB"
  expect_ok "calendar due $day $n --db -> $want ($note)" "$want"
done <<'EOF'
2027-01-29 5 2027-02-04 counts_the_make-up_Sunday_2027-01-31
2027-01-29 6 2027-02-15 skips_the_Spring_Festival_week
2027-09-24 3 2027-09-28 counts_the_make-up_Sunday_2027-09-26
EOF
run "$OGI" calendar workday 2027-01-31
expect_ok "without --db: calendar workday 2027-01-31 -> no provisional (the imported make-up day is in the database only)" "no provisional"
run "$OGI" calendar due 2026-12-28 10
expect_ok "without --db: calendar due 2026-12-28 10 -> 2027-01-12 provisional" "2027-01-12 provisional"
run "$OGI" calendar workday 2026-12-31 --db "$CDB"
expect_ok "calendar workday 2026-12-31 --db still answers from the shipped 2026" "yes"

OGI_TODAY=2026-12-28 run "$OGI" calendar import "$T/2027.cal" --db "$CDB"
expect_fail "importing 2027.cal a second time -> exit 2 (already imported), nothing changes" 2 '已经导入'
OGI_TODAY=2026-12-28 run "$OGI" calendar import "$T/2027.cal" --db "$CDB" --replace
expect_eq "  ... with --replace it replaces the year (exit 0, still one row)" "0 1" \
  "$rc $(q "$CDB" 'select count(*) from calendar_years')"

# The same year as iCalendar.
ics_event() { # UID START END(exclusive) SUMMARY
  printf 'BEGIN:VEVENT\r\nUID:%s@ogi-test\r\nDTSTART;VALUE=DATE:%s\r\nDTEND;VALUE=DATE:%s\r\nSUMMARY:%s\r\nEND:VEVENT\r\n' "$@"
}
make_ics() { # make_ics with|without : the 2027 arrangement, with or without 国庆节
  printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//ogi-test//holidays//CN\r\nX-WR-CALNAME:中国节假日\r\n'
  ics_event 1 20270101 20270104 '元旦 休'
  ics_event 2 20270205 20270213 '春节 休'
  ics_event 3 20270131 20270201 '春节 补班'
  ics_event 4 20270220 20270221 '春节 补班'
  ics_event 5 20270403 20270406 '清明节 休'
  ics_event 6 20270501 20270506 '劳动节 休'
  ics_event 7 20270425 20270426 '劳动节 补班'
  ics_event 8 20270508 20270509 '劳动节 补班'
  ics_event 9 20270609 20270610 '端午节 休'
  ics_event 10 20270915 20270916 '中秋节 休'
  if [ "$1" = with ]; then
    ics_event 11 20271001 20271008 '国庆节 休'
    ics_event 12 20270926 20270927 '国庆节 补班'
    ics_event 13 20271009 20271010 '国庆节 补班'
  fi
  printf 'END:VCALENDAR\r\n'
}
make_ics with >"$T/2027.ics"
make_ics without >"$T/2027_incomplete.ics"

IDB=$T/ics.db
"$OGI" init --db "$IDB" >/dev/null 2>&1
run "$OGI" calendar import "$T/2027.ics" --db "$IDB"
expect_fail "calendar import 2027.ics without --notice -> exit 2 (no notice number)" 2 '文号'
expect_eq "  ... calendar_years stays empty" "0" "$(q "$IDB" 'select count(*) from calendar_years')"
run "$OGI" calendar import "$T/2027.ics" --db "$IDB" --notice "$NOTICE"
expect_eq "calendar import 2027.ics --notice -> exit 0, calendar_years holds 2027 with the notice" "0 2027|$NOTICE" \
  "$rc $(q "$IDB" "select year||'|'||notice from calendar_years")"
run "$OGI" calendar workday - --db "$IDB" <"$T/days2027"
if [ "$rc" -eq 0 ] && cmp -s "$T/out" "$T/want2027"; then
  ok "after the .ics import, all 365 days of 2027 match the arrangement (DTEND exclusive, 补班 = working day)"
else
  notok "after the .ics import, all 365 days of 2027 match the arrangement (DTEND exclusive, 补班 = working day)" "exit $rc; differences (day want got): $(paste -d' ' "$T/days2027" "$T/want2027" "$T/out" | awk '$2!=$3' | head -5 | tr '\n' ';')"
fi
run "$OGI" calendar due 2026-12-28 10 --db "$IDB"
expect_ok "calendar due 2026-12-28 10 --db (ics) -> 2027-01-12" "2027-01-12"

IDB2=$T/ics2.db
"$OGI" init --db "$IDB2" >/dev/null 2>&1
run "$OGI" calendar import "$T/2027_incomplete.ics" --db "$IDB2" --notice "$NOTICE"
expect_fail "calendar import of an .ics year without 国庆 -> exit 2" 2 '国庆'
expect_eq "  ... calendar_years stays empty" "0" "$(q "$IDB2" 'select count(*) from calendar_years')"

tap_finish
