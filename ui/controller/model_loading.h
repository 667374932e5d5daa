#pragma once
// Loading a model for the explorer, run on the compute thread: the model itself, its example
// inputs, and the inputs, N and keys that should follow it (the previous slots, or a
// session's). What does not fit the new model is left out and said in `problems`.
#include "ui/controller/slot_state.h"

#include <QString>
#include <QStringList>

#include <optional>
#include <string>
#include <vector>

namespace mimo {
class ExplorerEngine;
}

struct ModelLoadPlan {
    std::string file;
    std::string device = "auto";
    std::string examplesDirectory;
    std::vector<std::optional<mimo::InputSource>> inputs; // per slot; empty where none
    // A session's state: each input, N and keys kept or reported. Else the previous slots,
    // which follow quietly where they fit, less the old model's examples (dataset samples).
    bool session = false;
    std::optional<int> n;                // a session's N (else the controller chooses)
    std::optional<mimo::KeyChoice> keys; // a session's keys (else the trained ones)
};

struct ModelLoadReply {
    mimo::ModelSummary summary;
    std::vector<SlotInput> examples;
    QString sampleDataset;
    std::vector<std::optional<SlotInput>> inputs; // the model's largest N of slots
    std::optional<int> n;
    mimo::KeyChoice keys;
    mimo::TensorView similarity; // of `keys` at `n`, when the plan named keys
    QStringList problems;        // what of the plan could not be applied
};

// Prepares sources for a model: the inputs that prepared, and one message per source that failed.
struct PreparedInputs {
    std::vector<SlotInput> inputs;
    QStringList errors;
};
PreparedInputs prepareInputs(const std::vector<mimo::InputSource>& sources, const mimo::ModelInfo& model);

ModelLoadReply loadForExplorer(mimo::ExplorerEngine& engine, const ModelLoadPlan& plan);
