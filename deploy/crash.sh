#!/usr/bin/env bash
# The crash test with many rounds (issue 6): the server is SIGKILLed at random moments under
# concurrent registrations and events, restarted, and every acknowledged write is checked (see
# tests/ops/crash_test.mjs). CTest runs the same test with 20 rounds.
# Usage: deploy/crash.sh [ROUNDS]   (default 200). Builds nothing: expects build/ogi
# (./deploy/build.sh). Needs node >= 20 and the sqlite3 CLI. Extra settings through the
# environment: CRASH_CLIENTS (default 6), CRASH_SEED, CRASH_KEEP_GOING=1, OGI_KEEP_TMP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-200}
if [[ ! -x build/ogi ]]; then
  echo "crash.sh: build/ogi not found; build it first with ./deploy/build.sh" >&2
  exit 2
fi
for tool in node sqlite3; do
  command -v "$tool" >/dev/null || { echo "crash.sh: $tool is needed (./deploy/deps.sh installs it)" >&2; exit 2; }
done
exec node tests/ops/crash_test.mjs --rounds "$ROUNDS" --ogi build/ogi
