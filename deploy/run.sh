#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, creates the SQLite database
# with demo data if none exists (data/ogi.db), and serves the staff web UI and the API on
# http://127.0.0.1:8080 (OGI_LISTEN to change). Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/deps.sh
./deploy/build.sh
mkdir -p data
DB="${OGI_DB:-data/ogi.db}"
LISTEN="${OGI_LISTEN:-127.0.0.1:8080}"
./build/ogi init --db "$DB"
./build/ogi demo --db "$DB"
echo
echo "打开 http://${LISTEN}/ （登录名见上；密码 demo-pass-2026）"
exec ./build/ogi serve --db "$DB" --listen "$LISTEN"
