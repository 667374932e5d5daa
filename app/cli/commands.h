#pragma once
// The `mimo` subcommands: what each one takes, as plain structs (core's own configurations where
// there is one), and the function that runs it. command_line.cpp declares every option once,
// bound to these fields, with its help, default and check; these functions only run.
// A usage mistake found while running throws UsageError (exit 2), bad input mimo::Error (exit 1).
#include "core/data/dataset_spec.h"
#include "core/data/image_preprocess.h"
#include "core/data/listops.h"
#include "core/distributed/distributed_settings.h"
#include "core/eval/benchmark.h"
#include "core/eval/former_interference.h"
#include "core/explore/batch_evaluation.h"
#include "core/model/conv_config.h"
#include "core/model/former_config.h"
#include "core/model/official_import.h"
#include "core/train/conv_trainer.h"
#include "core/train/former_trainer.h"
#include "core/vsa/interference_sweep.h"
#include "core/vsa/key_family.h"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mimo::cli {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// mimo keys
struct KeysOptions {
    KeyFamily family = KeyFamily::Sphere;
    int64_t count = 4;
    int64_t dim = 64;
    uint64_t seed = 0;
    bool json = false;
};
int runKeys(const KeysOptions& options);

// mimo vsa-interference; without --family: bipolar keys for MAP, sphere keys for HRR.
struct VsaInterferenceOptions {
    vsa::SweepConfig sweep;
    std::optional<KeyFamily> family;
    bool json = false;
};
int runVsaInterference(VsaInterferenceOptions options);

// mimo data info / data show
struct DatasetOptions {
    std::string spec;
    DataOptions data;
    int64_t index = 0; // show
    bool json = false; // info
    bool check = false; // info: decode every item and list the unreadable ones
};
int runDataInfo(const DatasetOptions& options);
int runDataShow(const DatasetOptions& options);

// mimo video frames: a video file's frames as records (core/data/video_stream.h) on standard
// output, for the explorer, which decodes video in a process of its own.
struct VideoFramesOptions {
    std::string path;
    double fps = 10.0;   // at most this many frames a second (0: as fast as they decode)
    int64_t count = 0;   // stop after this many (0: loop the file until the reader goes)
};
int runVideoFrames(const VideoFramesOptions& options);

// mimo listops generate / listops eval
struct ListOpsGenerateOptions {
    listops::GeneratorConfig generator;
    int64_t count = 1000;
    std::string out;
    listops::LineEnding lineEnding = listops::LineEnding::Crlf;
};
int runListOpsGenerate(const ListOpsGenerateOptions& options);
int runListOpsEval(const std::vector<std::string>& expression);

// mimo image prepare
struct ImagePrepareOptions {
    std::string path;
    ImageInputSpec spec;
};
int runImagePrepare(const ImagePrepareOptions& options);

// mimo list-models / info / predict
struct ListModelsOptions {
    std::optional<std::string> dir; // else the bundled model folders
    bool json = false;
};
int runListModels(const ListModelsOptions& options);

struct InfoOptions {
    std::string model;
    bool json = false;
};
int runInfo(const InfoOptions& options);

struct PredictOptions {
    std::string model;
    std::optional<int> n; // else the model's largest N
    int top = 3;
    std::string device = "cpu";
    bool json = false;
    std::vector<std::string> inputs;
};
int runPredict(const PredictOptions& options);

// mimo bench: one of four things to time, settled by the options given.
struct BenchOptions {
    enum class Target { ConvArchitecture, FormerArchitecture, ModelFile, AttentionCore };
    Target target = Target::ConvArchitecture;
    BenchConfig bench;
    std::string model;
    MimoConvConfig conv;
    MimoFormerConfig former; // with --attention-core: its heads, head dimension and features
    std::vector<int> grids{1, 2, 4};
    bool json = false;
};
int runBench(const BenchOptions& options);

// mimo train conv / train former; `command` is recorded in the model card.
int runTrainConv(const ConvTrainConfig& config);
int runTrainFormer(const FormerTrainConfig& config);

// mimo import-official
struct ImportOptions {
    std::string checkpoint;
    std::string out;
    std::string classesFile;
    MimoConvConfig architecture; // --arch and overrides: import.architecture when any is given
    OfficialImportOptions import;
};
int runImport(ImportOptions options);

// mimo interference
struct InterferenceOptions {
    InterferenceRequest request;
    bool json = false;
};
int runInterference(const InterferenceOptions& options);

// mimo eval: one model or a batch from flags, or a batch from --config.
struct EvalOptions {
    BatchConfig batch;
    DistributedSettings distributed; // one rank of a sharded evaluation when its worldSize > 1
    std::string configFile; // --config
    std::string keyFile;    // --key-file
    std::string out;        // --out DIR
    bool json = false;
};
int runEval(const EvalOptions& options);
// --keys trained | FAMILY[:SEED]; throws UsageError.
KeyChoice keyChoiceFromText(const std::string& text);
// The dataset `mimo eval` takes for a model when none is given; throws UsageError for a model
// whose data cannot be guessed (a ListOps or text model).
std::string defaultDataFor(const ModelInfo& model);

// mimo launch: K ranks of a command on this machine (of a group over --nnodes machines).
struct LaunchOptions {
    int processes = 1;          // ranks on this machine
    int nodes = 1;              // machines in the group
    int nodeRank = 0;           // this machine's place among them
    std::string masterAddr = "127.0.0.1";
    int masterPort = 0;         // 0: a free port (one machine only)
    int threads = 0;            // OMP_NUM_THREADS of each rank; 0: this machine's cores / K
    double graceSeconds = 10;   // after one rank fails: how long the others have to stop before KILL
    std::vector<std::string> command;
};
int runLaunch(const LaunchOptions& options);

// mimo compare-devices: the logits of each model on the CPU and on another device.
struct CompareDevicesOptions {
    std::vector<std::string> models;
    std::string device = "cuda";
    std::string data;     // default: the model's test split
    std::string dataDir;
    std::size_t items = 512;
    int batch = 128;
    double tolerance = 1e-3; // largest |difference| of a logit that passes
    bool json = false;
};
int runCompareDevices(const CompareDevicesOptions& options); // 1 when a model differs beyond the tolerance

} // namespace mimo::cli
