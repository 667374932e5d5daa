#!/usr/bin/env bash
# CI's fuzzing regression (part of scripts/run-tests.sh): builds the libFuzzer harnesses (clang,
# AddressSanitizer, UndefinedBehaviorSanitizer; core only, in $MIMO_FUZZ_BUILD_DIR, default
# build-fuzz), replays every corpus file of fuzz/corpus (crashes found earlier are kept there),
# then fuzzes each harness for a short time (MIMO_FUZZ_REGRESSION_SECONDS, default 10) from its
# corpus. Any crash, leak, timeout or out-of-memory fails the run and is written to the corpus.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${MIMO_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
SECONDS_EACH="${MIMO_FUZZ_REGRESSION_SECONDS:-10}"
if [[ ! -f "$BUILD/CMakeCache.txt" ]]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Release \
        -DMIMO_BUILD_FUZZERS=ON -DMIMO_BUILD_UI=OFF -DMIMO_BUILD_TESTS=ON
fi
mapfile -t NAMES < <(sed -n 's/^set(MIMO_FUZZERS \(.*\))$/\1/p' "$ROOT/fuzz/CMakeLists.txt" | tr ' ' '\n')
cmake --build "$BUILD" --parallel "$(nproc)" --target "${NAMES[@]/#/fuzz_}"
ctest --test-dir "$BUILD" --output-on-failure --parallel "$(nproc)" -R '^fuzz_regression_'
for name in "${NAMES[@]}"; do
  "$ROOT/scripts/fuzz.sh" "$name" "$SECONDS_EACH" | tail -1
done
