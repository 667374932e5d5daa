#include "core/explore/dataset_cache.h"

#include <mutex>
#include <utility>
#include <vector>

namespace mimo {

DatasetPtr cachedDataset(const std::string& spec, const DataOptions& options)
{
    static std::mutex mutex;
    static std::vector<std::pair<std::string, DatasetPtr>> recent;
    const auto& image = options.imageSpec;
    const std::string key = spec + "|" + options.fashionMnistDir + "|" + std::to_string(options.sequenceLength) + "|" +
                            std::to_string(options.pixelHeight) + "x" + std::to_string(options.pixelWidth) + "|" +
                            std::to_string(image.channels) + "x" + std::to_string(image.height) + "x" +
                            std::to_string(image.width);
    {
        std::lock_guard<std::mutex> lock(mutex);
        for (const auto& [name, data] : recent)
            if (name == key)
                return data;
    }
    DatasetPtr data = openDataset(spec, options);
    std::lock_guard<std::mutex> lock(mutex);
    recent.insert(recent.begin(), {key, data});
    if (recent.size() > 3)
        recent.pop_back();
    return data;
}

} // namespace mimo
