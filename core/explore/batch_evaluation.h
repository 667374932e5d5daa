#pragma once
// A batch evaluation: several models over one dataset at several N, with chosen keys and
// batch-norm mode, every N interleaved batch by batch (evaluateModelFile's rules). Plain data
// in and out, so the GUI's task, `mimo eval --config` and `mimo-explorer --batch` share it.
// An error in one model is recorded with that model and the others still run; a cancel keeps
// what finished (the model in progress keeps its partial rows, marked cancelled).
#include "core/atomic_file.h" // writeFileAtomically, which the writers of batch results and sessions use
#include "core/eval/eval_shards.h"
#include "core/eval/evaluation.h"
#include "core/explore/explorer_types.h"

#include <atomic>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

namespace mimo {

struct BatchConfig {
    std::vector<std::string> models; // model files
    std::string dataset;             // dataset spec (dataset_spec.h); empty: each model's own test split
    std::string dataDir;             // where dataset files are looked for; empty: the default places
    std::vector<int> ns;             // empty: every N the model serves; N a model cannot serve are skipped
    KeyChoice keys;                  // Trained, Family + seed, Permutation or Values
    bool batchStatisticsBn = false;  // MIMOConv only: the official evaluation's batch statistics
    int batch = 256;
    std::string device = "cpu";      // cpu, cuda or auto
    Precision precision = Precision::Fp32; // mixed precision (autocast) of the forward passes
    bool channelsLast = false;       // MIMOConv: image batches in channels-last memory
    std::size_t limit = 0;           // first K items; 0: all
    bool skipUnservedN = true;       // false: an N a model cannot serve fails that model, naming N
    EvalShards* shards = nullptr;    // set: this process is one rank of a sharded evaluation (eval_shards.h)

    bool operator==(const BatchConfig& other) const;
};

struct BatchModelResult {
    std::string path;
    std::string name;                // the model card's name, else the file name
    std::string dataset;             // the spec evaluated
    std::vector<std::string> classNames;
    std::vector<int> skippedNs;      // asked for but not served by this model
    EvalReport report;               // rows per N (empty when the model failed)
    std::string error;               // why this model failed; empty when it did not
};

struct BatchResult {
    BatchConfig config;
    std::vector<BatchModelResult> models; // in the order of config.models (those started)
    bool cancelled = false;
    double seconds = 0.0;
    // Time still needed, from the measured rate of the work left (TimeLeft); negative while
    // unknown. Not saved: it belongs to the run in progress.
    double secondsLeft = -1.0;
    std::string startedAt;           // ISO 8601, UTC

    bool hasRows() const;
};

// Called after every batch with everything so far; `fraction` of the whole work is done.
using BatchProgress = std::function<void(const BatchResult& partial, double fraction, const std::string& text)>;

BatchResult runBatch(const BatchConfig& config, BatchProgress progress = {}, const std::atomic<bool>* cancel = nullptr);

// Progress for a console: one updating line on a terminal; a line per tenth of the work when
// the output is a log file. endConsoleProgress ends the updating line.
BatchProgress consoleProgress(std::FILE* out);
void endConsoleProgress(std::FILE* out);

// Throws Error when the config cannot run before anything is loaded: no model, a batch below 1,
// an N below 1, BN mode "batch" is fine for any model (formers ignore it).
void validateBatchConfig(const BatchConfig& config);

// JSON files. The config form is what `mimo-explorer --batch` and `mimo eval --config` read:
//   {"models": ["a.pt", ...], "dataset": "fashion-mnist:test", "n": [1, 2, 4],
//    "keys": {"kind": "family", "family": "bipolar", "seed": 3}, "bn": "running",
//    "batch": 256, "device": "cpu", "limit": 1000, "data_dir": ""}
// Relative model paths are taken relative to `baseDir` (the config file's folder).
// Throws DataError(source, problem) naming the field that is wrong.
BatchConfig batchConfigFromJson(const std::string& text, const std::string& source, const std::string& baseDir = {});
std::string batchConfigToJson(const BatchConfig& config);
std::string batchResultToJson(const BatchResult& result);
BatchResult batchResultFromJson(const std::string& text, const std::string& source);
// One row per model and N: model, path, dataset, keys, bn, device, n, count, correct, accuracy,
// ci_low, ci_high, inputs_per_second, speedup, then one accuracy column per class
// ("class:NAME"); failed models get one row with the error.
std::string batchResultToCsv(const BatchResult& result);

// results.csv, results.json and config.json in `folder` (created when missing), each written
// atomically; returns their paths. Throws DataError naming the file that could not be written.
// Creates `folder` when missing and checks that files can be made in it, before a long run.
// Throws DataError(folder, reason).
void prepareOutputFolder(const std::string& folder);
std::vector<std::string> writeBatchOutputs(const std::string& folder, const BatchResult& result);

} // namespace mimo
