#!/usr/bin/env bash
# Throughput on a busy CPU: `mimo bench` of a small MIMOConv (depth 10, width 2, D=32, batch
# 128) idle, then beside one CPU-bound process (`yes > /dev/null`) twice: with the thread count
# fixed at every core (OMP_NUM_THREADS, what every run did before threads adapted to load) and
# with the default adaptive count (core/adaptive_threads.h); idle runs both ways too. Prints
# images/s per N, idle adaptive as a share of idle fixed (goal: within 10 %) and each busy figure
# as a share of idle (goal: adaptive at least 50 % at every N).
#
#   scripts/bench-busy-cpu.sh [ROUNDS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MIMO="${MIMO_BIN_DIR:-$ROOT/build/bin}/mimo"
ROUNDS="${1:-10}"
OUT="$(mktemp -d)"
BUSY=""
trap '[[ -n "$BUSY" ]] && kill "$BUSY" 2>/dev/null; rm -rf "$OUT"' EXIT
[[ -x "$MIMO" ]] || { echo "bench-busy-cpu: build first ($MIMO is missing)" >&2; exit 1; }
unset MIMO_THREADS OMP_NUM_THREADS
bench() { "$MIMO" bench --arch fmnist-mimoconv --depth 10 --width 2 --stem 32 --batch 128 --rounds "$ROUNDS" --json; }

echo "$(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
OMP_NUM_THREADS="$(nproc)" bench >"$OUT/idle-fixed.json"
bench >"$OUT/idle.json"
yes >/dev/null &
BUSY=$!
sleep 1
OMP_NUM_THREADS="$(nproc)" bench >"$OUT/fixed.json"
bench >"$OUT/adaptive.json"
kill "$BUSY"
BUSY=""

python3 - "$OUT" <<'EOF'
import json, sys
out = sys.argv[1]
runs = {name: json.load(open(f"{out}/{name}.json")) for name in ("idle-fixed", "idle", "fixed", "adaptive")}
rows = {name: {row["n"]: row["inputs_per_second"] for row in report["results"]} for name, report in runs.items()}
print(f"{'N':>3} {'idle, fixed':>12} {'idle, adaptive':>17} {'busy, fixed threads':>21} {'busy, adaptive':>17}")
worst = 1.0
for n, idle in sorted(rows["idle"].items()):
    fixed, adaptive, before = rows["fixed"][n], rows["adaptive"][n], rows["idle-fixed"][n]
    worst = min(worst, adaptive / idle)
    print(f"{n:3d} {before:12.0f} {idle:8.0f} ({100 * idle / before:3.0f} %) {fixed:12.0f} ({100 * fixed / idle:3.0f} %) "
          f"{adaptive:9.0f} ({100 * adaptive / idle:3.0f} %)")
print(f"threads: idle {runs['idle']['threads']}, fixed {runs['fixed']['threads']}, adaptive at most {runs['adaptive']['threads']}")
print(f"adaptive, busy: at least {100 * worst:.0f} % of idle throughput at every N (goal: 50 %)")
EOF
