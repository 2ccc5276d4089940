#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, creates the SQLite database
# with demo data if none exists (data/ogi.db), and prints the demo cases with their due dates.
# (The staff web UI on http://127.0.0.1:8080 arrives with the server: see the issues.)
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/deps.sh
./deploy/build.sh
mkdir -p data
DB="${OGI_DB:-data/ogi.db}"
./build/ogi init --db "$DB"
./build/ogi demo --db "$DB"
