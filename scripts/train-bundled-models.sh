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
# Recipe v3 (the bundled model): the same settings as v2 with 8 official epochs instead of 2.75.
if ! grep -q -- "--epochs 8 --low-n 1" models/fmnist-mimoconv-10-4.pt.md 2>/dev/null; then
  $MIMO train conv --arch fmnist-mimoconv "${COMMON[@]}" --epochs 8 --low-n 1 --fast-fraction 0.8 \
    --iso-every 8 --checkpoint models/fmnist-mimoconv-10-4.v3.ckpt \
    --name "MIMOConv-10-4 dynamic (N=1,2,4), Fashion-MNIST" --out models/fmnist-mimoconv-10-4.pt
fi
# Recipe v4 (issue 17, in progress): v3 with 24 official epochs, into its own file; it replaces
# the bundled model once its card shows it better at every N. Resumes from its checkpoint.
if [ ! -f models/fmnist-mimoconv-10-4.v4.pt ]; then
  $MIMO train conv --arch fmnist-mimoconv "${COMMON[@]}" --epochs 24 --low-n 1 --fast-fraction 0.8 \
    --iso-every 8 --checkpoint models/fmnist-mimoconv-10-4.v4.ckpt --checkpoint-minutes 4 \
    --name "MIMOConv-10-4 dynamic (N=1,2,4), Fashion-MNIST" --out models/fmnist-mimoconv-10-4.v4.pt
fi
# Baseline v2 (issue 17 §1: the baseline at 93.5 % or more), to start once v4 is done: the v1
# settings with 24 epochs, three times its schedule, into its own file.
if [ ! -f models/fmnist-wrn-10-4.v2.pt ]; then
  $MIMO train conv --arch fmnist-wrn "${COMMON[@]}" --epochs 24 --checkpoint models/fmnist-wrn-10-4.v2.ckpt \
    --checkpoint-minutes 4 --name "WRN-10-4 baseline, Fashion-MNIST" --out models/fmnist-wrn-10-4.v2.pt
fi
