#!/usr/bin/env bash
# Start-up of the explorer, from launch to the first predictions drawn: RUNS screenshot runs
# (`mimo-explorer --screenshot`) on an idle machine, then RUNS more beside one CPU-bound process
# (`yes > /dev/null`). Prints the median time of each milestone that MIMO_STARTUP_TRACE reports
# (counted from process creation, so loading LibTorch and Qt before main() is included), the
# median wall time of the whole run (launch to exit), and the same for `mimo --version`.
#
#   scripts/bench-startup.sh [RUNS]
#
# Uses the display in $DISPLAY when there is one (run it under xvfb-run for a headless X
# server), else Qt's offscreen platform.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="${MIMO_BIN_DIR:-$ROOT/build/bin}"
RUNS="${1:-10}"
OUT="$(mktemp -d)"
BUSY=""
trap '[[ -n "$BUSY" ]] && kill "$BUSY" 2>/dev/null; rm -rf "$OUT"' EXIT
[[ -x "$BIN/mimo-explorer" ]] || { echo "bench-startup: build first ($BIN/mimo-explorer is missing)" >&2; exit 1; }
[[ -n "${DISPLAY:-}" ]] || export QT_QPA_PLATFORM=offscreen
echo "platform: ${QT_QPA_PLATFORM:-xcb on $DISPLAY}, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

measure() { # LABEL: appends "milestone seconds" lines to $OUT/LABEL
  local label=$1
  for _ in $(seq 1 "$RUNS"); do
    local start end
    start=$(date +%s.%N)
    MIMO_STARTUP_TRACE=1 "$BIN/mimo-explorer" --screenshot "$OUT/shot.png" 2>"$OUT/trace" >/dev/null
    end=$(date +%s.%N)
    sed -n 's/^startup \([0-9.]*\) s: \(.*\)$/\2\t\1/p' "$OUT/trace" >>"$OUT/$label"
    printf 'launch to exit\t%s\n' "$(echo "$end - $start" | bc)" >>"$OUT/$label"
    start=$(date +%s.%N)
    "$BIN/mimo" --version >/dev/null
    end=$(date +%s.%N)
    printf 'mimo --version\t%s\n' "$(echo "$end - $start" | bc)" >>"$OUT/$label"
  done
}

measure idle
yes >/dev/null &
BUSY=$!
measure busy
kill "$BUSY"
BUSY=""

python3 - "$OUT" <<'EOF'
import statistics, sys
out = sys.argv[1]
def read(label):
    table = {}
    for line in open(f"{out}/{label}"):
        name, seconds = line.rstrip("\n").split("\t")
        table.setdefault(name, []).append(float(seconds))
    return table
idle, busy = read("idle"), read("busy")
print(f"{'milestone (median s)':28} {'idle':>7} {'one busy core':>14}")
for name in idle:
    print(f"{name:28} {statistics.median(idle[name]):7.3f} {statistics.median(busy.get(name, [float('nan')])):14.3f}")
EOF
