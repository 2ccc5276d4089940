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
check base     'calendar/|domain/|workflow/|app/|store/|api/|cli/' "higher layers"
check calendar 'domain/|workflow/|app/|store/|api/|cli/' "higher layers"
check domain   'workflow/|app/|store/|api/|cli/' "higher layers"
check workflow 'app/|store/|api/|cli/' "higher layers"
check app      'Poco/|sqlite3|kainjow/|store/|api/|cli/|letters/|http/' "adapters or Poco/SQLite/Mustache"
check store    'api/|cli/|letters/|http/' "other adapters"
check api      'store/|cli/|letters/|http/' "other adapters"
check letters  'sqlite3|store/|api/|cli/|http/|reports/' "the store or other adapters"
check reports  'sqlite3|store/|api/|cli/|http/' "the store or other adapters (it may use letters' DOCX package)"
check log      'Poco/|sqlite3|calendar/|domain/|workflow/|app/|store/|api/|cli/|letters/|http/|reports/|jobs/' "anything but the standard library"
# The check itself must be able to fail: a planted include is caught.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src/domain"; echo '#include <Poco/Net/HTTPServer.h>' > "$tmp/src/domain/x.h"
if grep -rqE "^\s*#\s*include\s*[<\"]($io)" "$tmp/src/domain"; then echo "ok - planted violation is detected"; pass=$((pass+1)); else echo "not ok - planted violation missed"; fail=$((fail+1)); fi
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
