#pragma once
// A data-parallel group failed (core/distributed): a rank stopped, is unreachable or timed out.
// The message names this rank. Nothing more can be computed together, so it ends the command.
// In the base layer, so that every layer can let it through.
#include "core/errors.h"

namespace mimo {

class DistributedError : public Error {
public:
    using Error::Error;
};

} // namespace mimo
