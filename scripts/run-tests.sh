#!/usr/bin/env bash
# Set up (install, build) and run the whole test suite: Qt Test executables under CTest,
# on Qt's offscreen platform (no display needed). MIMO_RUN_FUZZ=1 adds the fuzzing regression
# (scripts/fuzz-regression.sh: every harness on its corpus); not yet on by default: it has not
# yet run end to end on a clean checkout.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
BUILD_DIR="${MIMO_BUILD_DIR:-$ROOT/build}"
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "$BUILD_DIR" --output-on-failure --parallel "$(nproc)" "$@"
if [[ "${MIMO_RUN_FUZZ:-0}" == 1 ]]; then
  "$ROOT/scripts/fuzz-regression.sh"
fi
