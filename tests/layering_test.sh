#!/usr/bin/env bash
# The core (src/base, calendar, domain, workflow) must not include adapter or I/O headers, and
# each layer may include only the layers below it (docs/ARCHITECTURE.md). Fails naming the line.
set -u
src="$1/src"
pass=0; fail=0
check() { # layer, forbidden-regex, why
  local hits
  hits=$(grep -rnE "^\s*#\s*include\s*[<\"]($2)" "$src/$1" 2>/dev/null)
  if [[ -n "$hits" ]]; then
    echo "not ok - $1 must not include $3:"; echo "$hits"; fail=$((fail+1))
  else
    echo "ok - $1 includes no $3"; pass=$((pass+1))
  fi
}
io='Poco/|sqlite3|boost/asio|openssl/|fstream|filesystem|iostream|thread|chrono|ctime'
for core in base calendar domain workflow; do check "$core" "$io" "I/O or third-party I/O headers"; done
up='app/|store/|api/|cli/|http/|jobs/|letters/|reports/|log/'
check base     "calendar/|domain/|workflow/|$up" "higher layers"
check calendar "domain/|workflow/|$up" "higher layers"
check domain   "workflow/|$up" "higher layers"
check workflow "$up" "higher layers"
check app      'Poco/|sqlite3|kainjow/|store/|api/|cli/|letters/|http/|jobs/|reports/|log/' "adapters or Poco/SQLite/Mustache"
# Adapters never include each other (the one edge: reports builds on the letters' DOCX package).
check store    'api/|cli/|letters/|http/|jobs/|reports/' "other adapters"
check api      'sqlite3|store/|cli/|letters/|http/|jobs/|reports/' "the store or other adapters"
check http     'sqlite3|store/|cli/|letters/|jobs/|reports/' "the store or other adapters (reports only through app/report_writer.h)"
check jobs     'sqlite3|store/|api/|cli/|letters/|http/|reports/' "the store or other adapters"
check letters  'sqlite3|store/|api/|cli/|http/|jobs/|reports/' "the store or other adapters"
check reports  'sqlite3|store/|api/|cli/|http/|jobs/' "the store or other adapters (it may use letters' DOCX package)"
check log      "Poco/|sqlite3|calendar/|domain/|workflow/|${up%|log/}" "anything but the standard library"
# Every folder under src is one of the layers above (a new one must be placed here first).
for d in "$src"/*/; do
  d=$(basename "$d")
  case " base calendar domain workflow app store api http jobs letters reports log cli " in
    *" $d "*) pass=$((pass+1)) ;;
    *) echo "not ok - src/$d is not a known layer (add it to tests/layering_test.sh and docs/ARCHITECTURE.md)"; fail=$((fail+1)) ;;
  esac
done
# The check itself must be able to fail: a planted include is caught.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/domain"; echo '#include <Poco/Net/HTTPServer.h>' > "$tmp/src/domain/x.h"
if grep -rqE "^\s*#\s*include\s*[<\"]($io)" "$tmp/src/domain"; then echo "ok - planted violation is detected"; pass=$((pass+1)); else echo "not ok - planted violation missed"; fail=$((fail+1)); fi
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
