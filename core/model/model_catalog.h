#pragma once
// Finding and describing model files without loading their weights (plain data: the GUI's
// model picker and `mimo list-models` use it).
#include "core/model/model_info.h"

#include <string>
#include <vector>

namespace mimo {

struct ModelListing : ModelInfo {
    std::string path;
};

// Throws DataError(path, ...) when the file is not a readable model.
ModelListing readModelListing(const std::string& path);

// Where bundled models live, in order: $MIMO_MODELS_DIR, <exe>/../../models (a build tree),
// <exe>/../share/mimo-explorer/models (an installed tree). Only existing folders are returned.
std::vector<std::string> bundledModelDirectories(const std::string& executableDir);

// Every *.pt model file in the folders, sorted by name. Files that fail to read are reported
// in `problems` (one line each, naming the file) instead of aborting the listing.
std::vector<ModelListing> listModels(const std::vector<std::string>& directories,
                                     std::vector<std::string>* problems = nullptr);

// The bundled default: the dynamic MIMOConv when present, then any model computing in
// superposition, else the first model found.
std::string defaultModelPath(const std::vector<ModelListing>& models);

} // namespace mimo
