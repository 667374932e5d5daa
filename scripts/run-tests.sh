#!/usr/bin/env bash
# Set up (install, build) and run the whole test suite: Qt Test executables under CTest,
# on Qt's offscreen platform (no display needed).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
BUILD_DIR="${MIMO_BUILD_DIR:-$ROOT/build}"
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "$BUILD_DIR" --output-on-failure --parallel "$(nproc)" "$@"
