#!/usr/bin/env bash
# Fails if any C++ file in the repository is not clang-format clean (Google base, .clang-format).
#   scripts/check_format.sh          # check
#   scripts/check_format.sh --fix    # rewrite files in place
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.h' '*.cc')
((${#files[@]})) || exit 0
if [[ ${1:-} == --fix ]]; then
  clang-format -i "${files[@]}"
else
  clang-format --dry-run --Werror "${files[@]}"
  echo "clang-format: ${#files[@]} files clean"
fi
