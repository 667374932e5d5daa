#!/usr/bin/env bash
# Installs what is missing from Debian's packages, then configures (first time only) and
# builds in Release. Idempotent: with everything present it only runs an incremental build.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${MIMO_BUILD_DIR:-$ROOT/build}"

PACKAGES=(
  cmake g++ make pkg-config
  libtorch-dev libopenblas0-openmp      # OpenBLAS: the default reference BLAS is ~4x slower for torch
  qt6-base-dev qt6-svg-dev libqcustomplot-dev
  libopencv-dev zlib1g-dev nlohmann-json3-dev
  libcli11-dev                          # the mimo command line (header-only)
  libgloo-dev                           # data-parallel groups: LibTorch's ProcessGroupGloo needs its headers
  libmatio-dev                          # SVHN's train_32x32.mat / test_32x32.mat
  dataset-fashion-mnist
  python3-torch                         # tests: writes official-style checkpoints and reference logits
  dpkg-dev file                         # cpack -G DEB: dpkg-shlibdeps computes Depends, file finds the programs
  desktop-file-utils appstream          # tests: validate the desktop entry and the AppStream metainfo
  clang libclang-rt-14-dev              # tests: the libFuzzer harnesses' regression run (fuzz/)
)

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: run as root (or install sudo) to install packages" >&2; exit 1; }
    SUDO="sudo"
  fi
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [ ! -f "$BUILD_DIR/CMakeCache.txt" ]; then
  cmake -S "$ROOT" -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release -DMIMO_WARNINGS_AS_ERRORS=ON
fi
# One torch translation unit needs up to 1.4 GB; more jobs than cores gains nothing.
cmake --build "$BUILD_DIR" --parallel "$(nproc)"
