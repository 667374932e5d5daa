#pragma once
// Reading a model file's architecture and card without building the network; plain data.
#include "core/model/conv_config.h"
#include "core/model/model_card.h"

#include <string>
#include <utility>

namespace mimo {

// Throws DataError(path, ...) naming what is wrong.
std::pair<MimoConvConfig, ModelCard> readConvModelInfo(const std::string& path);

} // namespace mimo
