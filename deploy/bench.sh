#!/usr/bin/env bash
# Benchmarks (figures recorded in docs/performance.md). Usage: deploy/bench.sh [CASES]
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/deps.sh
./deploy/build.sh
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -r), $(date -u +%Y-%m-%d)"
./build/tests/ogi_bench "${1:-100000}"
