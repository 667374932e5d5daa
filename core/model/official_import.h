#pragma once
// Import of checkpoints written by the official PyTorch MIMOConv code
// (torch.save({'model_state_dict': ...}), key names in mimonets-spec.md section 5).
// Plain data: the CLI and the GUI call it without torch.
#include "core/model/conv_config.h"

#include <optional>
#include <string>
#include <vector>

namespace mimo {

struct OfficialImportOptions {
    std::optional<MimoConvConfig> architecture; // given on the command line; else inferred from shapes
    int inputSize = 32;                         // not stored in the weights; CIFAR's 32 by default
    std::string name;
    std::vector<std::string> classNames;        // default: CIFAR-10 names for 10 classes, else class_<i>
    std::string command;                        // recorded in the model card
};

struct OfficialImportResult {
    MimoConvConfig architecture;
    bool inferred = false;
    int tensorCount = 0;
};

// Reads the checkpoint's state_dict (also a bare state_dict, and DataParallel's "module."
// prefixes) and infers the architecture: stem width and input channels from conv1, blocks
// per stage from layer1.*, width from layer1.0.conv1, binding and N_cap from channelConv /
// channelLinear, PReLU from relu weights, classes from fc. Throws DataError naming the file.
MimoConvConfig inferOfficialArchitecture(const std::string& checkpointPath, int inputSize = 32);

OfficialImportResult importOfficialCheckpoint(const std::string& checkpointPath, const std::string& outputPath,
                                              const OfficialImportOptions& options);

} // namespace mimo
