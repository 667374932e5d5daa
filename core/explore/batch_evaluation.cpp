#include "core/explore/batch_evaluation.h"

#include "core/data/dataset_spec.h"
#include "core/errors.h"
#include "core/group_error.h"
#include "core/eval/conv_evaluation.h"
#include "core/eval/former_evaluation.h"
#include "core/eval/time_left.h"
#include "core/explore/explorer_inputs.h"
#include "core/explore/json_forms.h"
#include "core/explore/key_application.h"
#include "core/explore/sample_sources.h"
#include "core/model/device.h"
#include "core/model/model_file.h"

#include <torch/torch.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <ctime>
#include <exception>
#include <filesystem>
#include <optional>
#include <memory>
#include <new>
#include <sstream>
#include <fcntl.h>
#include <unistd.h>

namespace mimo {
namespace {

namespace fs = std::filesystem;

std::string utcNow()
{
    const std::time_t now = std::time(nullptr);
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
    return text;
}

std::string servedList(const ModelInfo& info)
{
    std::string list;
    for (int n : info.supportedN())
        list += (list.empty() ? "" : ", ") + std::to_string(n);
    return list;
}

// The model's own error messages name the dataset or the architecture; a batch names the file.
std::string namingFile(const std::string& path, const std::string& message)
{
    return message.find(path) != std::string::npos ? message : path + ": " + message;
}

std::string formatSeconds(double seconds)
{
    const long s = std::lround(seconds);
    char text[32];
    if (s >= 3600)
        std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    else
        std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
    return text;
}

std::string csvField(const std::string& text)
{
    if (text.find_first_of(",\"\n\r") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char ch : text)
        quoted += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    return quoted + "\"";
}

std::string number(double value, int precision = 6)
{
    std::ostringstream out;
    out.precision(precision);
    out << value;
    return out.str();
}

// A model ready to evaluate: loaded, its data open, its keys and settings chosen.
struct PreparedModel {
    std::optional<LoadedModel> loaded;
    DatasetPtr data;
    KeyOverride keys;
    EvalConfig eval;
};

// Loads and opens; everything that fails throws, naming the file.
PreparedModel prepareOne(const BatchConfig& config, BatchModelResult& entry)
{
    PreparedModel prepared;
    prepared.loaded = loadModel(entry.path, config.device);
    LoadedModel& loaded = *prepared.loaded;
    const ModelInfo& info = loaded.info;
    if (!info.card.name.empty())
        entry.name = info.card.name;
    EvalConfig& eval = prepared.eval;
    eval.ns.clear();
    for (int n : config.ns.empty() ? info.supportedN() : config.ns)
        (info.supportsN(n) || !config.skipUnservedN ? eval.ns : entry.skippedNs).push_back(n);
    if (eval.ns.empty())
        throw Error(entry.path + ": serves none of the N asked for (it serves " + servedList(info) + ")");
    entry.dataset = config.dataset.empty() ? defaultSampleDataset(info, "") : config.dataset;
    if (entry.dataset.empty())
        throw Error(entry.path + ": no test split is known for this model; choose a dataset");
    prepared.data = openDataset(entry.dataset, dataOptionsForModel(info, config.dataDir));
    entry.classNames = prepared.data->classNames();
    if (isHrrConv(info) || isMimoFormer(info))
        prepared.keys = keyOverride(loaded, config.keys);
    else if (config.keys.kind != KeyChoice::Kind::Trained && info.isConv() && info.conv().capacity > 1)
        throw Error(entry.path + ": its keys cannot be replaced (only HRR MIMOConv and MIMOFormer keys can)");
    eval.batch = config.batch;
    eval.limit = config.limit;
    eval.batchStatisticsBn = config.batchStatisticsBn && loaded.isConv();
    eval.device = resolveDeviceName(config.device);
    eval.shards = config.shards;
    eval.precision = config.precision;
    eval.channelsLast = config.channelsLast;
    return prepared;
}

// Whether any rank of the group is to stop: a decision every rank takes alike.
bool anyRank(EvalShards* shards, bool mine)
{
    if (!shards || shards->size() < 2)
        return mine;
    std::vector<int64_t> flag{mine ? 1 : 0};
    shards->max(flag);
    return flag.front() > 0;
}

// Loads, applies the keys, evaluates; everything that fails throws, naming the file. In a group
// the ranks first agree that every one of them could load the model and open its data (a file
// missing on one machine), so that none evaluates while another has gone on to the next model.
void evaluateOne(const BatchConfig& config, BatchModelResult& entry, const EvalProgress& progress,
                 const std::atomic<bool>* cancel)
{
    PreparedModel prepared;
    std::exception_ptr failure;
    try {
        prepared = prepareOne(config, entry);
    } catch (...) {
        if (!config.shards)
            throw;
        failure = std::current_exception();
    }
    if (anyRank(config.shards, bool(failure))) {
        if (failure)
            std::rethrow_exception(failure);
        throw Error(entry.path + ": another rank of the group could not load this model or open its data (its own "
                                 "message says why)");
    }
    LoadedModel& loaded = *prepared.loaded;
    torch::NoGradGuard noGrad;
    if (loaded.isConv()) {
        ConvForwardOptions forward;
        prepared.keys.applyTo(forward);
        entry.report = evaluateConv(loaded.conv(), *prepared.data, prepared.eval, forward, progress, cancel);
    } else {
        FormerForwardOptions forward;
        prepared.keys.applyTo(forward);
        entry.report = evaluateFormer(loaded.former(), *prepared.data, prepared.eval, forward, progress, cancel);
    }
    entry.report.model = entry.path;
}

} // namespace

bool BatchConfig::operator==(const BatchConfig& other) const
{
    return models == other.models && dataset == other.dataset && dataDir == other.dataDir && ns == other.ns &&
           keys == other.keys && batchStatisticsBn == other.batchStatisticsBn && batch == other.batch &&
           device == other.device && precision == other.precision && channelsLast == other.channelsLast &&
           limit == other.limit;
}

bool BatchResult::hasRows() const
{
    for (const auto& model : models)
        if (!model.report.rows.empty())
            return true;
    return false;
}

void validateBatchConfig(const BatchConfig& config)
{
    if (config.models.empty())
        throw Error("a batch evaluation needs at least one model");
    for (const auto& model : config.models)
        if (model.empty())
            throw Error("a batch evaluation lists a model without a file name");
    if (config.batch < 1)
        throw Error("the batch size must be at least 1 (not " + std::to_string(config.batch) + ")");
    for (int n : config.ns)
        if (n < 1)
            throw Error("N must be at least 1 (not " + std::to_string(n) + ")");
    resolveDeviceName(config.device); // throws for an unknown device or CUDA where there is none
    checkPrecisionOn(config.precision, config.device);
}

BatchResult runBatch(const BatchConfig& config, BatchProgress progress, const std::atomic<bool>* cancel)
{
    validateBatchConfig(config);
    BatchResult result;
    result.config = config;
    result.startedAt = utcNow();
    const auto start = std::chrono::steady_clock::now();
    const auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    const double models = double(config.models.size());
    TimeLeft timeLeft;
    for (std::size_t m = 0; m < config.models.size(); ++m) {
        if (anyRank(config.shards, cancel && cancel->load())) // a group stops together
            break;
        result.models.emplace_back();
        BatchModelResult& entry = result.models.back();
        entry.path = config.models[m];
        entry.name = fs::path(entry.path).filename().string();
        const std::size_t modelsAfter = config.models.size() - m - 1;
        timeLeft.modelStarted(elapsed());
        const auto report = [&](const EvalReport& partial, std::size_t done, std::size_t total) {
            if (!progress)
                return;
            entry.report.rows = partial.rows;
            entry.report.device = partial.device;
            entry.report.otherProcessesCores = partial.otherProcessesCores;
            entry.report.unreadable = partial.unreadable;
            const double fraction = (double(m) + double(done) / double(std::max<std::size_t>(total, 1))) / models;
            const std::string text = entry.name + ": " + std::to_string(done) + " of " + std::to_string(total) + " items";
            timeLeft.batchDone(elapsed(), done, total);
            result.secondsLeft = timeLeft.secondsLeft(modelsAfter);
            result.seconds = elapsed();
            progress(result, fraction, text);
        };
        try {
            evaluateOne(config, entry, report, cancel);
            // A cancel while the model loaded leaves rows that saw no item: not results.
            auto& rows = entry.report.rows;
            rows.erase(std::remove_if(rows.begin(), rows.end(), [](const EvalRow& row) { return row.count == 0; }),
                       rows.end());
        } catch (const DistributedError&) {
            throw; // the group is gone: no other model can be evaluated together
        } catch (const std::bad_alloc&) {
            entry.report.rows.clear();
            entry.error = namingFile(entry.path, "not enough memory to load or evaluate this model");
        } catch (const std::exception& error) {
            entry.report.rows.clear();
            entry.error = namingFile(entry.path, error.what());
        }
        result.seconds = elapsed();
        result.secondsLeft = modelsAfter ? timeLeft.secondsLeft(modelsAfter) : 0.0;
        if (progress)
            progress(result, double(m + 1) / models,
                     entry.error.empty() ? entry.name + ": done" : entry.name + ": failed");
    }
    result.cancelled = cancel && cancel->load();
    result.seconds = elapsed();
    return result;
}

BatchProgress consoleProgress(std::FILE* out)
{
    const bool terminal = ::isatty(::fileno(out));
    auto lastTenth = std::make_shared<int>(-1);
    return [out, terminal, lastTenth](const BatchResult& partial, double fraction, const std::string& message) {
        std::string text = message;
        if (partial.secondsLeft > 0.0 && fraction < 1.0)
            text += ", about " + formatSeconds(partial.secondsLeft) + " left";
        if (terminal) {
            std::fprintf(out, "\r%5.1f%%  %-72.72s", 100.0 * fraction, text.c_str());
        } else if (int(fraction * 10) != *lastTenth) {
            *lastTenth = int(fraction * 10);
            std::fprintf(out, "%5.1f%%  %s\n", 100.0 * fraction, text.c_str());
        }
        std::fflush(out);
    };
}

void endConsoleProgress(std::FILE* out)
{
    if (::isatty(::fileno(out)))
        std::fprintf(out, "\n");
}

BatchConfig batchConfigFromJson(const std::string& text, const std::string& source, const std::string& baseDir)
{
    nlohmann::json value;
    try {
        value = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& error) { // parse errors and numbers out of range alike
        throw DataError(source, std::string("not valid JSON (") + error.what() + ")");
    }
    return jsonforms::configFromJson(value, source, baseDir);
}

std::string batchConfigToJson(const BatchConfig& config) { return jsonforms::configToJson(config).dump(2) + "\n"; }

std::string batchResultToJson(const BatchResult& result) { return jsonforms::resultToJson(result).dump(2) + "\n"; }

BatchResult batchResultFromJson(const std::string& text, const std::string& source)
{
    nlohmann::json value;
    try {
        value = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception& error) { // parse errors and numbers out of range alike
        throw DataError(source, std::string("not valid JSON (") + error.what() + ")");
    }
    return jsonforms::resultFromJson(value, source);
}

std::string batchResultToCsv(const BatchResult& result)
{
    std::vector<std::string> classes; // the union, in first-seen order
    for (const auto& model : result.models)
        for (const auto& name : model.classNames)
            if (std::find(classes.begin(), classes.end(), name) == classes.end())
                classes.push_back(name);
    std::string out = "model,path,dataset,keys,bn,device,n,count,correct,accuracy,ci_low,ci_high,inputs_per_second,speedup,"
                      "cancelled,error";
    for (const auto& name : classes)
        out += "," + csvField("class:" + name);
    out += "\n";
    const std::string keys = csvField(result.config.keys.describe());
    const std::string bn = result.config.batchStatisticsBn ? "batch" : "running";
    for (const auto& model : result.models) {
        const std::string head = csvField(model.name) + "," + csvField(model.path) + "," + csvField(model.dataset) + "," +
                                 keys + "," + bn + "," + csvField(model.report.device) + ",";
        if (!model.error.empty() || model.report.rows.empty()) {
            out += head + ",,,,,,,," + (model.report.cancelled ? "1" : "0") + "," +
                   csvField(model.error.empty() ? "no results" : model.error);
            out += std::string(classes.size(), ',') + "\n";
            continue;
        }
        for (const auto& row : model.report.rows) {
            out += head + std::to_string(row.n) + "," + std::to_string(row.count) + "," + std::to_string(row.correct) + "," +
                   number(row.accuracy) + "," + number(row.ciLow) + "," + number(row.ciHigh) + "," +
                   number(row.inputsPerSecond) + "," + number(row.speedup) + "," + (model.report.cancelled ? "1" : "0") +
                   ",";
            for (const auto& name : classes) {
                const auto at = std::find(model.classNames.begin(), model.classNames.end(), name);
                const auto index = std::size_t(at - model.classNames.begin());
                out += ",";
                if (at != model.classNames.end() && index < row.perClassAccuracy.size())
                    out += number(row.perClassAccuracy[index]);
            }
            out += "\n";
        }
    }
    return out;
}

void prepareOutputFolder(const std::string& folder)
{
    std::error_code error;
    fs::create_directories(folder, error);
    if (error || !fs::is_directory(folder, error))
        throw DataError(folder, "cannot be used as the output folder (" +
                                    (error ? error.message() : std::string("not a folder")) + ")");
    std::string probe = (fs::path(folder) / ".write-test.XXXXXX").string();
    const int fd = ::mkstemp(probe.data());
    if (fd < 0)
        throw DataError(folder, "files cannot be written in it (" + std::string(std::strerror(errno)) + ")");
    ::close(fd);
    ::unlink(probe.c_str());
}

std::vector<std::string> writeBatchOutputs(const std::string& folder, const BatchResult& result)
{
    std::error_code error;
    fs::create_directories(folder, error);
    if (error)
        throw DataError(folder, "cannot create the output folder (" + error.message() + ")");
    const std::vector<std::pair<std::string, std::string>> files{{"results.csv", batchResultToCsv(result)},
                                                                 {"results.json", batchResultToJson(result)},
                                                                 {"config.json", batchConfigToJson(result.config)}};
    std::vector<std::string> written;
    for (const auto& [name, bytes] : files) {
        written.push_back((fs::path(folder) / name).string());
        writeFileAtomically(written.back(), bytes);
    }
    return written;
}

} // namespace mimo
