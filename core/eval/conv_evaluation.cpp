#include "core/eval/conv_evaluation.h"

#include "core/data/image_preprocess.h"
#include "core/data/image_set.h"
#include "core/data/tensors.h"
#include "core/errors.h"
#include "core/eval/interleaved_evaluation.h"
#include "core/model/autocast_scope.h"
#include "core/model/torch_device.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace mimo {
namespace {

torch::Tensor normalise(torch::Tensor images, const ImageInputSpec& spec)
{
    const auto channels = images.size(1);
    auto mean = torch::tensor(spec.mean, torch::kFloat);
    auto stddev = torch::tensor(spec.stddev, torch::kFloat);
    if (mean.numel() == 1)
        mean = mean.expand({channels});
    if (stddev.numel() == 1)
        stddev = stddev.expand({channels});
    return (images - mean.view({1, channels, 1, 1})) / stddev.view({1, channels, 1, 1});
}

// The side a dataset's images have before the model's centre crop: the crop's source when the
// model records one (the official MNIST pipeline: 28 -> 20), else the model's own size.
bool croppedFrom(const std::vector<int64_t>& shape, const ImageInputSpec& spec)
{
    return spec.cropFrom > 0 && shape.size() == 3 && shape[1] == spec.cropFrom && shape[2] == spec.cropFrom;
}

void checkCompatible(const Dataset& data, const MimoConvConfig& config)
{
    if (data.modality() != Modality::Image)
        throw Error(data.name() + " holds sequences; " + config.describe() + " classifies images");
    const auto shape = data.sampleShape();
    const auto& in = config.input;
    const bool asIs = shape.size() == 3 && shape[1] == in.height && shape[2] == in.width;
    if (shape.size() != 3 || shape[0] != in.channels || !(asIs || croppedFrom(shape, in)))
        throw Error(data.name() + " has images of shape " + std::to_string(shape.size() == 3 ? shape[0] : 0) + "x" +
                    std::to_string(shape.size() == 3 ? shape[1] : 0) + "x" + std::to_string(shape.size() == 3 ? shape[2] : 0) +
                    " but " + config.describe() + " expects " + std::to_string(in.channels) + "x" +
                    std::to_string(in.height) + "x" + std::to_string(in.width) +
                    (in.cropFrom > 0 ? " (or " + std::to_string(in.channels) + "x" + std::to_string(in.cropFrom) + "x" +
                                           std::to_string(in.cropFrom) + ", centre-cropped)"
                                     : std::string()));
    if (static_cast<int>(data.classNames().size()) != config.numClasses)
        throw Error(data.name() + " has " + std::to_string(data.classNames().size()) + " classes but the model has " +
                    std::to_string(config.numClasses));
}

} // namespace

torch::Tensor imageBatch(const Dataset& data, const std::vector<std::size_t>& indices, const MimoConvConfig& config)
{
    torch::Tensor images;
    if (const auto* set = dynamic_cast<const ImageSetDataset*>(&data)) {
        // In-memory sets: gather the uint8 pixels directly instead of going through Samples.
        const auto& raw = set->images();
        const auto all = torch::from_blob(const_cast<uint8_t*>(raw.pixels.data()),
                                          {raw.count, raw.channels, raw.height, raw.width}, torch::kUInt8);
        std::vector<int64_t> wide(indices.begin(), indices.end());
        images = all.index_select(0, torch::tensor(wide, torch::kLong)).to(torch::kFloat).div_(255.0);
    } else {
        images = makeBatch(data, indices).inputs;
    }
    const auto& in = config.input;
    if (in.cropFrom > 0 && images.size(2) == in.cropFrom && images.size(3) == in.cropFrom &&
        (in.height != in.cropFrom || in.width != in.cropFrom))
        images = images.narrow(2, centreCropOffset(in.cropFrom, in.height), in.height)
                     .narrow(3, centreCropOffset(in.cropFrom, in.width), in.width);
    return normalise(images, in);
}

EvalReport evaluateConv(MimoConv& model, const Dataset& data, const EvalConfig& config, EvalProgress progress,
                        const std::atomic<bool>* cancel)
{
    return evaluateConv(model, data, config, ConvForwardOptions{}, std::move(progress), cancel);
}

EvalReport evaluateConv(MimoConv& model, const Dataset& data, const EvalConfig& config, const ConvForwardOptions& forward,
                        EvalProgress progress, const std::atomic<bool>* cancel)
{
    const auto& arch = model->config();
    checkCompatible(data, arch);
    for (int n : config.ns)
        if (!arch.supportsN(n))
            throw Error(arch.describe() + " cannot serve N=" + std::to_string(n) + ": N must divide N_cap=" +
                        std::to_string(arch.capacity));
    checkPrecisionOn(config.precision, config.device);
    InterleavedModel interleaved;
    interleaved.numClasses = arch.numClasses;
    interleaved.device = torchDevice(config.device);
    model->to(interleaved.device);
    model->eval();
    ConvForwardOptions options = forward;
    options.batchNorm = config.batchStatisticsBn ? BatchNormMode::Batch : BatchNormMode::Running;
    interleaved.inputs = [&](const std::vector<std::size_t>& indices) {
        return inLayout(imageBatch(data, indices, arch).to(interleaved.device), config.channelsLast);
    };
    interleaved.logits = [&](const torch::Tensor& inputs, int n) {
        ConvForwardOptions pass = options;
        pass.n = n;
        const AutocastScope autocast(config.precision, interleaved.device);
        return model->forward(inputs, pass).logits.to(torch::kFloat);
    };
    return evaluateInterleaved(data, config, interleaved, std::move(progress), cancel);
}

} // namespace mimo
