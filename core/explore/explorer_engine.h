#pragma once
// The computation behind the explorer window: one loaded model, the keys it binds with, and
// runs of N inputs in superposition beside the same inputs alone. Not thread-safe: the GUI's
// worker owns one and calls it from its thread only. No torch in this header (pimpl).
#include "core/explore/explorer_types.h"
#include "core/explore/inspection_types.h"
#include "core/explore/pipeline_types.h"

#include <exception>
#include <memory>
#include <string>
#include <vector>

namespace mimo {

class ExplorerEngine {
public:
    ExplorerEngine();
    ~ExplorerEngine();
    ExplorerEngine(const ExplorerEngine&) = delete;
    ExplorerEngine& operator=(const ExplorerEngine&) = delete;

    // Loads a model file onto a device ("cpu" or "cuda"). Strong guarantee: on any error
    // (DataError naming the file, or Error for an unavailable device) the model loaded before
    // stays loaded and unchanged.
    ModelSummary load(const std::string& path, const std::string& device = "cpu");
    bool hasModel() const;
    const ModelSummary& summary() const; // throws Error when no model is loaded

    // "cpu", plus "cuda" when a CUDA device is usable.
    static std::vector<std::string> availableDevices(); // "cpu", "cuda:0", ...
    // After a job failed with `error`: when it was the GPU's failure (isDeviceFailure), moves
    // the model to the CPU and returns what to tell the user; else returns "" and changes nothing.
    std::string fallBackToCpu(const std::exception& error);
    // Moves the loaded model; throws Error (and stays where it was) for an unavailable device.
    void setDevice(const std::string& device);

    // The keys binding the n slots under `keys` ([n, D] for MIMOConv, [m*n, D_h] of layer 0 for
    // MIMOFormer on the grid serving n), and their cosine similarity [n, n]. Throws DataError
    // for key values of the wrong shape (naming the key file) and Error for an N not served.
    TensorView keysInUse(const KeyChoice& keys, int n);
    TensorView keySimilarity(const KeyChoice& keys, int n);
    // Every key of the model under `keys`, [N_cap, D] or [M*N, D_h] (layer 0): what "Save keys"
    // writes and a key file must provide.
    TensorView allKeys(const KeyChoice& keys);

    // Predictions for request.inputs (exactly request.n of them) in superposition and alone, and
    // the tour's tensors when asked. Throws Error naming the problem (wrong count, an input
    // prepared for another model, an N not served, keys of the wrong shape).
    RunResult run(const RunRequest& request);

    // What the "seeing inside" views draw, for the same request (explorer_inspection.cpp).
    // MIMOConv only: every layer in superposition, alone and per slot (throws Error otherwise).
    ActivationReport activations(const RunRequest& request);
    // Both families: feature cosines, probability changes, layer gaps, the influence matrix,
    // input-level key interference (HRR) or query-key score interference (MIMOFormer).
    InterferenceSummary interference(const RunRequest& request);
    // MIMOFormer only: where sequence `slot` attends in layer `layer`, head `head`, in
    // superposition and alone, over its first `maxTokens` tokens.
    AttentionMaps attention(const RunRequest& request, int slot, int layer, int head, int maxTokens = 256);

    // The model as its stages for the pipeline view: each stage's output shape from a captured
    // pass over these inputs, and its share of the forward time over `rounds` passes timed stage
    // by stage on the model's device (after one warm-up pass).
    PipelineReport pipeline(const RunRequest& request, int rounds = 11);

    struct Impl; // engine_impl.h: shared by the engine's source files only

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace mimo
