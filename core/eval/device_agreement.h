#pragma once
// Whether a device computes what the CPU computes: the logits of real dataset items for every
// N a model serves, on the CPU and on the device, compared. The GPU device check
// (scripts/device-check.sh) runs it for every bundled model. Plain data.
#include "core/data/dataset.h"

#include <cstddef>
#include <string>
#include <vector>

namespace mimo {

struct DeviceAgreementRow {
    int n = 1;
    std::size_t items = 0;
    double maxAbsDifference = 0.0; // largest |logit on the device - logit on the CPU|
    double maxAbsLogit = 0.0;      // largest |logit| on the CPU, for scale
    std::size_t sameTopClass = 0;  // items whose top class is the same on both
};

struct DeviceAgreement {
    std::string model, data, device;
    std::vector<DeviceAgreementRow> rows;
};

// The first `items` items of `data` (fewer when it has fewer), in batches of `batch` (rounded
// down to a multiple of each N), through the model file loaded once on the CPU and once on
// `device`. Throws Error for a device that is not there, DataError for a model or data problem.
DeviceAgreement compareDevices(const std::string& modelPath, const DatasetPtr& data, const std::string& device,
                               std::size_t items, int batch);

} // namespace mimo
