#pragma once
// The slots as the controller keeps them: each input with where it came from, and the state
// that undo and redo restore. Plain data, copied freely between the controller and the history.
#include "core/explore/explorer_types.h"

#include <optional>
#include <vector>

// One slot's input: where it came from (so it can be prepared again for another model, or
// saved in a session) and what the model consumes.
struct SlotInput {
    mimo::InputSource source;
    mimo::PreparedInput prepared;
};

// What undo and redo restore: N, the keys and the inputs (the model's largest N of slots).
struct EditState {
    int n = 1;
    mimo::KeyChoice keys;
    std::vector<std::optional<SlotInput>> inputs;

    bool sameAs(const EditState& other) const; // same N, keys and input sources
};
