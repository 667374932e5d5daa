#!/usr/bin/env bash
# Fuzz one loader with libFuzzer: scripts/fuzz.sh NAME SECONDS [JOBS]
#   NAME: idx cifar svhn image listops text_tsv model_file torch_save checkpoint session key_file batch_config
#   MIMO_FUZZ_RUNS=K stops after K executions if that comes before SECONDS (one job only).
# Builds the harnesses once (clang, AddressSanitizer, UndefinedBehaviorSanitizer; in
# $MIMO_FUZZ_BUILD_DIR, default build-fuzz beside the sources), then fuzzes NAME for SECONDS on
# its corpus in fuzz/corpus/NAME, at most 2 GB of memory and 30 s per input. New inputs that
# reach new code go to the working corpus (build-fuzz/corpus/NAME); a crash, leak, timeout or
# out-of-memory is written to fuzz/corpus/NAME/crash-* and fails the run, so the corpus (and
# with it CI's regression run) keeps it. Prints the executions and their rate.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NAME="${1:?usage: scripts/fuzz.sh NAME SECONDS [JOBS]}"
SECONDS_TO_RUN="${2:?usage: scripts/fuzz.sh NAME SECONDS [JOBS]}"
JOBS="${3:-1}"
BUILD="${MIMO_FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
[[ -d "$ROOT/fuzz/corpus/$NAME" ]] || { echo "fuzz.sh: no harness '$NAME' (see fuzz/CMakeLists.txt)" >&2; exit 2; }
if [[ ! -f "$BUILD/CMakeCache.txt" ]]; then
  cmake -S "$ROOT" -B "$BUILD" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Release \
        -DMIMO_BUILD_FUZZERS=ON -DMIMO_BUILD_UI=OFF -DMIMO_BUILD_TESTS=ON
fi
# MIMO_FUZZ_NO_BUILD=1: fuzz the harness as built (a campaign over code that is being edited).
[[ "${MIMO_FUZZ_NO_BUILD:-0}" == 1 ]] || cmake --build "$BUILD" --parallel "$(nproc)" --target "fuzz_$NAME"
WORK="$BUILD/corpus/$NAME"
mkdir -p "$WORK"
export OMP_NUM_THREADS=1
# Leaks of LibTorch's and OpenCV's process-wide caches are theirs (fuzz/lsan.supp says which).
export LSAN_OPTIONS="suppressions=$ROOT/fuzz/lsan.supp:print_suppressions=0"
LOG="$BUILD/fuzz-$NAME.log"
PARALLEL=()
[[ "$JOBS" -gt 1 ]] && PARALLEL=(-fork="$JOBS")
[[ -n "${MIMO_FUZZ_RUNS:-}" ]] && PARALLEL+=(-runs="$MIMO_FUZZ_RUNS")
set +e
"$BUILD/fuzz/fuzz_$NAME" "$WORK" "$ROOT/fuzz/corpus/$NAME" -max_total_time="$SECONDS_TO_RUN" -rss_limit_mb=2048 \
    -timeout=30 "${PARALLEL[@]}" -artifact_prefix="$ROOT/fuzz/corpus/$NAME/" -print_final_stats=1 \
    2>&1 | tee "$LOG" | grep -E "^#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::average_exec_per_sec|ERROR|FINDING|SUMMARY" 
status=${PIPESTATUS[0]}
set -e
echo "fuzz $NAME: exit $status, log $LOG"
exit "$status"
