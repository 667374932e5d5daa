#include "core/eval/device_agreement.h"

#include "core/errors.h"
#include "core/eval/conv_evaluation.h"
#include "core/eval/former_evaluation.h"
#include "core/model/model_file.h"
#include "core/model/torch_device.h"

#include <torch/torch.h>

#include <algorithm>
#include <numeric>

namespace mimo {
namespace {

torch::Tensor logitsOf(LoadedModel& model, const Dataset& data, const std::vector<std::size_t>& indices, int n,
                       const c10::Device& device)
{
    if (model.isConv()) {
        ConvForwardOptions options;
        options.n = n;
        const auto images = imageBatch(data, indices, model.info.conv()).to(device);
        return model.conv()->forward(images, options).logits.to(torch::kCPU, torch::kDouble);
    }
    FormerForwardOptions options;
    options.grid = model.info.former().gridFor(n);
    const auto tokens = tokenBatch(data, indices).to(device);
    return model.former()->forward(tokens, options).logits.to(torch::kCPU, torch::kDouble);
}

} // namespace

DeviceAgreement compareDevices(const std::string& modelPath, const DatasetPtr& data, const std::string& device,
                               std::size_t items, int batch)
{
    if (!data || data->size() == 0)
        throw Error("compare devices: no data items");
    if (batch < 1)
        throw Error("compare devices: the batch must hold at least one item");
    const std::string deviceName = resolveDeviceName(device);
    LoadedModel reference = loadModel(modelPath, "cpu");
    LoadedModel other = loadModel(modelPath, deviceName);
    reference.module().eval();
    other.module().eval();
    if (reference.isFormer())
        checkSequenceData(*data, reference.info.former());
    torch::InferenceMode inference;
    DeviceAgreement out;
    out.model = modelPath;
    out.data = data->name();
    out.device = deviceName;
    const auto onDevice = torchDevice(deviceName);
    const std::size_t total = std::min(items, data->size());
    for (int n : reference.info.supportedN()) {
        DeviceAgreementRow row;
        row.n = n;
        const std::size_t step = std::size_t(std::max(n, batch - batch % n));
        for (std::size_t start = 0; start + std::size_t(n) <= total; start += step) {
            const std::size_t count = std::min(step, (total - start) / std::size_t(n) * std::size_t(n));
            std::vector<std::size_t> indices(count);
            std::iota(indices.begin(), indices.end(), start);
            const auto expected = logitsOf(reference, *data, indices, n, torch::Device(torch::kCPU));
            const auto got = logitsOf(other, *data, indices, n, onDevice);
            row.maxAbsDifference = std::max(row.maxAbsDifference, (got - expected).abs().max().item<double>());
            row.maxAbsLogit = std::max(row.maxAbsLogit, expected.abs().max().item<double>());
            row.sameTopClass += std::size_t(got.argmax(1).eq(expected.argmax(1)).sum().item<int64_t>());
            row.items += count;
        }
        out.rows.push_back(row);
    }
    return out;
}

} // namespace mimo
