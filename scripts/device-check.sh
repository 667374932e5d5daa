#!/usr/bin/env bash
# The one-shot check on a GPU machine (docs/gpu.md): configure a headless build against the
# LibTorch there (a pip PyTorch's, else MIMO_TORCH_PREFIX, else Debian's), build `mimo`, then
#   1. the logits of every bundled model on CUDA against the CPU (max |difference| <= 1e-3),
#   2. `mimo eval` of every bundled model on CUDA and on the CPU (accuracies within 0.1 point),
#      and under mixed precision (bf16; fp16 on CUDA) within 0.2 point of fp32 on the same device,
#   3. `mimo bench` of the paper-size MIMOConv (WRN-28-10, N = 1, 2, 4) and of the attention
#      kernel alone (grids 1, 2, 4) on CUDA,
# each step with a time limit, every result as JSON in OUT_DIR, a summary in OUT_DIR/summary.txt.
# A failed step is reported and the next ones still run; the exit status says whether all passed.
#
# Usage: scripts/device-check.sh OUT_DIR [--cpu]
#   --cpu  every step on the CPU with small sizes: what a machine without a GPU can check of it.
# Environment: MIMO_DEVICE_BUNDLE (default build-deps/device, from scripts/pack-device-bundle.sh:
#   headers a bare machine lacks, and Fashion-MNIST), MIMO_TORCH_PREFIX, MIMO_CHECK_ITEMS (items
#   per evaluation, default 2000), MIMO_DEVICE_BUILD (build folder, default build-device).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1
OUT="${1:?usage: scripts/device-check.sh OUT_DIR [--cpu]}"
CPU_ONLY=0
[ "${2:-}" = "--cpu" ] && CPU_ONLY=1
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
rm -f "$OUT"/*.json "$OUT"/*.log # an earlier run's results would pass for this one's
BUNDLE="${MIMO_DEVICE_BUNDLE:-$ROOT/build-deps/device}"
BUILD="${MIMO_DEVICE_BUILD:-$ROOT/build-device}"
ITEMS="${MIMO_CHECK_ITEMS:-2000}"
SUMMARY="$OUT/summary.txt"
: > "$SUMMARY"
FAILED=0
note() { echo "$*" | tee -a "$SUMMARY"; }
# step NAME SECONDS COMMAND...: runs it with a time limit; its output goes to OUT/NAME.json for
# the checks that print JSON (logits-, eval-, bench-), else OUT/NAME.log; messages to OUT/NAME.log.
step() {
  local name=$1 limit=$2
  shift 2
  local started=$SECONDS out="$OUT/$name.log"
  case $name in logits-* | eval-* | bench-*) out="$OUT/$name.json" ;; esac
  if [ "$out" = "$OUT/$name.log" ]; then
    timeout "$limit" "$@" > "$out" 2>&1
  else
    timeout "$limit" "$@" > "$out" 2> "$OUT/$name.log"
  fi
  local status=$?
  if [ $status -eq 0 ]; then
    note "ok      $name ($((SECONDS - started)) s)"
  else
    FAILED=1
    note "FAILED  $name (exit $status after $((SECONDS - started)) s; $( [ $status -eq 124 ] && echo "time limit $limit s; " )see $name.log)"
    tail -n 5 "$OUT/$name.log" | sed 's/^/        /' | tee -a "$SUMMARY"
  fi
  return $status
}

note "device check $(date -u +%FT%TZ) on $(hostname)"
if [ $CPU_ONLY = 0 ] && command -v nvidia-smi > /dev/null; then
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | sed 's/^/GPU: /' | tee -a "$SUMMARY"
fi

# LibTorch: the pip PyTorch's, a given prefix, or Debian's.
TORCH_PREFIX="${MIMO_TORCH_PREFIX:-}"
if [ -z "$TORCH_PREFIX" ]; then
  TORCH_PREFIX="$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)' 2> /dev/null || true)"
fi
PREFIXES="${TORCH_PREFIX:-/usr}"
[ -d "$BUNDLE/prefix" ] && PREFIXES="$PREFIXES;$BUNDLE/prefix"
note "LibTorch from ${TORCH_PREFIX:-the system (Debian)}; bundle: $( [ -d "$BUNDLE" ] && echo "$BUNDLE" || echo none)"
# A CUDA LibTorch's CMake config looks for the CUDA toolkit; its usual place, when not on PATH.
if ! command -v nvcc > /dev/null && [ -x /usr/local/cuda/bin/nvcc ]; then
  export PATH="/usr/local/cuda/bin:$PATH"
fi
GENERATOR=()
command -v ninja > /dev/null && GENERATOR=(-G Ninja)
JOBS="$(nproc)"

step configure 180 cmake -S "$ROOT" -B "$BUILD" "${GENERATOR[@]}" -DCMAKE_BUILD_TYPE=Release -DMIMO_BUILD_UI=OFF \
  -DMIMO_BUILD_TESTS=OFF -DMIMO_WITH_OPENCV=OFF -DMIMO_WITH_MATIO=OFF "-DCMAKE_PREFIX_PATH=$PREFIXES" || exit 1
step build 420 cmake --build "$BUILD" --target mimo -j "$JOBS" || exit 1
MIMO="$BUILD/bin/mimo"
"$MIMO" --version | tee -a "$SUMMARY"

DEVICE=cuda
if [ $CPU_ONLY = 1 ]; then
  DEVICE=cpu
elif ! "$MIMO" --version | grep -q "CUDA available"; then
  note "FAILED  cuda: this LibTorch sees no CUDA device; the checks below run on the CPU"
  FAILED=1
  DEVICE=cpu
fi
[ -d "$BUNDLE/fashion-mnist" ] && export MIMO_FASHION_MNIST_DIR="$BUNDLE/fashion-mnist"

# Short ListOps, as scripts/train-bundled-formers.sh makes it (the same seed: the same trees).
LISTOPS="$BUILD/data/listops-short"
if [ ! -f "$LISTOPS/test.tsv" ]; then
  mkdir -p "$LISTOPS"
  step listops-data 120 "$MIMO" listops generate --out "$LISTOPS/all.tsv" --count 22000 --min-length 20 \
    --max-length 256 --seed 1 && { head -n 1 "$LISTOPS/all.tsv"; tail -n 2000 "$LISTOPS/all.tsv"; } > "$LISTOPS/test.tsv"
fi

# Every bundled model with the data it was evaluated on.
MODELS=(fmnist-mimoconv-10-4 fmnist-wrn-10-4 fmnist-seq-mimoformer fmnist-seq-performer listops-short-mimoformer
        listops-short-performer)
data_for() { case $1 in listops-*) echo "--data listops:$LISTOPS/test.tsv" ;; *) echo "" ;; esac; }

for model in "${MODELS[@]}"; do
  # shellcheck disable=SC2046
  step "logits-$model" 240 "$MIMO" compare-devices --model "models/$model.pt" --device "$DEVICE" --items 512 \
    $(data_for "$model") --json
done

# accuracy NAME A.json B.json POINTS: every N's accuracy in B within POINTS of A's.
accuracy() {
  step "$1" 30 python3 - "$2" "$3" "$4" << 'PY'
import json, sys
rows = lambda path: {row["n"]: row["accuracy"] for row in json.load(open(path))["results"]}
a, b, points = rows(sys.argv[1]), rows(sys.argv[2]), float(sys.argv[3])
worst = max(abs(b[n] - a[n]) for n in a)
for n in sorted(a):
    print(f"N={n}: {100 * a[n]:.2f} % then {100 * b[n]:.2f} %")
print(f"largest difference {100 * worst:.3f} points (at most {points})")
sys.exit(0 if worst <= points / 100 + 1e-9 else 1)
PY
}

# Mixed precision where the device has it: bf16 everywhere, fp16 on CUDA only.
PRECISIONS=(bf16)
[ "$DEVICE" = cuda ] && PRECISIONS+=(fp16)

WHERE=("$DEVICE")
[ "$DEVICE" != cpu ] && WHERE+=(cpu)
for model in "${MODELS[@]}"; do
  for where in "${WHERE[@]}"; do
    # shellcheck disable=SC2046
    step "eval-$model-$where" 300 "$MIMO" eval --model "models/$model.pt" --device "$where" --limit "$ITEMS" \
      $(data_for "$model") --json
  done
  if [ "$DEVICE" != cpu ] && [ -s "$OUT/eval-$model-cuda.json" ] && [ -s "$OUT/eval-$model-cpu.json" ]; then
    accuracy "accuracy-$model" "$OUT/eval-$model-cpu.json" "$OUT/eval-$model-cuda.json" 0.1
  fi
  for precision in "${PRECISIONS[@]}"; do
    # shellcheck disable=SC2046
    step "eval-$model-$DEVICE-$precision" 300 "$MIMO" eval --model "models/$model.pt" --device "$DEVICE" \
      --precision "$precision" --limit "$ITEMS" $(data_for "$model") --json
    [ -s "$OUT/eval-$model-$DEVICE.json" ] && [ -s "$OUT/eval-$model-$DEVICE-$precision.json" ] &&
      accuracy "accuracy-$model-$precision" "$OUT/eval-$model-$DEVICE.json" "$OUT/eval-$model-$DEVICE-$precision.json" 0.2
  done
done

if [ "$DEVICE" = cuda ]; then
  step bench-mimoconv-28-10 300 "$MIMO" bench --device cuda --arch mimoconv-28-10 --n 1,2,4 --batch 512 --rounds 10 \
    --warmup 3 --json
  for precision in "${PRECISIONS[@]}"; do
    step "bench-mimoconv-28-10-$precision" 300 "$MIMO" bench --device cuda --arch mimoconv-28-10 --n 1,2,4 \
      --batch 512 --rounds 10 --warmup 3 --precision "$precision" --channels-last --json
  done
  step bench-attention-core 120 "$MIMO" bench --device cuda --attention-core --grids 1,2,4 --length 1024 --rounds 10 \
    --json
else # the same commands at sizes two CPU cores finish
  step bench-mimoconv-28-10 300 "$MIMO" bench --device cpu --arch mimoconv-28-10 --n 1,2,4 --batch 8 --rounds 2 \
    --warmup 1 --json
  step bench-mimoconv-28-10-bf16 300 "$MIMO" bench --device cpu --arch mimoconv-28-10 --n 1,2,4 --batch 8 \
    --rounds 2 --warmup 1 --precision bf16 --channels-last --json
  step bench-attention-core 120 "$MIMO" bench --device cpu --attention-core --grids 1,2,4 --length 256 --rounds 2 \
    --json
fi
note "$( [ $FAILED = 0 ] && echo "all checks passed" || echo "some checks FAILED" ) on $DEVICE"
exit $FAILED
