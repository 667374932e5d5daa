#!/usr/bin/env bash
# Trains the bundled sequence models with the exact commands recorded in their cards: a
# Performer baseline and a MIMOFormer (att., M = N = 2) for short ListOps and for sequential
# Fashion-MNIST (14x14 pixels), each pair with the same budget. Every run checkpoints every
# few minutes: running this script again resumes where it stopped.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
MIMO=build/bin/mimo

# Short ListOps (docs/sequence-models.md, "Short ListOps"): 22,000 distinct LRA trees of 20 < length < 256 tokens
# from one seed, the first 20,000 for training and the last 2,000 for testing.
DATA=build/data/listops-short
if [ ! -f "$DATA/test.tsv" ]; then
  mkdir -p "$DATA"
  $MIMO listops generate --out "$DATA/all.tsv" --count 22000 --min-length 20 --max-length 256 --seed 1
  head -n 20001 "$DATA/all.tsv" > "$DATA/train.tsv"
  { head -n 1 "$DATA/all.tsv"; tail -n 2000 "$DATA/all.tsv"; } > "$DATA/test.tsv"
fi

COMMON=(--batch 32 --lr 5e-4 --warmup 200 --seed 1234 --eval-every 500 --curve-limit 1000)
train() { # VARIANT TASK-PRESET OUT NAME DATA TEST STEPS [extra...]
  local out=$3
  if [ ! -f "$out" ]; then
    $MIMO train former --arch "$2" "${COMMON[@]}" --steps "$7" --name "$4" --data "$5" --test-data "$6" \
      --out "$out" "${@:8}"
  fi
}
train performer listops-short-performer models/listops-short-performer.pt "Performer, short ListOps" \
  "listops:$DATA/train.tsv" "listops:$DATA/test.tsv" 3000
train mimo listops-short-mimo models/listops-short-mimoformer.pt "MIMOFormer att. (M=N=2), short ListOps" \
  "listops:$DATA/train.tsv" "listops:$DATA/test.tsv" 3000 --mimo-warmup 500
train performer fmnist-seq-performer models/fmnist-seq-performer.pt "Performer, sequential Fashion-MNIST 14x14" \
  pixels:fashion-mnist:train pixels:fashion-mnist:test 4000
train mimo fmnist-seq-mimo models/fmnist-seq-mimoformer.pt "MIMOFormer att. (M=N=2), sequential Fashion-MNIST 14x14" \
  pixels:fashion-mnist:train pixels:fashion-mnist:test 4000 --mimo-warmup 500
