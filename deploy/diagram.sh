#!/usr/bin/env bash
# Lays out the lifecycle diagram of the 办理流程 page with Graphviz: `ogi workflow diagram` (DOT)
# → templates/ui/static/lifecycle.svg, marked with the DOT's SHA-256 so the page (and the
# `diagram` test) know it was made from the workflow in force. Run it after changing
# workflow/lifecycle.wf; needs the Debian package graphviz (not needed to build or test).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v dot >/dev/null || { echo "需要 graphviz（apt-get install graphviz）" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
./build/ogi workflow diagram > "$tmp/lifecycle.dot"
sha=$(sha256sum "$tmp/lifecycle.dot" | cut -d' ' -f1)
dot -Tsvg "$tmp/lifecycle.dot" > "$tmp/lifecycle.svg"
{
  echo "<!-- ogi-lifecycle-diagram sha256=$sha (deploy/diagram.sh; Graphviz $(dot -V 2>&1 | awk '{print $5}')) -->"
  # from the <svg> element on: no XML prolog, so the page can include it inline
  sed -n '/<svg/,$p' "$tmp/lifecycle.svg" | grep -v '^<!-- '
} > templates/ui/static/lifecycle.svg
echo "templates/ui/static/lifecycle.svg ($sha)"
