#!/usr/bin/env bash
# The 办理流程 page's diagram (templates/ui/static/lifecycle.svg, laid out by Graphviz) was made
# from the workflow in force: its mark is the SHA-256 of `ogi workflow diagram`. After a change
# to workflow/lifecycle.wf, run deploy/diagram.sh. Also: the diagram speaks Chinese only.
set -euo pipefail
ogi=$1 src=$2
svg="$src/templates/ui/static/lifecycle.svg"
want=$("$ogi" workflow diagram | sha256sum | cut -d' ' -f1)
have=$(head -1 "$svg" | sed -n 's/.*sha256=\([0-9a-f]\{64\}\).*/\1/p')
if [[ "$want" != "$have" ]]; then
  echo "lifecycle.svg is stale (made from $have, workflow gives $want): run deploy/diagram.sh" >&2
  exit 1
fi
# every text of the drawing is Chinese (no event or state codes, no guard names)
if sed -n 's:.*<text[^>]*>\([^<]*\)</text>.*:\1:p' "$svg" | grep -E '[A-Za-z]{2,}'; then
  echo "lifecycle.svg shows Latin words (above)" >&2
  exit 1
fi
states=$(sed -n 's:.*<text[^>]*>\([^<]*\)</text>.*:\1:p' "$svg" | grep -c . || true)
(( states > 20 )) || { echo "lifecycle.svg has only $states labels" >&2; exit 1; }
echo "ok: lifecycle.svg matches the workflow ($want), $states labels, all Chinese"
