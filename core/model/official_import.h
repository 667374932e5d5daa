#pragma once
// Import of checkpoints written by the official PyTorch MIMOConv and MIMOFormer code
// (torch.save({'model_state_dict': ...}), key names in docs/mimonets.md section 5); the family
// is recognised from the tensor names.
// Plain data: the CLI and the GUI call it without torch.
#include "core/model/conv_config.h"
#include "core/model/former_config.h"

#include <optional>
#include <string>
#include <vector>

namespace mimo {

struct OfficialImportOptions {
    std::optional<MimoConvConfig> architecture; // given on the command line; else inferred from shapes
    // The dataset whose official test-time preprocessing (size, centre crop, mean, std) the model
    // records (official_pipelines.h): mnist, fashion-mnist, cifar10, cifar100, svhn; empty: the
    // one the weights suggest (inferOfficialDataset).
    std::string dataset;
    int inputSize = 0;                          // > 0: this side instead of the dataset's (and no crop)
    // MIMOFormer: what the tokens mean is not stored in the weights either (the official
    // datasets number their tokens their own way): "tokens" by default, or listops, text,
    // pixels (with the image side).
    std::string inputKind = "tokens";
    int imageSide = 0;
    // listops: the run's vocabulary, "token<TAB>id" per line (listops_vocabulary.h); the word
    // embeddings are reordered to this program's ids. Empty: the ids are assumed to be ours.
    std::string vocabularyFile;
    // The official buffers are (1, M_max, N_max, ...) and a model uses the slice [:M, :N]; the
    // grid is read from the buffer shape unless given here (then the buffers are sliced).
    int gridM = 0, gridN = 0;
    std::string name;
    std::vector<std::string> classNames;        // default: CIFAR-10 names for 10 classes, else class_<i>
    std::string command;                        // recorded in the model card
};

struct OfficialImportResult {
    bool former = false;           // which family the checkpoint holds
    MimoConvConfig architecture;   // when !former
    MimoFormerConfig formerArchitecture; // when former
    std::string description;
    bool inferred = false;
    int tensorCount = 0;
    std::string preprocessing; // MIMOConv: the official pipeline recorded, for the user to read
    std::vector<std::string> notes; // what was assumed, for the user to read
};

// Reads the checkpoint's state_dict (also a bare state_dict, and DataParallel's "module."
// prefixes) and infers the architecture: stem width and input channels from conv1, blocks
// per stage from layer1.*, width from layer1.0.conv1, binding and N_cap from channelConv /
// channelLinear, PReLU from relu weights, classes from fc; the input is the official pipeline of
// the dataset these suggest (inputSize > 0 replaces its side). Throws DataError naming the file.
MimoConvConfig inferOfficialArchitecture(const std::string& checkpointPath, int inputSize = 0);

// MIMOFormer: vocabulary and width from the word embeddings, the length from the position
// table, layers from model.transformer_<i>, heads and head width from W_q and the projection
// buffer, the variant and (M, N) from the bindings buffers, classes from the head. Throws
// DataError naming the file (tied weights, model.transformer.*, are not supported).
MimoFormerConfig inferOfficialFormerArchitecture(const std::string& checkpointPath);

OfficialImportResult importOfficialCheckpoint(const std::string& checkpointPath, const std::string& outputPath,
                                              const OfficialImportOptions& options);

} // namespace mimo
