#pragma once
// The preprocessing each dataset of the official MIMONets code feeds its models at test time
// (MIMOConv/src/datasets.py; docs/mimonets.md section 2.12), recorded in an imported model so
// that mimo predict, mimo eval and the explorer feed it what it was trained on. Plain data, no
// torch.
#include "core/data/image_preprocess.h"
#include "core/model/conv_config.h"

#include <string>
#include <vector>

namespace mimo {

struct OfficialPipeline {
    std::string dataset;                 // "mnist", "fashion-mnist", "cifar10", "cifar100", "svhn"
    ImageInputSpec input;                // size, centre crop, mean and std at test time
    int numClasses = 10;
    std::vector<std::string> classNames; // the dataset's, in label order
    std::string description;             // one line for the model card and the command's output
};

// The names --dataset accepts, in the order help texts list them.
const std::vector<std::string>& officialPipelineNames();

// "class_0" ... "class_{classes-1}": for datasets and checkpoints that name no classes.
std::vector<std::string> numberedClassNames(int classes);

// Throws mimo::Error listing the known names for any other.
OfficialPipeline officialPipeline(const std::string& dataset);

// The dataset an official checkpoint presumably comes from, from what its weights say: CIFAR-100
// for 3 input channels and 100 classes, CIFAR-10 for 3 channels otherwise (SVHN's checkpoints
// look the same: only --dataset svhn tells them apart), MNIST for 1 channel (the only
// one-channel dataset the official code trains on). `note` says what was assumed.
std::string inferOfficialDataset(int channels, int numClasses, std::string& note);

struct AppliedPipeline {
    std::string dataset;                 // empty when none fitted
    std::string description;             // what config.input now holds, in words
    std::string note;                    // what was assumed; empty when --dataset said it
    std::vector<std::string> classNames; // the dataset's when its class count is the model's
};

// Sets config.input to the official pipeline of `dataset`, or of the dataset the channels and
// classes suggest when it is empty; inputSize > 0 replaces the pipeline's side (and its crop).
// Throws DataError(checkpointPath, ...) when the named dataset's channels or classes are not
// the checkpoint's, mimo::Error for an unknown dataset name.
AppliedPipeline applyOfficialPipeline(MimoConvConfig& config, const std::string& dataset, int inputSize,
                                      const std::string& checkpointPath);

} // namespace mimo
