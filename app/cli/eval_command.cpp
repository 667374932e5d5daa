// `mimo eval`: accuracy and inputs per second per N, for one model from flags or for a batch
// of models from a JSON config (the same file `mimo-explorer --batch` reads).
#include "cli/commands.h"
#include "cli/json_output.h"
#include "core/data/binary_file.h"
#include "core/errors.h"
#include "core/numbers.h"
#include "core/distributed/process_group.h"
#include "core/explore/batch_evaluation.h"
#include "core/explore/key_file.h"
#include "core/model/model_catalog.h"
#include "core/vsa/key_family.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

namespace mimo::cli {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> evalInterrupted{false};

} // namespace

std::string defaultDataFor(const ModelInfo& model)
{
    if (model.family() == ModelFamily::Former && model.former().inputKind == "pixels")
        return "pixels:fashion-mnist:test";
    if (model.family() == ModelFamily::Former)
        throw UsageError("--data SPEC is required for a sequence model (e.g. listops:FILE.tsv, text:FILE.tsv)");
    return "fashion-mnist:test";
}

KeyChoice keyChoiceFromText(const std::string& text)
{
    KeyChoice keys;
    if (text == "trained")
        return keys;
    const auto colon = text.find(':');
    const auto family = parseKeyFamily(text.substr(0, colon));
    if (!family)
        throw UsageError("--keys must be trained or FAMILY[:SEED] with FAMILY one of gaussian, sphere, bipolar, "
                         "orthogonal, unitary, torch-uniform (not '" + text + "')");
    keys.kind = KeyChoice::Kind::Family;
    keys.family = *family;
    if (colon != std::string::npos) {
        const auto seed = parseWholeNumber<uint64_t>(text.substr(colon + 1));
        if (!seed)
            throw UsageError("--keys " + text + ": the seed after ':' must be a whole number of 0 or more");
        keys.seed = *seed;
    }
    return keys;
}

namespace {

std::string readText(const std::string& path)
{
    refuseSpecialFile(path, uint64_t(16) << 20, "batch config");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw DataError(path, "cannot be read (missing or not readable)");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The batch of --config, or the one the flags describe (`singleModel`: one model from flags).
BatchConfig batchFromOptions(const EvalOptions& options, bool& singleModel)
{
    if (!options.configFile.empty()) {
        const std::string& path = options.configFile;
        singleModel = false;
        return batchConfigFromJson(readText(path), path, fs::path(path).parent_path().string());
    }
    BatchConfig config = options.batch;
    config.models.erase(std::remove(config.models.begin(), config.models.end(), std::string()), config.models.end());
    if (config.models.empty())
        throw UsageError("--model FILE[,FILE...] or --config FILE is required");
    singleModel = config.models.size() == 1;
    // One model gets the CLI's defaults and checks up front; a batch leaves each model its own
    // test split, and a model that cannot be read fails alone.
    const std::optional<ModelListing> listing =
        singleModel ? std::optional<ModelListing>(readModelListing(config.models.front())) : std::nullopt;
    if (config.dataset.empty() && listing)
        config.dataset = defaultDataFor(*listing);
    if (listing && config.batchStatisticsBn && listing->family() != ModelFamily::Conv)
        throw UsageError("--bn applies to MIMOConv models (a MIMOFormer has layer norms)");
    if (!options.keyFile.empty())
        config.keys = readKeyFile(options.keyFile);
    config.skipUnservedN = !singleModel; // one model: an N it cannot serve is a mistake worth naming
    return config;
}

nlohmann::json groupsJson(const EvalRow& row)
{
    nlohmann::json groups = nlohmann::json::array();
    for (const auto& group : row.perGroup)
        groups.push_back({{"group", group.group},
                          {"count", group.count},
                          {"correct", group.correct},
                          {"accuracy", group.count ? double(group.correct) / double(group.count) : 0.0}});
    return groups;
}

nlohmann::json singleModelJson(const BatchResult& result)
{
    const auto& model = result.models.front();
    nlohmann::json out{{"model", model.path},
                       {"data", model.dataset},
                       {"device", model.report.device},
                       {"bn", result.config.batchStatisticsBn ? "batch" : "running"},
                       {"keys", result.config.keys.describe()},
                       {"cancelled", result.cancelled},
                       {"ranks", model.report.ranks},
                       {"precision", precisionName(result.config.precision)},
                       {"channels_last", result.config.channelsLast},
                       {"other_processes_cores", model.report.otherProcessesCores},
                       {"speed_caution", speedCaution(model.report)},
                       {"unreadable", nlohmann::json::array()},
                       {"results", nlohmann::json::array()}};
    for (const auto& item : model.report.unreadable.items())
        out["unreadable"].push_back({{"index", item.index}, {"file", item.file}, {"reason", item.reason}});
    for (const auto& row : model.report.rows)
        out["results"].push_back({{"n", row.n},
                                  {"accuracy", row.accuracy},
                                  {"ci95", {row.ciLow, row.ciHigh}},
                                  {"correct", row.correct},
                                  {"count", row.count},
                                  {"inputs_per_second", row.inputsPerSecond},
                                  {"inputs_per_second_range", {row.inputsPerSecondLow, row.inputsPerSecondHigh}},
                                  {"speedup", row.speedup},
                                  {"speedup_range", {row.speedupLow, row.speedupHigh}},
                                  {"rounds", row.rounds},
                                  {"per_class_accuracy", row.perClassAccuracy},
                                  {"per_group", groupsJson(row)}});
    if (!model.report.groupKind.empty())
        out["group_kind"] = model.report.groupKind;
    return out;
}

// Accuracy per group (ListOps: per tree depth), a row per group and a column per N.
void printGroups(const EvalReport& report)
{
    if (report.groupKind.empty() || report.rows.empty())
        return;
    std::printf("accuracy by %s\n%10s %8s", report.groupKind.c_str(), report.groupKind.c_str(), "count");
    for (const auto& row : report.rows)
        std::printf(" %9s", ("N=" + std::to_string(row.n)).c_str());
    std::printf("\n");
    for (size_t g = 0; g < report.rows.front().perGroup.size(); ++g) {
        const GroupAccuracy& first = report.rows.front().perGroup[g];
        std::printf("%10d %8zu", first.group, first.count);
        for (const auto& row : report.rows) {
            const GroupAccuracy& group = g < row.perGroup.size() ? row.perGroup[g] : first;
            std::printf(" %8.2f%%", group.count ? 100.0 * double(group.correct) / double(group.count) : 0.0);
        }
        std::printf("\n");
    }
}

// "fp32", "bf16 mixed precision, channels-last".
std::string arithmetic(const BatchConfig& config)
{
    return precisionName(config.precision) + (config.precision == Precision::Fp32 ? "" : " mixed precision") +
           (config.channelsLast ? ", channels-last" : "");
}

void printTables(const BatchResult& result)
{
    const std::string bn = result.config.batchStatisticsBn ? "batch" : "running";
    for (const auto& model : result.models) {
        if (!model.error.empty())
            continue;
        std::printf("%s on %s (%s, %s, %s batch norm, %s)%s\n", model.path.c_str(), model.dataset.c_str(),
                    model.report.device.c_str(), arithmetic(result.config).c_str(), bn.c_str(),
                    result.config.keys.describe().c_str(),
                    model.report.cancelled ? ", CANCELLED: partial results" : "");
        std::printf("%4s %10s %19s %8s %12s %9s %17s\n", "N", "accuracy", "95% interval", "count", "inputs/s", "speedup",
                    "rounds min-max");
        for (const auto& row : model.report.rows)
            std::printf("%4d %9.2f%% %8.2f%% - %6.2f%% %8zu %12.1f %8.2fx %6.2fx - %6.2fx\n", row.n,
                        100.0 * row.accuracy, 100.0 * row.ciLow, 100.0 * row.ciHigh, row.count, row.inputsPerSecond,
                        row.speedup, row.speedupLow, row.speedupHigh);
        if (const std::string caution = speedCaution(model.report); !caution.empty())
            std::printf("  Caution: %s\n", caution.c_str());
        if (model.report.ranks > 1)
            std::printf("  Counted over %d ranks, each on every %d-th batch; inputs/s and speedup: rank 0's batches.\n",
                        model.report.ranks, model.report.ranks);
        printGroups(model.report);
        for (int n : model.skippedNs)
            std::printf("  N=%d skipped: this model does not serve it\n", n);
        if (!model.report.unreadable.empty())
            std::printf("  %s (left out of every count)\n", unreadableReport(model.report.unreadable).c_str());
    }
}

} // namespace

int runEval(const EvalOptions& options)
{
    bool singleModel = true;
    BatchConfig config = batchFromOptions(options, singleModel);
    const DistributedSettings distributed = resolveDistributed(options.distributed);
    // One rank of a sharded evaluation: the counts are the group's, rank 0 prints and writes them.
    std::unique_ptr<ProcessGroup> group;
    if (distributed.active()) {
        config.device = rankDeviceName(distributed, config.device);
        group = std::make_unique<ProcessGroup>(distributed, config.device);
        config.shards = group.get();
    }
    const bool speaks = !group || group->rank() == 0;
    const bool json = options.json;
    const std::string out = speaks ? options.out : std::string();
    if (!out.empty())
        prepareOutputFolder(out); // before the run, so a bad folder costs nothing
    std::signal(SIGINT, [](int) { evalInterrupted = true; });
    std::signal(SIGTERM, [](int) { evalInterrupted = true; }); // mimo launch passes Ctrl-C on as TERM
    const BatchResult result =
        runBatch(config, json || !speaks ? BatchProgress() : consoleProgress(stderr), &evalInterrupted);
    if (!json && speaks)
        endConsoleProgress(stderr);
    const std::string who = speaks ? "mimo eval" : "mimo eval (rank " + std::to_string(group->rank()) + ")";
    int failed = 0;
    for (const auto& model : result.models)
        if (!model.error.empty()) {
            std::fprintf(stderr, "%s: %s\n", who.c_str(), model.error.c_str());
            ++failed;
        }
    if (!speaks) // the other ranks' figures are rank 0's to print; their own failures are theirs
        return result.cancelled ? 130 : (failed ? 1 : 0);
    if (json)
        printJson(singleModel && result.models.size() == 1 && result.models.front().error.empty()
                      ? singleModelJson(result)
                      : nlohmann::json::parse(batchResultToJson(result)));
    else
        printTables(result);
    if (!out.empty()) {
        try { // the results are printed already: a write failure loses nothing shown
            writeBatchOutputs(out, result);
            if (!json && result.hasRows())
                std::fprintf(stderr, "wrote %s/results.csv, results.json, config.json; the curves: "
                                     "mimo-explorer --plot %s/results.json --out %s\n",
                             out.c_str(), out.c_str(), out.c_str());
        } catch (const Error& error) {
            std::fprintf(stderr, "mimo eval: %s\n", mimo::userErrorText(error).c_str());
            ++failed;
        }
    }
    if (result.cancelled)
        return 130;
    return failed ? 1 : 0;
}

} // namespace mimo::cli
