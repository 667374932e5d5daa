#!/usr/bin/env bash
# Live speedups against `mimo bench`, for one model and batch: the explorer's live curves and
# `mimo eval` run the same interleaved evaluation (core/explore/batch_evaluation.cpp), so this
# runs it RUNS times over a dataset and compares each N's speedup with what `mimo bench` reports
# for the same model and batch. Prints one line per run and N, and the largest deviation.
#
#   scripts/bench-live-speed.sh [MODEL] [DATA] [RUNS] [LIMIT] [BATCH]
#
# Defaults: the bundled MIMOConv on the Fashion-MNIST test split, 5 runs of 2560 items (10
# rounds of 256). Run it on an idle machine; each run also reports what other processes used.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MIMO="${MIMO_BIN_DIR:-$ROOT/build/bin}/mimo"
MODEL="${1:-$ROOT/models/fmnist-mimoconv-10-4.pt}"
DATA="${2:-fashion-mnist:test}"
RUNS="${3:-5}"
LIMIT="${4:-2560}"
BATCH="${5:-256}"
NS="1,2,4"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

[[ -x "$MIMO" ]] || { echo "bench-live-speed: build first ($MIMO is missing)" >&2; exit 1; }
echo "model $MODEL, data $DATA, batch $BATCH, $RUNS live runs of $LIMIT items; load: $(cut -d' ' -f1-3 /proc/loadavg)"
"$MIMO" bench --model "$MODEL" --n "$NS" --batch "$BATCH" --rounds 10 --json >"$OUT/bench.json"
for run in $(seq 1 "$RUNS"); do
  "$MIMO" eval --model "$MODEL" --data "$DATA" --n "$NS" --batch "$BATCH" --limit "$LIMIT" --json >"$OUT/live-$run.json"
done

python3 - "$OUT" "$RUNS" <<'EOF'
import json, sys
out, runs = sys.argv[1], int(sys.argv[2])
bench = {row["n"]: row for row in json.load(open(f"{out}/bench.json"))["results"]}
print(f"{'':8} {'N':>3} {'speedup':>8} {'rounds min-max':>17} {'bench':>7} {'live/bench':>11}  busy cores")
print(f"{'bench':8} " + "  ".join(f"N={n}: {row['speedup']:.2f}x ({row['speedup_range'][0]:.2f}-{row['speedup_range'][1]:.2f})"
                                   for n, row in sorted(bench.items())))
worst = 0.0
for run in range(1, runs + 1):
    report = json.load(open(f"{out}/live-{run}.json"))
    busy = report.get("other_processes_cores", -1)
    for row in report["results"]:
        n = row["n"]
        if n == 1:
            continue
        ratio = row["speedup"] / bench[n]["speedup"]
        worst = max(worst, abs(ratio - 1.0))
        low, high = row["speedup_range"]
        print(f"live {run:<3} {n:>3} {row['speedup']:7.2f}x {low:7.2f}x - {high:5.2f}x {bench[n]['speedup']:6.2f}x "
              f"{ratio:10.2f}   {busy:.2f}")
print(f"largest deviation of a live speedup from bench: {100 * worst:.1f} % (goal: within 15 %)")
EOF
