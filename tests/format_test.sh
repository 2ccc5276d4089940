#!/usr/bin/env bash
# Every C++ source and header of src/ and tests/ is formatted by .clang-format (Google, 100
# columns). Fails naming each file and line clang-format would change.
set -u
root="$1"
cd "$root" || exit 2
command -v clang-format >/dev/null || { echo "not ok - clang-format is not installed (deploy/deps.sh with OGI_WITH_CLANG=1)"; exit 1; }
mapfile -t files < <(find src tests -path '*/node_modules' -prune -o \( -name '*.cpp' -o -name '*.h' \) -print | sort)
out=$(clang-format --dry-run --Werror "${files[@]}" 2>&1)
if [[ -n $out ]]; then
  echo "not ok - not formatted (run: clang-format -i on these files):"
  echo "$out" | grep -E '^[^ ].*: (warning|error):' | head -50
  exit 1
fi
echo "ok - ${#files[@]} files formatted as .clang-format says ($(clang-format --version | head -1))"
# The check can fail: a planted badly formatted file is caught.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
printf 'int  main( ){return 0;}\n' > "$tmp/x.cpp"; cp .clang-format "$tmp/"
if (cd "$tmp" && clang-format --dry-run --Werror x.cpp 2>/dev/null); then echo "not ok - planted misformat missed"; exit 1; fi
echo "ok - planted misformat is detected"
