#!/usr/bin/env bash
# The README's second command: installs what is missing (Debian packages, the browser for the
# end-to-end test, LibreOffice for the letter tests, PostgreSQL for the second engine's runs, npm
# test tools), builds, and runs every test suite with CTest.
# Exit 0 only if all pass. CI (.ci/run) calls this on a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
OGI_WITH_BROWSER=1 OGI_WITH_OFFICE=1 OGI_WITH_POSTGRES=1 ./deploy/deps.sh
./deploy/build.sh
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
cd build
ctest --output-on-failure --timeout 900
