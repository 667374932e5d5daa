#include "core/model/model_catalog.h"

#include "core/errors.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace fs = std::filesystem;

namespace mimo {

ModelListing readModelListing(const std::string& path)
{
    ModelListing listing;
    static_cast<ModelInfo&>(listing) = readModelInfo(path);
    listing.path = path;
    return listing;
}

std::vector<std::string> bundledModelDirectories(const std::string& executableDir)
{
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("MIMO_MODELS_DIR"); env && *env)
        candidates.emplace_back(env);
    if (!executableDir.empty()) {
        candidates.push_back((fs::path(executableDir) / ".." / ".." / "models").lexically_normal().string());
        candidates.push_back((fs::path(executableDir) / ".." / "share" / "mimo-explorer" / "models").lexically_normal().string());
    }
    std::vector<std::string> existing;
    std::error_code error;
    for (const auto& dir : candidates)
        if (fs::is_directory(dir, error) && std::find(existing.begin(), existing.end(), dir) == existing.end())
            existing.push_back(dir);
    return existing;
}

std::vector<ModelListing> listModels(const std::vector<std::string>& directories, std::vector<std::string>* problems)
{
    std::vector<std::string> files;
    for (const auto& dir : directories) {
        // The error_code forms throughout: one looping or dangling link used to throw out of
        // the listing and hide every other model.
        std::error_code error;
        for (fs::directory_iterator it(dir, error), end; !error && it != end; it.increment(error))
            if (it->path().extension() == ".pt")
                files.push_back(it->path().string());
    }
    std::sort(files.begin(), files.end());
    std::vector<ModelListing> models;
    for (const auto& file : files) {
        std::error_code ignored;
        if (fs::is_directory(file, ignored))
            continue; // a folder named *.pt is no model and no mistake
        try {
            models.push_back(readModelListing(file));
        } catch (const Error& error) {
            if (problems)
                problems->push_back(error.what());
        }
    }
    return models;
}

std::string defaultModelPath(const std::vector<ModelListing>& models)
{
    for (const auto& model : models)
        if (model.family() == ModelFamily::Conv && model.conv().binding != ConvBinding::None && model.conv().capacity > 1)
            return model.path;
    for (const auto& model : models)
        if (model.largestN() > 1)
            return model.path;
    return models.empty() ? std::string() : models.front().path;
}

} // namespace mimo
