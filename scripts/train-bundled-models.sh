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
# Recipe v4 (bundled on 2026-12-07 until v5 replaced it, issue 17 §1): the v2 settings with 24 official epochs (v3,
# bundled before it, had 8; models/README.md keeps their history), into its own file, kept:
# recipe v5 starts from it. A bundled model whose card's command wrote v4's file is v4 itself.
V4=models/fmnist-mimoconv-10-4.v4.pt
BUNDLED=models/fmnist-mimoconv-10-4.pt
if [ ! -f "$V4" ] && grep -q -- "--out $V4" "$BUNDLED.md" 2>/dev/null; then
  cp "$BUNDLED" "$V4"
  cp "$BUNDLED.md" "$V4.md"
fi
if ! grep -q -- "--init $V4" "$BUNDLED.md" 2>/dev/null && [ ! -f "$V4" ]; then
  $MIMO train conv --arch fmnist-mimoconv "${COMMON[@]}" --epochs 24 --low-n 1 --fast-fraction 0.8 \
    --iso-every 8 --checkpoint models/fmnist-mimoconv-10-4.v4.ckpt --checkpoint-minutes 4 \
    --name "MIMOConv-10-4 dynamic (N=1,2,4), Fashion-MNIST" --out "$V4"
fi
# Recipe v5 (bundled since 2026-12-07, issue 17 §1): v4's weights trained on by a second OneCycle
# schedule of 24 epochs with half the peak learning rate (0.1), in bfloat16 mixed precision with
# channels-last batches (twice as fast on this CPU, docs/performance.md). A warm restart, not the
# paper's single schedule: the card says so. It trains into its own file, which then replaces the
# bundled one; a bundled model whose card names --init of v4 is v5 itself.
if ! grep -q -- "--init $V4" "$BUNDLED.md" 2>/dev/null; then
  $MIMO train conv --arch fmnist-mimoconv --batch 128 --lr 0.1 --wd 5e-5 --mixup 0 --crop-padding 2 \
    --zero-padding --seed 1 --epochs 24 --low-n 1 --fast-fraction 0.8 --iso-every 8 --precision bf16 --channels-last --init "$V4" --checkpoint models/fmnist-mimoconv-10-4.v5.ckpt \
    --checkpoint-minutes 4 --name "MIMOConv-10-4 dynamic (N=1,2,4), Fashion-MNIST" --out models/fmnist-mimoconv-10-4.v5.pt
  mv models/fmnist-mimoconv-10-4.v5.pt "$BUNDLED"
  mv models/fmnist-mimoconv-10-4.v5.pt.md "$BUNDLED.md"
fi
# Recipe v6 (issue 17 §1, only when MIMO_CONV_V6=1): v5 missed the N = 1 target by 0.63
# points while N = 4 met its own, so v6 trains on from v5's weights with knowledge distillation
# from the bundled baseline (--distill: its soft targets at temperature 4, half the loss), 16
# epochs at a peak of 0.05. A departure from the paper's recipe, which the card states. It
# trains into its own *.v6.pt (checkpointed, resumable) and replaces the bundled model by hand,
# only if its card is better at N = 1 and still meets the N = 4 target.
V5=models/fmnist-mimoconv-10-4.v5.pt
if [ "${MIMO_CONV_V6:-0}" = 1 ] && [ ! -f models/fmnist-mimoconv-10-4.v6.pt ]; then
  if [ ! -f "$V5" ] && grep -q -- "--init $V4" "$BUNDLED.md"; then
    cp "$BUNDLED" "$V5"
    cp "$BUNDLED.md" "$V5.md"
  fi
  $MIMO train conv --arch fmnist-mimoconv --batch 128 --lr 0.05 --wd 5e-5 --mixup 0 --crop-padding 2 \
    --zero-padding --seed 1 --epochs 16 --low-n 1 --fast-fraction 0.8 --iso-every 8 --precision bf16 --channels-last \
    --init "$V5" --distill models/fmnist-wrn-10-4.pt --distill-weight 0.5 --distill-temperature 4 \
    --checkpoint models/fmnist-mimoconv-10-4.v6.ckpt --checkpoint-minutes 4 \
    --name "MIMOConv-10-4 dynamic (N=1,2,4), Fashion-MNIST" --out models/fmnist-mimoconv-10-4.v6.pt
fi
