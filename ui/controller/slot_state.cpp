#include "ui/controller/slot_state.h"

#include "core/explore/session_file.h"

bool EditState::sameAs(const EditState& other) const
{
    if (n != other.n || keys != other.keys || inputs.size() != other.inputs.size())
        return false;
    for (size_t i = 0; i < inputs.size(); ++i) {
        if (inputs[i].has_value() != other.inputs[i].has_value())
            return false;
        if (inputs[i] && !mimo::sameInput(inputs[i]->source, other.inputs[i]->source))
            return false;
    }
    return true;
}
