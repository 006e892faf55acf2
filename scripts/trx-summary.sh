#!/usr/bin/env bash
# Sum the <Counters .../> of every .trx file under a directory, without python or xmllint.
#
#   source scripts/trx-summary.sh; trx_summary DIR   -> prints "PASSED FAILED TOTAL FILES"
#   scripts/trx-summary.sh DIR                       -> prints "N passed, N failed"
#
# failed = failed + error + timeout + aborted (every outcome that is neither a pass nor a skip).

# Value of attribute $2 in the element text $1 (0 when absent). Attribute order does not matter.
trx_attr() {
  local v
  v="$(printf '%s\n' "$1" | grep -o "[[:space:]]$2=[\"'][0-9]*[\"']" | head -n 1 | tr -dc '0-9' || true)"
  echo "${v:-0}"
}

trx_summary() {
  local dir="$1" f counters passed=0 failed=0 total=0 files=0
  while IFS= read -r -d '' f; do
    files=$((files + 1))
    # Join lines (the element may be wrapped), drop CRs and a UTF-8 BOM, take the first <Counters>.
    counters="$(tr '\r\n' '  ' <"$f" | grep -o '<Counters[[:space:]][^>]*>' | head -n 1 || true)"
    [ -n "$counters" ] || continue
    total=$((total + $(trx_attr "$counters" total)))
    passed=$((passed + $(trx_attr "$counters" passed)))
    failed=$((failed + $(trx_attr "$counters" failed) + $(trx_attr "$counters" error) +
      $(trx_attr "$counters" timeout) + $(trx_attr "$counters" aborted)))
  done < <(find "$dir" -type f -name '*.trx' -print0 2>/dev/null)
  echo "$passed $failed $total $files"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  read -r p f _ _ < <(trx_summary "${1:-.local/test-results}")
  echo "$p passed, $f failed"
fi
