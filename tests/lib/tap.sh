# Shared by the shell test suites: "ok - …" / "not ok - …" lines (TAP-like), a scratch folder
# $T, and a closing "N passed[, M failed]" with the exit code. Source it, call tap_start NAME,
# and end with tap_finish. A suite that stops early (set -e or -u tripping) still closes with a
# failing summary. A suite may define tap_on_exit (e.g. to stop a server); it runs first.
tap_start() {
  T=$(mktemp -d "${TMPDIR:-/tmp}/ogi_$1.XXXXXX")
  pass=0
  fail=0
  finished=0
  trap '_tap_exit' EXIT
}
_tap_exit() {
  if declare -F tap_on_exit >/dev/null; then tap_on_exit; fi
  rm -rf "$T"
  if [ "$finished" = 0 ]; then
    echo "not ok - the test script stopped early"
    echo "$pass passed, $((fail + 1)) failed"
    exit 1
  fi
}
ok() {
  pass=$((pass + 1))
  printf 'ok - %s\n' "$1"
}
# notok NAME [DETAIL...]: each detail line is printed under it.
notok() {
  fail=$((fail + 1))
  printf 'not ok - %s\n' "$1"
  shift
  local l
  for l in "$@"; do printf '#   %s\n' "$l"; done
}
# check NAME CMD...: ok when CMD succeeds.
check() {
  local name=$1
  shift
  if "$@"; then ok "$name"; else notok "$name" "failed: $*"; fi
}
tap_finish() {
  finished=1
  if [ "$fail" -eq 0 ]; then
    echo "$pass passed"
    exit 0
  fi
  echo "$pass passed, $fail failed"
  exit 1
}
