#!/usr/bin/env bash
# Every test suite (GUI suites included, on Qt's offscreen platform) built with AddressSanitizer
# and UndefinedBehaviorSanitizer, in its own folder ($MIMO_ASAN_BUILD_DIR, default build-asan).
# Any report fails the run: UBSan halts on its first finding, ASan on every error, LeakSanitizer
# at exit. Suppressions cover third-party code only (fuzz/lsan.supp, each with its reason).
# Extra arguments go to ctest (e.g. -R 'hostile|sessions').
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${MIMO_ASAN_BUILD_DIR:-$ROOT/build-asan}"
if [[ ! -f "$BUILD/CMakeCache.txt" ]]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DMIMO_SANITIZE=ON
fi
cmake --build "$BUILD" --parallel "$(nproc)"
export QT_QPA_PLATFORM=offscreen
# LibTorch allocates with its own aligned allocator and frees through c10; new/delete
# mismatches are not ours to judge in an uninstrumented library.
export ASAN_OPTIONS="alloc_dealloc_mismatch=0:detect_odr_violation=0:abort_on_error=1:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$ROOT/fuzz/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
# Instrumented code runs about 3x slower: the tests' hang limits and ctest's timeouts grow to match.
export MIMO_TEST_TIME_SCALE=4
export QTEST_FUNCTION_TIMEOUT=1200000
ctest --test-dir "$BUILD" --output-on-failure --parallel "$(nproc)" -E '^fuzz_regression_' "$@"
