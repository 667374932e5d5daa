#pragma once
// The example inputs a model starts with: ones it gets right alone, so that what superposition
// changes is what the viewer sees (a ListOps model right a third of the time would otherwise
// start with wrong answers before anything is superposed).
#include "core/explore/explorer_types.h"

#include <cstddef>
#include <vector>

namespace mimo {

class ExplorerEngine;

// Indices into `candidates` (in their order of preference): first those the engine's model
// classifies right at N=1, then, when fewer than `count` are, the others; `count` at most. An
// input without a label counts as right; one the model cannot run is left out.
std::vector<std::size_t> preferRightAlone(ExplorerEngine& engine, const std::vector<PreparedInput>& candidates,
                                          std::size_t count);

} // namespace mimo
