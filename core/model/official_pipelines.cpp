#include "core/model/official_pipelines.h"

#include "core/data/cifar.h"
#include "core/data/mnist.h"
#include "core/data/svhn.h"
#include "core/errors.h"

namespace mimo {
namespace {

ImageInputSpec colour(std::vector<float> mean, std::vector<float> stddev)
{
    ImageInputSpec input;
    input.channels = 3;
    input.height = input.width = 32;
    input.mean = std::move(mean);
    input.stddev = std::move(stddev);
    input.aspect = AspectMode::CenterCrop;
    return input;
}

ImageInputSpec gray(int side, int cropFrom, float mean, float stddev)
{
    ImageInputSpec input;
    input.channels = 1;
    input.height = input.width = side;
    input.cropFrom = cropFrom;
    input.mean = {mean};
    input.stddev = {stddev};
    input.aspect = AspectMode::Letterbox;
    input.invert = InvertMode::IfLightBackground; // light-on-dark digits and clothes
    return input;
}

} // namespace

std::vector<std::string> numberedClassNames(int classes)
{
    std::vector<std::string> names;
    for (int c = 0; c < classes; ++c)
        names.push_back("class_" + std::to_string(c));
    return names;
}

const std::vector<std::string>& officialPipelineNames()
{
    static const std::vector<std::string> names{"mnist", "fashion-mnist", "cifar10", "cifar100", "svhn"};
    return names;
}

OfficialPipeline officialPipeline(const std::string& dataset)
{
    OfficialPipeline p;
    p.dataset = dataset;
    if (dataset == "mnist") {
        // transforms.CenterCrop(20) on the 28x28 digits, then Normalize((0.1307,), (0.3081,)).
        p.input = gray(20, 28, 0.1307f, 0.3081f);
        p.classNames = svhnClassNames(); // the digits "0".."9"
        p.description = "MNIST, the official pipeline: 28x28 digits centre-cropped to 20x20, mean 0.1307, std 0.3081";
    } else if (dataset == "fashion-mnist") {
        // Not a dataset of the official code: the normalisation MIMO Explorer trains its own with.
        p.input = gray(28, 0, 0.2860f, 0.3530f);
        p.classNames = fashionMnistClassNames();
        p.description = "Fashion-MNIST (the official code has no pipeline for it; MIMO Explorer's own): 28x28, "
                        "mean 0.2860, std 0.3530";
    } else if (dataset == "cifar10") {
        p.input = colour({0.4914f, 0.4822f, 0.4465f}, {0.2470f, 0.2435f, 0.2616f});
        p.classNames = cifar10DefaultClassNames();
        p.description = "CIFAR-10, the official pipeline: 32x32, mean (0.4914, 0.4822, 0.4465), std (0.2470, 0.2435, "
                        "0.2616)";
    } else if (dataset == "cifar100") {
        p.input = colour({0.5071f, 0.4867f, 0.4408f}, {0.2675f, 0.2565f, 0.2761f});
        p.numClasses = 100;
        p.classNames = numberedClassNames(100);
        p.description = "CIFAR-100, the official pipeline: 32x32, mean (0.5071, 0.4867, 0.4408), std (0.2675, 0.2565, "
                        "0.2761)";
    } else if (dataset == "svhn") {
        // The pixel statistics of SVHN's training digits, in 0..255 units divided by 255.
        p.input = colour({109.9f / 255.f, 109.7f / 255.f, 113.8f / 255.f}, {50.1f / 255.f, 50.6f / 255.f, 50.8f / 255.f});
        p.classNames = svhnClassNames();
        p.description = "SVHN, the official pipeline: 32x32, mean (109.9, 109.7, 113.8)/255, std (50.1, 50.6, 50.8)/255";
    } else {
        std::string known;
        for (const auto& name : officialPipelineNames())
            known += (known.empty() ? "" : ", ") + name;
        throw Error("unknown dataset '" + dataset + "' for the official preprocessing; use one of " + known);
    }
    return p;
}

std::string inferOfficialDataset(int channels, int numClasses, std::string& note)
{
    if (channels == 1) {
        note = "one input channel: assumed MNIST, the official code's only one-channel dataset (--dataset says "
               "otherwise)";
        return "mnist";
    }
    if (channels == 3 && numClasses == 100) {
        note = "3 channels and 100 classes: assumed CIFAR-100";
        return "cifar100";
    }
    if (channels == 3) {
        note = numClasses == 10 ? "3 channels and 10 classes: assumed CIFAR-10; an SVHN checkpoint looks the same, "
                                  "import it with --dataset svhn"
                                : "3 channels and " + std::to_string(numClasses) +
                                      " classes, not an official dataset's: CIFAR-10's normalisation assumed";
        return "cifar10";
    }
    note = std::to_string(channels) + " input channels: no official dataset has them";
    return "";
}

AppliedPipeline applyOfficialPipeline(MimoConvConfig& config, const std::string& dataset, int inputSize,
                                      const std::string& checkpointPath)
{
    AppliedPipeline applied;
    applied.dataset = dataset.empty() ? inferOfficialDataset(config.input.channels, config.numClasses, applied.note)
                                      : dataset;
    const int side = inputSize > 0 ? inputSize : 32;
    if (applied.dataset.empty()) { // what import did before there were pipelines
        config.input.height = config.input.width = side;
        config.input.mean = {0.5f};
        config.input.stddev = {0.5f};
        config.input.cropFrom = 0;
        applied.description = std::to_string(side) + "x" + std::to_string(side) + ", mean 0.5, std 0.5";
        return applied;
    }
    const OfficialPipeline pipeline = officialPipeline(applied.dataset);
    if (!dataset.empty() && pipeline.input.channels != config.input.channels)
        throw DataError(checkpointPath, "the first convolution reads " + std::to_string(config.input.channels) +
                                            " channels but " + dataset + " images have " +
                                            std::to_string(pipeline.input.channels));
    if (!dataset.empty() && pipeline.numClasses != config.numClasses)
        throw DataError(checkpointPath, "the classifier has " + std::to_string(config.numClasses) + " classes but " +
                                            dataset + " has " + std::to_string(pipeline.numClasses));
    config.input = pipeline.input;
    applied.description = pipeline.description;
    if (pipeline.numClasses == config.numClasses)
        applied.classNames = pipeline.classNames;
    if (inputSize > 0 && (inputSize != pipeline.input.height || pipeline.input.cropFrom > 0)) {
        config.input.height = config.input.width = inputSize;
        config.input.cropFrom = 0;
        applied.description += "; but " + std::to_string(inputSize) + "x" + std::to_string(inputSize) +
                               " without a crop, as --size asks";
    }
    return applied;
}

} // namespace mimo
