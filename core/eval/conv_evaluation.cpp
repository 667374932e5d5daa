#include "core/eval/conv_evaluation.h"

#include "core/data/image_set.h"
#include "core/data/tensors.h"
#include "core/errors.h"
#include "core/model/model_file.h"
#include "core/model/torch_device.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>

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

void checkCompatible(const Dataset& data, const MimoConvConfig& config)
{
    if (data.modality() != Modality::Image)
        throw Error(data.name() + " holds sequences; " + config.describe() + " classifies images");
    const auto shape = data.sampleShape();
    if (shape.size() != 3 || shape[0] != config.input.channels || shape[1] != config.input.height ||
        shape[2] != config.input.width)
        throw Error(data.name() + " has images of shape " + std::to_string(shape.size() == 3 ? shape[0] : 0) + "x" +
                    std::to_string(shape.size() == 3 ? shape[1] : 0) + "x" + std::to_string(shape.size() == 3 ? shape[2] : 0) +
                    " but " + config.describe() + " expects " + std::to_string(config.input.channels) + "x" +
                    std::to_string(config.input.height) + "x" + std::to_string(config.input.width));
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
    return normalise(images, config.input);
}

std::pair<double, double> wilsonInterval(std::size_t correct, std::size_t count, double z)
{
    if (count == 0)
        return {0.0, 1.0};
    const double n = static_cast<double>(count);
    const double p = static_cast<double>(correct) / n;
    const double denominator = 1.0 + z * z / n;
    const double centre = (p + z * z / (2.0 * n)) / denominator;
    const double half = z * std::sqrt(p * (1.0 - p) / n + z * z / (4.0 * n * n)) / denominator;
    return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

EvalReport evaluateConv(MimoConv& model, const Dataset& data, const EvalConfig& config, EvalProgress progress,
                        const std::atomic<bool>* cancel)
{
    const auto& arch = model->config();
    checkCompatible(data, arch);
    if (config.ns.empty())
        throw Error("evaluation: no N values given");
    int common = 1;
    for (int n : config.ns) {
        if (!arch.supportsN(n))
            throw Error(arch.describe() + " cannot serve N=" + std::to_string(n) + ": N must divide N_cap=" +
                        std::to_string(arch.capacity));
        common = std::lcm(common, n);
    }
    const int batch = std::max(common, config.batch - config.batch % common);
    const std::size_t total = config.limit ? std::min(config.limit, data.size()) : data.size();
    if (total == 0)
        throw Error(data.name() + ": nothing to evaluate (empty dataset)");

    const auto device = torchDevice(config.device);
    model->to(device);
    model->eval();
    const auto previousMode = model->batchNormMode();
    model->setBatchNormMode(config.batchStatisticsBn ? BatchNormMode::Batch : BatchNormMode::Running);
    torch::InferenceMode inference;

    EvalReport report;
    report.data = data.name();
    report.device = device.str();
    std::vector<double> seconds(config.ns.size(), 0.0);
    std::vector<std::vector<std::size_t>> classCorrect(config.ns.size(), std::vector<std::size_t>(size_t(arch.numClasses)));
    std::vector<std::size_t> classCount(size_t(arch.numClasses), 0);
    for (int n : config.ns) {
        EvalRow row;
        row.n = n;
        report.rows.push_back(row);
    }

    for (std::size_t start = 0; start < total; start += size_t(batch)) {
        if (cancel && cancel->load()) {
            report.cancelled = true;
            break;
        }
        const std::size_t real = std::min<std::size_t>(size_t(batch), total - start);
        std::vector<std::size_t> indices(real);
        for (std::size_t i = 0; i < real; ++i)
            indices[i] = start + i;
        std::vector<int64_t> labels(real);
        for (std::size_t i = 0; i < real; ++i) {
            labels[i] = data.label(indices[i]);
            if (labels[i] >= 0 && labels[i] < arch.numClasses)
                ++classCount[size_t(labels[i])];
        }
        // Whole groups for every N: pad with the dataset's first items (predictions dropped).
        std::size_t padded = real;
        while (padded % size_t(common) != 0)
            indices.push_back((padded++ - real) % data.size());
        const auto inputs = imageBatch(data, indices, arch).to(device);

        for (size_t k = 0; k < config.ns.size(); ++k) {
            synchronizeDevice(device);
            const auto begin = std::chrono::steady_clock::now();
            const auto logits = model->forward(inputs, config.ns[k]);
            synchronizeDevice(device);
            seconds[k] += std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
            const auto predicted = logits.argmax(1).to(torch::kCPU).narrow(0, 0, int64_t(real));
            const auto* p = predicted.data_ptr<int64_t>();
            auto& row = report.rows[k];
            for (std::size_t i = 0; i < real; ++i) {
                ++row.count;
                if (p[i] == labels[i]) {
                    ++row.correct;
                    ++classCorrect[k][size_t(labels[i])];
                }
            }
        }
        for (size_t k = 0; k < config.ns.size(); ++k) {
            auto& row = report.rows[k];
            row.accuracy = double(row.correct) / double(row.count);
            std::tie(row.ciLow, row.ciHigh) = wilsonInterval(row.correct, row.count);
            row.inputsPerSecond = seconds[k] > 0 ? double(row.count) / seconds[k] : 0.0;
            row.perClassAccuracy.assign(size_t(arch.numClasses), 0.0);
            for (size_t c = 0; c < classCount.size(); ++c)
                row.perClassAccuracy[c] = classCount[c] ? double(classCorrect[k][c]) / double(classCount[c]) : 0.0;
        }
        const auto slowest = std::min_element(report.rows.begin(), report.rows.end(),
                                              [](const EvalRow& a, const EvalRow& b) { return a.n < b.n; });
        for (auto& row : report.rows)
            row.speedup = slowest->inputsPerSecond > 0 ? row.inputsPerSecond / slowest->inputsPerSecond : 0.0;
        if (progress)
            progress(report, start + real, total);
    }
    model->setBatchNormMode(previousMode);
    return report;
}

EvalReport evaluateModelFile(const std::string& modelPath, const DatasetPtr& data, const EvalConfig& config,
                             EvalProgress progress, const std::atomic<bool>* cancel)
{
    auto loaded = loadConvModel(modelPath, config.device);
    auto report = evaluateConv(loaded.model, *data, config, std::move(progress), cancel);
    report.model = modelPath;
    return report;
}

} // namespace mimo
