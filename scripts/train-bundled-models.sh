#!/usr/bin/env bash
# Trains the bundled Fashion-MNIST models with the exact commands recorded in their cards.
# Each run checkpoints every few minutes: running this script again resumes where it stopped.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
MIMO=build/bin/mimo
COMMON=(--batch 128 --lr 0.2 --wd 5e-5 --mixup 0 --crop-padding 2 --zero-padding --seed 1)

# The WRN-10-4 baseline, recipe v2 (bundled since 2026-12-07, issue 17 §1): the v1 settings with 24
# epochs instead of 8, the MIMOConv's v4 schedule. It trains into its own file, checkpointed and
# resumable, which then replaces the bundled one; a bundled baseline whose card names 24 epochs is done.
if ! grep -q -- "--epochs 24" models/fmnist-wrn-10-4.pt.md 2>/dev/null; then
  $MIMO train conv --arch fmnist-wrn "${COMMON[@]}" --epochs 24 --checkpoint models/fmnist-wrn-10-4.v2.ckpt \
    --checkpoint-minutes 4 --name "WRN-10-4 baseline, Fashion-MNIST" --out models/fmnist-wrn-10-4.v2.pt
  mv models/fmnist-wrn-10-4.v2.pt models/fmnist-wrn-10-4.pt
  mv models/fmnist-wrn-10-4.v2.pt.md models/fmnist-wrn-10-4.pt.md
fi
# The MIMOConv is a chain of recipes, each trained on from the one before (models/README.md keeps
# their history): v4, 24 official epochs from scratch; v5, a second OneCycle schedule of 24 epochs
# from v4's weights at half the peak (0.1), in bfloat16 with channels-last batches; v6 (bundled
# since 2026-12-07, issue 17 §1), 16 epochs from v5's weights at a peak of 0.05 with knowledge
# distillation from the bundled baseline (--distill: its soft targets at temperature 4, half the
# loss). v5 and v6 depart from the paper's single schedule, and their cards say so. Each trains
# into its own file, checkpointed and resumable; the bundled model's card tells how far the chain
# is: its command names the file it started from.
V4=models/fmnist-mimoconv-10-4.v4.pt
V5=models/fmnist-mimoconv-10-4.v5.pt
BUNDLED=models/fmnist-mimoconv-10-4.pt
stage=0
if grep -q -- "--init $V5" "$BUNDLED.md" 2>/dev/null; then
  stage=6
elif grep -q -- "--init $V4" "$BUNDLED.md" 2>/dev/null; then
  stage=5
elif grep -q -- "--out $V4" "$BUNDLED.md" 2>/dev/null; then
  stage=4
fi
if [ "$stage" -lt 5 ] && [ ! -f "$V4" ]; then
  if [ "$stage" = 4 ]; then
    cp "$BUNDLED" "$V4" && cp "$BUNDLED.md" "$V4.md"
  else
    $MIMO train conv --arch fmnist-mimoconv "${COMMON[@]}" --epochs 24 --low-n 1 --fast-fraction 0.8 \
      --iso-every 8 --checkpoint models/fmnist-mimoconv-10-4.v4.ckpt --checkpoint-minutes 4 \
      --name "MIMOConv-10-4 dynamic (N=1,2,4), Fashion-MNIST" --out "$V4"
  fi
fi
if [ "$stage" -lt 6 ] && [ ! -f "$V5" ]; then
  if [ "$stage" = 5 ]; then
    cp "$BUNDLED" "$V5" && cp "$BUNDLED.md" "$V5.md"
  else
    $MIMO train conv --arch fmnist-mimoconv --batch 128 --lr 0.1 --wd 5e-5 --mixup 0 --crop-padding 2 \
      --zero-padding --seed 1 --epochs 24 --low-n 1 --fast-fraction 0.8 --iso-every 8 --precision bf16 --channels-last --init "$V4" --checkpoint models/fmnist-mimoconv-10-4.v5.ckpt \
      --checkpoint-minutes 4 --name "MIMOConv-10-4 dynamic (N=1,2,4), Fashion-MNIST" --out "$V5"
  fi
fi
if [ "$stage" -lt 6 ]; then
  $MIMO train conv --arch fmnist-mimoconv --batch 128 --lr 0.05 --wd 5e-5 --mixup 0 --crop-padding 2 \
    --zero-padding --seed 1 --epochs 16 --low-n 1 --fast-fraction 0.8 --iso-every 8 --precision bf16 --channels-last \
    --init "$V5" --distill models/fmnist-wrn-10-4.pt --distill-weight 0.5 --distill-temperature 4 \
    --checkpoint models/fmnist-mimoconv-10-4.v6.ckpt --checkpoint-minutes 4 \
    --name "MIMOConv-10-4 dynamic (N=1,2,4), Fashion-MNIST" --out models/fmnist-mimoconv-10-4.v6.pt
  mv models/fmnist-mimoconv-10-4.v6.pt "$BUNDLED"
  mv models/fmnist-mimoconv-10-4.v6.pt.md "$BUNDLED.md"
fi
