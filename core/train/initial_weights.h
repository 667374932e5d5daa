#pragma once
// `mimo train ... --init FILE`: a training that starts from the weights of a model file of the
// same architecture instead of a fresh initialisation (a second schedule, a fine-tuning). The
// card says so. torch header: core .cpp and tests only.
#include "core/model/mimo_conv.h"
#include "core/model/mimo_former.h"

#include <string>

namespace mimo {

// Copies every parameter and buffer of the model file at `path` into `model`. Throws
// DataError(path, ...) when the file is not a model of this family or its architecture is not
// the one being trained. Returns the card's sentence: which file, its name and test accuracy.
std::string startFromWeights(MimoConv& model, const std::string& path);
std::string startFromWeights(MimoFormer& model, const std::string& path);

} // namespace mimo
