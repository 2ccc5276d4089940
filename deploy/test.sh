#!/usr/bin/env bash
# The README's second command: installs what is missing, builds, runs every test suite.
# Exit 0 only if all pass. CI (.ci/run) calls this on a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/deps.sh
./deploy/build.sh
cd build
ctest --output-on-failure --timeout 900
