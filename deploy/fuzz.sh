#!/usr/bin/env bash
# Fuzzing (issue 6): builds the libFuzzer targets of tests/fuzz/ into build-fuzz/ with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer (OGI_FUZZ=ON, cmake/Sanitizers.cmake), then runs
# each for SECONDS on its corpus. Exits 1 when a target crashes (or breaks a property it checks),
# keeping the input as build-fuzz/crashes/<target>/crash-<sha1>; tests/fuzz/README.md says how
# it becomes a regression test.
#
# Usage: deploy/fuzz.sh [SECONDS] [TARGET...]   seconds per target (default 60, or $FUZZ_SECONDS);
#                                               deploy/test.sh runs FUZZ_SECONDS=15 deploy/fuzz.sh
# New inputs that reach new code go to build-fuzz/corpus/<target>/ (kept between runs, not
# committed); the committed seeds (tests/fuzz/corpus/) and crashes (tests/fuzz/regressions/) are
# read as well. Don't wrap this script in the build lock: it takes /tmp/ogi-build.lock for its
# build itself.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-${FUZZ_SECONDS:-60}}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(fuzz_request_json fuzz_ics fuzz_template fuzz_import)

OGI_WITH_CLANG=1 ./deploy/deps.sh
lock() { if command -v flock >/dev/null; then flock "${OGI_BUILD_LOCK:-/tmp/ogi-build.lock}" "$@"; else "$@"; fi; }
B=build-fuzz
cmake -S . -B $B -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOGI_FUZZ=ON >/dev/null
start=$SECONDS
lock cmake --build $B -j"${JOBS:-2}" --target "${targets[@]}"
echo "fuzz: built ${targets[*]} in $((SECONDS - start)) s"

# Leaks are reported as crashes too; third-party leaks only are suppressed (the file says which).
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:check_initialization_order=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/tests/fuzz/lsan.supp:print_suppressions=0}"

failed=()
for t in "${targets[@]}"; do
  work=$B/corpus/$t crashes=$B/crashes/$t log=$B/logs/$t.log
  mkdir -p "$work" "$crashes" "$(dirname "$log")"
  seeds=("tests/fuzz/corpus/$t")
  [[ -d "tests/fuzz/regressions/$t" ]] && seeds+=("tests/fuzz/regressions/$t")
  rc=0
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: 2 GB is an out-of-memory bug
  "$B/tests/fuzz/$t" "$work" "${seeds[@]}" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$crashes/" -print_final_stats=1 >"$log" 2>&1 || rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
  if ((rc == 0)); then
    echo "fuzz: $t ok: ${secs} s, ${runs:-?} runs, ${rate:-?} exec/s, ${cov:-cov: ?}, corpus $(ls "$work" | wc -l) files"
  else
    failed+=("$t")
    echo "fuzz: $t FAILED (exit $rc) after ${runs:-?} runs; log $log; input(s):"
    ls -1 "$crashes"/* 2>/dev/null | sed 's/^/  /' || true
    grep -m1 -A30 -E '^==[0-9]+==ERROR|runtime error|fuzz: property broken|deadly signal|uncaught exception|terminate called' "$log" || tail -30 "$log"
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: ${#failed[@]} of ${#targets[@]} targets failed: ${failed[*]}"
  exit 1
fi
echo "fuzz: ${#targets[@]} passed, 0 failed"
