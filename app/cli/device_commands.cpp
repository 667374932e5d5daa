// mimo compare-devices: whether another device (a GPU) computes what the CPU computes.
#include "cli/commands.h"
#include "cli/json_output.h"
#include "core/data/dataset_spec.h"
#include "core/eval/device_agreement.h"
#include "core/explore/explorer_inputs.h"
#include "core/model/model_catalog.h"

#include <cstdio>

namespace mimo::cli {

int runCompareDevices(const CompareDevicesOptions& options)
{
    nlohmann::json results = nlohmann::json::array();
    bool allAgree = true;
    for (const std::string& path : options.models) {
        const auto listing = readModelListing(path);
        const std::string spec = options.data.empty() ? defaultDataFor(listing) : options.data;
        const DatasetPtr data = openDataset(spec, dataOptionsForModel(listing, options.dataDir));
        const DeviceAgreement agreement = compareDevices(path, data, options.device, options.items, options.batch);
        nlohmann::json rows = nlohmann::json::array();
        if (!options.json)
            std::printf("%s on %s: %s against cpu\n   N    items   max |difference|   max |logit|   same top class\n",
                        path.c_str(), agreement.data.c_str(), agreement.device.c_str());
        for (const auto& row : agreement.rows) {
            const bool agrees = row.maxAbsDifference <= options.tolerance;
            allAgree = allAgree && agrees;
            rows.push_back({{"n", row.n},
                            {"items", row.items},
                            {"max_abs_difference", jsonNumber(row.maxAbsDifference)},
                            {"max_abs_logit", jsonNumber(row.maxAbsLogit)},
                            {"same_top_class", row.sameTopClass},
                            {"within_tolerance", agrees}});
            if (!options.json)
                std::printf("%4d %8zu %18.3g %13.3g %9zu of %zu%s\n", row.n, row.items, row.maxAbsDifference,
                            row.maxAbsLogit, row.sameTopClass, row.items, agrees ? "" : "   beyond the tolerance");
        }
        results.push_back({{"model", path},
                           {"data", agreement.data},
                           {"device", agreement.device},
                           {"tolerance", options.tolerance},
                           {"rows", rows}});
    }
    if (options.json)
        printJson(results);
    else
        std::printf(allAgree ? "every logit within %g\n" : "some logits differ by more than %g\n", options.tolerance);
    return allAgree ? 0 : 1;
}

} // namespace mimo::cli
