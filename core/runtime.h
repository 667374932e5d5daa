#pragma once
// Process-wide facts about core: its version and the compute backend it runs on.
#include <string>

namespace mimo {

std::string projectVersion();

// Debian's LibTorch starts with a single intra-op thread unless OMP_NUM_THREADS is set, so
// both executables call this first: MIMO_THREADS, else OMP_NUM_THREADS, else every core.
// Returns the thread count in effect. Without MIMO_THREADS or OMP_NUM_THREADS the count is a
// ceiling that adapts to other programs' load (adaptive_threads.h).
int initialiseCompute();

// What core runs on: torch version, CPU threads, CUDA; one line for status bars and --version.
std::string computeBackendSummary();

} // namespace mimo
