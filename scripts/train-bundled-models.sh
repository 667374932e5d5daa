#!/usr/bin/env bash
# Trains the bundled Fashion-MNIST models with the exact commands recorded in their cards.
# Each run checkpoints every few minutes: running this script again resumes where it stopped.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
MIMO=build/bin/mimo
COMMON=(--batch 128 --lr 0.2 --wd 5e-5 --mixup 0 --crop-padding 2 --zero-padding --seed 1)

if [ ! -f models/fmnist-wrn-10-4.pt ]; then
  $MIMO train conv --arch fmnist-wrn "${COMMON[@]}" --epochs 8 \
    --name "WRN-10-4 baseline, Fashion-MNIST" --out models/fmnist-wrn-10-4.pt
fi
# Recipe v4 (the bundled model since 2026-12-07, issue 17 §1): the v2 settings with 24 official
# epochs (v3, bundled before it, had 8; models/README.md keeps their history). It trains into its
# own file, checkpointed and resumable, which then replaces the bundled one; a bundled model whose
# card names 24 epochs is done.
if ! grep -q -- "--epochs 24 --low-n 1" models/fmnist-mimoconv-10-4.pt.md 2>/dev/null; then
  $MIMO train conv --arch fmnist-mimoconv "${COMMON[@]}" --epochs 24 --low-n 1 --fast-fraction 0.8 \
    --iso-every 8 --checkpoint models/fmnist-mimoconv-10-4.v4.ckpt --checkpoint-minutes 4 \
    --name "MIMOConv-10-4 dynamic (N=1,2,4), Fashion-MNIST" --out models/fmnist-mimoconv-10-4.v4.pt
  mv models/fmnist-mimoconv-10-4.v4.pt models/fmnist-mimoconv-10-4.pt
  mv models/fmnist-mimoconv-10-4.v4.pt.md models/fmnist-mimoconv-10-4.pt.md
fi
# Baseline v2 (issue 17 §1: the baseline at 93.5 % or more; in progress): the v1 settings with
# 24 epochs, three times its schedule, the MIMOConv's v4 epochs, into its own file.
if [ ! -f models/fmnist-wrn-10-4.v2.pt ]; then
  $MIMO train conv --arch fmnist-wrn "${COMMON[@]}" --epochs 24 --checkpoint models/fmnist-wrn-10-4.v2.ckpt \
    --checkpoint-minutes 4 --name "WRN-10-4 baseline, Fashion-MNIST" --out models/fmnist-wrn-10-4.v2.pt
fi
