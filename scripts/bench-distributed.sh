#!/usr/bin/env bash
# Training throughput of one process against a data-parallel group of 2 ranks over c10d
# (Gloo), one thread each, on this machine: the same global batch and steps, interleaved
# (1 rank, 2 ranks, 1 rank, ...) so that both see the same machine. Prints images per second
# per run (the trainer's own figure, the final evaluation excluded), their medians and the
# ratio of 2 ranks over 1 per round.
#
#   scripts/bench-distributed.sh [ROUNDS] [EPOCHS] [BATCH_PER_RANK]
#
# Defaults: 3 rounds of the bundled MIMOConv-10-4 recipe (dynamic N) on Fashion-MNIST, 0.02
# official epochs (37 steps of 2 x 16 superposed samples, 128 images a step). The final
# evaluation runs on the first 512 test images. Run it on an idle machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MIMO="${MIMO_BIN_DIR:-$ROOT/build/bin}/mimo"
ROUNDS="${1:-3}"
EPOCHS="${2:-0.02}"
BATCH="${3:-16}"
FASHION="${MIMO_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT

[[ -x "$MIMO" ]] || { echo "bench-distributed: build first ($MIMO is missing)" >&2; exit 1; }
# A small test split (the first 512 images), so the final evaluation stays short.
python3 - "$FASHION" "$OUT/test" <<'PY'
import gzip, os, struct, sys
source, target = sys.argv[1], sys.argv[2]
os.makedirs(target)
def first(name, count, header):
    path = os.path.join(source, name)
    data = (gzip.open if not os.path.exists(path) else open)(path if os.path.exists(path) else path + ".gz", "rb").read()
    magic, *dims = struct.unpack(">" + "I" * (header // 4), data[:header])
    item = 1
    for d in dims[1:]:
        item *= d
    body = data[header:header + count * item]
    with open(os.path.join(target, name), "wb") as out:
        out.write(struct.pack(">" + "I" * (header // 4), magic, count, *dims[1:]) + body)
first("t10k-images-idx3-ubyte", 512, 16)
first("t10k-labels-idx1-ubyte", 512, 8)
PY

ARGS=(train conv --arch fmnist-mimoconv --lr 0.2 --wd 5e-5 --mixup 0 --crop-padding 2 --zero-padding --seed 1
      --low-n 1 --fast-fraction 0.8 --iso-every 8 --epochs "$EPOCHS" --test-data "mnist:$OUT/test:test"
      --eval-every 100 --restart)
# The trainer's last progress figure before the final evaluation.
rate() { tr '\r' '\n' <"$1" | grep -o '[0-9.]* img/s' | tail -1 | cut -d' ' -f1; }

echo "MIMOConv-10-4 on Fashion-MNIST, $EPOCHS official epochs, global batch $((2 * BATCH)) x N_cap=4 images a step;" \
     "load: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  OMP_NUM_THREADS=1 "$MIMO" "${ARGS[@]}" --batch $((2 * BATCH)) --out "$OUT/one.pt" >"$OUT/one-$round.log" 2>&1
  "$MIMO" launch --nproc 2 --threads 1 -- mimo "${ARGS[@]}" --batch "$BATCH" --out "$OUT/two.pt" \
    >"$OUT/two-$round.log" 2>&1
  one=$(rate "$OUT/one-$round.log")
  two=$(rate "$OUT/two-$round.log")
  [[ -n "$one" && -n "$two" ]] || { echo "bench-distributed: a run failed:" >&2; tail -3 "$OUT"/*-"$round".log >&2; exit 1; }
  echo "$one $two" >>"$OUT/rates"
  echo "round $round: 1 rank x 1 thread $one img/s, 2 ranks x 1 thread $two img/s"
done
python3 - "$OUT/rates" <<'PY'
import statistics, sys
rows = [tuple(map(float, line.split())) for line in open(sys.argv[1])]
ratios = [two / one for one, two in rows]
print(f"median: 1 rank {statistics.median(r[0] for r in rows):.0f} img/s, 2 ranks {statistics.median(r[1] for r in rows):.0f} img/s;"
      f" 2 ranks / 1 rank {statistics.median(ratios):.2f}x (rounds {min(ratios):.2f}-{max(ratios):.2f}x)")
PY
