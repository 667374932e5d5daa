#include "core/explore/sample_sources.h"

#include "core/data/mnist.h"
#include "core/errors.h"
#include "core/explore/dataset_cache.h"
#include "core/explore/explorer_inputs.h"
#include "core/vsa/seeded_random.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace mimo {
namespace {

bool isFormer(const ModelInfo& model) { return model.family() == ModelFamily::Former; }
bool readsPixels(const ModelInfo& model) { return isFormer(model) && model.former().inputKind == "pixels"; }

std::string firstExisting(const std::vector<std::string>& candidates)
{
    std::error_code error;
    for (const auto& candidate : candidates)
        if (!candidate.empty() && fs::is_directory(candidate, error))
            return fs::path(candidate).lexically_normal().string();
    return "";
}

bool fashionMnistReadable()
{
    try {
        const std::string dir = fashionMnistDirectory();
        findIdxFile(dir, "t10k-images-idx3-ubyte");
        findIdxFile(dir, "t10k-labels-idx1-ubyte");
        return true;
    } catch (const Error&) {
        return false;
    }
}

std::string testSplitOf(const std::string& dataset)
{
    const std::string suffix = ":train";
    if (dataset.size() > suffix.size() && dataset.compare(dataset.size() - suffix.size(), suffix.size(), suffix) == 0)
        return dataset.substr(0, dataset.size() - suffix.size()) + ":test";
    return dataset;
}

} // namespace

std::string examplesDirectory(const std::string& executableDir)
{
    std::vector<std::string> candidates;
    if (const char* env = std::getenv("MIMO_EXAMPLES_DIR"); env && *env)
        candidates.emplace_back(env);
    if (!executableDir.empty()) {
        candidates.push_back((fs::path(executableDir) / ".." / ".." / "resources" / "examples").string());
        candidates.push_back((fs::path(executableDir) / ".." / "share" / "mimo-explorer" / "examples").string());
    }
    return firstExisting(candidates);
}

std::string defaultSampleDataset(const ModelInfo& model, const std::string& examplesDir)
{
    const std::string dataset = model.card.dataset;
    const bool fashion = dataset.rfind("fashion-mnist", 0) == 0 || dataset.rfind("pixels:fashion-mnist", 0) == 0;
    std::error_code error;
    if (fashion) {
        const std::string bundled = examplesDir.empty() ? "" : (fs::path(examplesDir) / "fashion-mnist").string();
        std::string spec = fashionMnistReadable() ? "fashion-mnist:test"
                           : (!bundled.empty() && fs::is_directory(bundled, error)) ? "images:" + bundled
                                                                                     : "";
        if (spec.empty())
            return "";
        return readsPixels(model) ? "pixels:" + spec : spec;
    }
    if (isFormer(model) && model.former().inputKind == "listops") {
        const std::string test = testSplitOf(dataset);
        const auto colon = test.find(':');
        if (colon != std::string::npos && fs::is_regular_file(test.substr(colon + 1), error))
            return test;
        // The card names the training file; its test twin usually sits beside it.
        if (colon != std::string::npos) {
            const fs::path twin = fs::path(test.substr(colon + 1)).parent_path() / "test.tsv";
            if (fs::is_regular_file(twin, error))
                return "listops:" + twin.string();
        }
        return "listops-generated";
    }
    if (dataset.empty())
        return "";
    const std::string test = testSplitOf(dataset);
    try {
        openDataset(test, dataOptionsForModel(model));
        return test;
    } catch (const Error&) {
        return "";
    }
}

std::vector<InputSource> exampleSources(const ModelInfo& model, int count, const std::string& examplesDir)
{
    std::vector<InputSource> sources;
    const std::string spec = defaultSampleDataset(model, examplesDir);
    if (spec.empty() || count < 1)
        return sources;
    try {
        const DatasetPtr data = cachedDataset(spec, dataOptionsForModel(model));
        // Different classes make a livelier first screen than items 0..count-1.
        std::vector<int64_t> chosen;
        std::set<int64_t> seen;
        for (size_t i = 0; i < data->size() && int(chosen.size()) < count && i < 500; ++i)
            if (seen.insert(data->label(i)).second)
                chosen.push_back(int64_t(i));
        for (size_t i = 0; i < data->size() && int(chosen.size()) < count; ++i)
            if (std::find(chosen.begin(), chosen.end(), int64_t(i)) == chosen.end())
                chosen.push_back(int64_t(i));
        for (int64_t index : chosen) {
            InputSource source;
            source.origin = InputSource::Origin::DatasetSample;
            source.dataset = spec;
            source.index = index;
            sources.push_back(source);
        }
    } catch (const Error&) {
        sources.clear(); // examples are a courtesy: a model without readable data starts empty
    }
    return sources;
}

std::vector<int64_t> selectSamples(const Dataset& dataset, const SampleQuery& query)
{
    const int64_t size = int64_t(dataset.size());
    const int count = std::max(1, query.count);
    std::vector<int64_t> out;
    if (size == 0)
        throw Error(dataset.name() + " has no items");
    switch (query.mode) {
    case SampleQuery::Mode::Index:
        if (query.index < 0 || query.index >= size)
            throw Error(dataset.name() + ": index " + std::to_string(query.index) + " is outside 0.." +
                        std::to_string(size - 1));
        for (int i = 0; i < count; ++i)
            out.push_back((query.index + i) % size);
        break;
    case SampleQuery::Mode::Random: {
        SeededRandom random(query.seed);
        for (int i = 0; i < count; ++i)
            out.push_back(random.integer(0, size - 1));
        break;
    }
    case SampleQuery::Mode::OfClass: {
        std::vector<int64_t> members;
        for (int64_t i = 0; i < size; ++i)
            if (dataset.label(size_t(i)) == query.classIndex)
                members.push_back(i);
        if (members.empty())
            throw Error(dataset.name() + " has no item of class " + std::to_string(query.classIndex));
        SeededRandom random(query.seed);
        for (int i = 0; i < count; ++i)
            out.push_back(members[size_t(random.integer(0, int64_t(members.size()) - 1))]);
        break;
    }
    }
    return out;
}

} // namespace mimo
