#!/usr/bin/env bash
# The fuzzing campaign of docs/file-safety.md: every harness (or those named) until 1,000,000
# executions or 30 minutes, whichever comes first, one after another. Prints one line per
# harness (executions, seconds, rate, result) and appends it to $MIMO_FUZZ_BUILD_DIR/campaign.txt.
#   scripts/fuzz-campaign.sh [NAME...]     MIMO_FUZZ_RUNS / MIMO_FUZZ_SECONDS change the limits
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${MIMO_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
RUNS="${MIMO_FUZZ_RUNS:-1000000}"
LIMIT="${MIMO_FUZZ_SECONDS:-1800}"
NAMES=("$@")
if ((${#NAMES[@]} == 0)); then
  mapfile -t NAMES < <(sed -n 's/^set(MIMO_FUZZERS \(.*\))$/\1/p' "$ROOT/fuzz/CMakeLists.txt" | tr ' ' '\n')
fi
failed=0
for name in "${NAMES[@]}"; do
  start=$(date +%s)
  MIMO_FUZZ_RUNS="$RUNS" "$ROOT/scripts/fuzz.sh" "$name" "$LIMIT" > /dev/null 2>&1
  status=$?
  seconds=$(( $(date +%s) - start ))
  log="$BUILD/fuzz-$name.log"
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  peak=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
  result="clean"
  ((status != 0)) && { result="FINDING (exit $status, see $log)"; failed=1; }
  line="$(date -u +%F) $name: ${executions:-?} executions in ${seconds} s (${rate:-?}/s, peak ${peak:-?} MB): $result"
  echo "$line"
  echo "$line" >> "$BUILD/campaign.txt"
done
exit "$failed"
