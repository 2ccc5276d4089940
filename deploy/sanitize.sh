#!/usr/bin/env bash
# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer (issue 6): builds
# the libraries, ogi and the tests into build-asan/ with clang and OGI_SANITIZE=ON
# (cmake/Sanitizers.cmake), then runs every ctest suite there. The shell, http and e2e suites run
# build-asan's ogi ($<TARGET_FILE:ogi>), so the server they talk to is the sanitized one.
#
# Any report fails: ASan and UBSan abort the process that made it (-fno-sanitize-recover=all,
# halt_on_error), LeakSanitizer checks every process that exits normally, and each report is
# also written to build-asan/sanitizer/ so that one from a process whose exit status a test
# script ignores still fails this script. Third-party leaks only are suppressed
# (tests/fuzz/lsan.supp, each entry explained there).
#
# Usage: deploy/sanitize.sh [CTEST ARGS...]   e.g. deploy/sanitize.sh -R 'core|store'
# Don't wrap it in the build lock: it takes /tmp/ogi-build.lock for its build itself.
set -euo pipefail
cd "$(dirname "$0")/.."
# the whole suite needs what deploy/test.sh installs (browser, LibreOffice, PostgreSQL), and clang
OGI_WITH_CLANG=1 OGI_WITH_BROWSER=1 OGI_WITH_OFFICE=1 OGI_WITH_POSTGRES=1 ./deploy/deps.sh
[[ -d tests/e2e/node_modules ]] || (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
lock() { if command -v flock >/dev/null; then flock "${OGI_BUILD_LOCK:-/tmp/ogi-build.lock}" "$@"; else "$@"; fi; }
B=build-asan
cmake -S . -B $B -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOGI_SANITIZE=ON >/dev/null
start=$SECONDS
lock cmake --build $B -j"${JOBS:-2}"
echo "sanitize: built in $((SECONDS - start)) s"

reports=$PWD/$B/sanitizer
rm -rf "$reports" && mkdir -p "$reports"
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1:log_path=$reports/asan"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:log_path=$reports/ubsan"
export LSAN_OPTIONS="suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0"

# ops_package is left out: it packages and installs the program of the build folder (here a
# sanitized one, which is not what ships) and runs it under strace, where LeakSanitizer cannot.
start=$SECONDS
rc=0
(cd $B && ctest --output-on-failure --timeout 900 -E '^ops_package$' "$@") || rc=$?
echo "sanitize: ctest took $((SECONDS - start)) s"
if compgen -G "$reports/*" >/dev/null; then
  echo "sanitize: sanitizer reports (build-asan/sanitizer/):"
  for f in "$reports"/*; do echo "--- $f"; head -60 "$f"; done
  echo "sanitize: $(ls "$reports" | wc -l) sanitizer report(s)"
  exit 1
fi
exit $rc
