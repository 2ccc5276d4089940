#!/usr/bin/env bash
# Installs the Debian 12 packages the build and the tests need, only when something is missing.
# Safe to run repeatedly; used by run.sh, test.sh and bench.sh.
set -euo pipefail

PKGS=(
  build-essential cmake pkg-config
  libpoco-dev libboost-dev libboost-date-time-dev libboost-system-dev
  libsqlite3-dev sqlite3 libpq-dev libssl-dev doctest-dev libkainjow-mustache-dev libxlsxwriter-dev
  nodejs npm
)
# The PostgreSQL runs of the store and API suites start a throwaway server on loopback
# (deploy/pg-test-server.sh); the package brings the server, pg_trgm and psql.
if [[ "${OGI_WITH_POSTGRES:-0}" == 1 ]]; then PKGS+=(postgresql); fi
if [[ "${OGI_WITH_BROWSER:-0}" == 1 ]]; then PKGS+=(chromium chromium-l10n fonts-noto-cjk); fi
# Letter tests convert every DOCX to PDF with LibreOffice and read it back with pdftotext.
if [[ "${OGI_WITH_OFFICE:-0}" == 1 ]]; then PKGS+=(libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-noto-cjk); fi
if [[ "${OGI_WITH_BENCH:-0}" == 1 ]]; then PKGS+=(wrk bc); fi
# Sanitizer and fuzzing builds, and the format check (deploy/sanitize.sh, deploy/fuzz.sh): clang with its ASan, UBSan
# and libFuzzer runtimes; llvm brings llvm-symbolizer for readable reports.
# clang-format checks the layout of every source file (tests/format_test.sh).
if [[ "${OGI_WITH_CLANG:-0}" == 1 ]]; then PKGS+=(clang libclang-rt-14-dev llvm clang-format); fi

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node/npm may come from outside Debian's packages on some images; accept a working binary.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=()
  for p in "${missing[@]}"; do [[ "$p" == nodejs || "$p" == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
