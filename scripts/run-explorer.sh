#!/usr/bin/env bash
# Set up (install, build) and start MIMO Explorer with the bundled default model.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$ROOT/scripts/setup.sh"
BUILD_DIR="${MIMO_BUILD_DIR:-$ROOT/build}"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run-explorer: no display found (DISPLAY and WAYLAND_DISPLAY are unset)." >&2
  echo "  On a headless machine: xvfb-run -a $0, or $BUILD_DIR/bin/mimo-explorer --screenshot shot.png" >&2
  exit 1
fi
exec "$BUILD_DIR/bin/mimo-explorer" "$@"
