#!/usr/bin/env bash
# Packs what scripts/device-check.sh needs on a GPU machine that has only a pip PyTorch, CMake,
# a compiler and the CUDA toolkit (no Debian development packages, no network), from this
# Debian machine's packages, into one folder to carry along (docs/gpu.md):
#   prefix/      headers and CMake configs of nlohmann-json and CLI11 (header-only), zlib's
#                headers and library (its run-time libz.so.1 is on every Linux system): 2 MiB
#   fashion-mnist/  the Fashion-MNIST files (31 MiB; --no-train: only the test split, 4.5 MiB)
# Usage: scripts/pack-device-bundle.sh [DIR] [--no-train]    (DIR: build-deps/device)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${1:-$ROOT/build-deps/device}"
TRAIN=1
[ "${2:-}" = "--no-train" ] && TRAIN=0
FASHION=/usr/share/datasets/fashion-mnist
LIB=$(dirname "$(readlink -f /usr/lib/x86_64-linux-gnu/libz.so 2>/dev/null || echo /lib/x86_64-linux-gnu/libz.so.1)")
for needed in /usr/include/nlohmann /usr/include/CLI /usr/include/zlib.h /usr/include/zconf.h \
              /usr/share/cmake/nlohmann_json /usr/share/cmake/CLI11 "$FASHION/t10k-images-idx3-ubyte.gz"; do
  [ -e "$needed" ] || { echo "pack-device-bundle: $needed is missing (scripts/setup.sh installs it)" >&2; exit 1; }
done
rm -rf "$DEST"
mkdir -p "$DEST/prefix/include" "$DEST/prefix/share/cmake" "$DEST/prefix/lib" "$DEST/fashion-mnist"
cp -r /usr/include/nlohmann /usr/include/CLI /usr/include/zlib.h /usr/include/zconf.h "$DEST/prefix/include/"
cp -r /usr/share/cmake/nlohmann_json /usr/share/cmake/CLI11 "$DEST/prefix/share/cmake/"
cp -L "$LIB"/libz.so.1 "$DEST/prefix/lib/libz.so"
cp "$FASHION"/t10k-*.gz "$DEST/fashion-mnist/"
[ "$TRAIN" = 1 ] && cp "$FASHION"/train-*.gz "$DEST/fashion-mnist/"
du -sh "$DEST" | sed 's/^/pack-device-bundle: /'
