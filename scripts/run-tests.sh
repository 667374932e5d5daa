#!/usr/bin/env bash
# Set up (install, build) and run the whole test suite: Qt Test executables under CTest,
# on Qt's offscreen platform (no display needed), then the fuzzing regression
# (scripts/fuzz-regression.sh: every harness, instrumented, on every corpus file and 10 s of new
# inputs; about 12 minutes on 2 cores). MIMO_RUN_FUZZ=0 leaves it out.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
BUILD_DIR="${MIMO_BUILD_DIR:-$ROOT/build}"
export QT_QPA_PLATFORM=offscreen
ctest --test-dir "$BUILD_DIR" --output-on-failure --parallel "$(nproc)" "$@"
if [[ "${MIMO_RUN_FUZZ:-1}" != 0 ]]; then
  "$ROOT/scripts/fuzz-regression.sh"
fi
