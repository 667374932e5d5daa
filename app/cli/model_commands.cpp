// `mimo bench`: throughput per N of an architecture or a model file.
#include "cli/commands.h"
#include "cli/json_output.h"
#include "core/data/dataset_spec.h"
#include "core/errors.h"
#include "core/explore/explorer_inputs.h"
#include "core/eval/benchmark.h"
#include "core/eval/evaluation.h"
#include "core/eval/prediction.h"
#include "core/model/model_catalog.h"
#include "core/model/sequence_input.h"

#include <algorithm>
#include <atomic>
#include <filesystem>

#include <cstdio>
#include <iostream>

namespace mimo::cli {
namespace {

nlohmann::json stageJson(const BenchRow& row)
{
    nlohmann::json stages = nlohmann::json::array();
    for (const auto& [stage, seconds] : row.stageSeconds)
        stages.push_back({{"stage", stage}, {"seconds_per_batch", seconds}});
    return stages;
}

// One column per N: milliseconds per batch and share of the pass for every stage.
void printBreakdown(const BenchReport& report)
{
    std::vector<std::string> stages;
    for (const auto& row : report.rows)
        for (const auto& [stage, seconds] : row.stageSeconds)
            if (std::find(stages.begin(), stages.end(), stage) == stages.end())
                stages.push_back(stage);
    std::printf("\nwhere the time goes (median ms per batch, share; stages synchronised, separate rounds)\n%-30s",
                "stage");
    for (const auto& row : report.rows)
        std::printf(" %18s", row.label.c_str());
    std::printf("\n");
    for (const auto& stage : stages) {
        std::printf("%-30s", stage.c_str());
        for (const auto& row : report.rows) {
            double total = 0, mine = 0;
            for (const auto& [name, seconds] : row.stageSeconds) {
                total += seconds;
                if (name == stage)
                    mine = seconds;
            }
            std::printf(" %10.2f (%4.1f%%)", 1000.0 * mine, total > 0 ? 100.0 * mine / total : 0.0);
        }
        std::printf("\n");
    }
}

} // namespace

int runBench(const BenchOptions& options)
{
    const BenchConfig& bench = options.bench;
    const bool json = options.json;
    const auto progress = [json](const std::string& line) {
        if (!json)
            std::fprintf(stderr, "\r%s", line.c_str());
    };

    BenchReport report;
    switch (options.target) {
    case BenchOptions::Target::AttentionCore:
        report = benchmarkAttentionCore(options.grids, bench.length > 0 ? bench.length : 1024, options.former.heads,
                                        options.former.headDim, options.former.features, bench, progress);
        break;
    case BenchOptions::Target::ModelFile:
        report = benchmarkModelFile(options.model, bench, progress);
        break;
    case BenchOptions::Target::FormerArchitecture:
        options.former.validate();
        report = benchmarkArchitecture(options.former, bench, progress);
        break;
    case BenchOptions::Target::ConvArchitecture:
        options.conv.validate();
        report = benchmarkArchitecture(options.conv, bench, progress);
        break;
    }
    if (!json)
        std::fprintf(stderr, "\n");

    if (json) {
        nlohmann::json out{{"model", report.model},
                           {"device", report.device},
                           {"precision", report.precision},
                           {"channels_last", report.channelsLast},
                           {"threads", report.threads},
                           {"parameters", report.parameters},
                           {"batch", bench.batch},
                           {"rounds", bench.rounds},
                           {"results", nlohmann::json::array()}};
        for (const auto& row : report.rows)
            out["results"].push_back({{"n", row.n},
                                      {"label", row.label},
                                      {"inputs_per_second", row.inputsPerSecond},
                                      {"median_seconds_per_batch", row.medianSeconds},
                                      {"speedup", row.speedup},
                                      {"speedup_range", {row.speedupLow, row.speedupHigh}},
                                      {"round_seconds", row.roundSeconds},
                                      {"stage_seconds", stageJson(row)}});
        printJson(out);
        return 0;
    }
    std::printf("%s\n%lld parameters, device %s, %s%s, %d thread(s), batch %d, %d rounds interleaved\n",
                report.model.c_str(), static_cast<long long>(report.parameters), report.device.c_str(),
                report.precision.c_str(), report.channelsLast ? " channels-last" : "", report.threads, bench.batch,
                bench.rounds);
    std::printf("%4s %-12s %14s %14s %9s %17s\n", "N", "computed as", "inputs/s", "s/batch", "speedup",
                "rounds min-max");
    for (const auto& row : report.rows)
        std::printf("%4d %-12s %14.1f %14.4f %8.2fx %6.2fx - %6.2fx\n", row.n, row.label.c_str(), row.inputsPerSecond,
                    row.medianSeconds, row.speedup, row.speedupLow, row.speedupHigh);
    if (bench.breakdown)
        printBreakdown(report);
    return 0;
}

namespace {

// The dataset a model was made for, when the user names none.
std::string executableDirectory()
{
    std::error_code error;
    const auto self = std::filesystem::read_symlink("/proc/self/exe", error);
    return error ? std::string() : self.parent_path().string();
}

std::string nList(const std::vector<int>& ns)
{
    std::string text;
    for (int n : ns)
        text += (text.empty() ? "" : ",") + std::to_string(n);
    return text;
}

nlohmann::json listingJson(const ModelListing& model)
{
    nlohmann::json accuracy = nlohmann::json::object();
    for (const auto& [n, value] : model.card.testAccuracy)
        accuracy[std::to_string(n)] = value;
    return {{"name", model.card.name},
            {"file", model.path},
            {"family", model.family() == ModelFamily::Conv ? "mimoconv" : "mimoformer"},
            {"architecture", model.describe()},
            {"input", model.inputDescription()},
            {"dataset", model.card.dataset},
            {"supported_n", model.supportedN()},
            {"test_accuracy", accuracy},
            {"classes", model.card.classNames},
            {"training_command", model.card.trainingCommand},
            {"seed", model.card.seed},
            {"training_seconds", model.card.trainingSeconds},
            {"project_version", model.card.projectVersion}};
}

std::string accuracyText(const ModelCard& card)
{
    std::string text;
    for (const auto& [n, value] : card.testAccuracy)
        text += (text.empty() ? "" : ", ") + std::string("N=") + std::to_string(n) + " " + formatNumber(100.0 * value, 2) + "%";
    return text.empty() ? "not measured" : text;
}

} // namespace

int runListModels(const ListModelsOptions& options)
{
    std::vector<std::string> dirs = options.dir ? std::vector<std::string>{*options.dir}
                                                : bundledModelDirectories(executableDirectory());
    std::vector<std::string> problems;
    const auto models = listModels(dirs, &problems);
    if (options.json) {
        nlohmann::json out{{"directories", dirs}, {"models", nlohmann::json::array()}, {"problems", problems}};
        for (const auto& model : models)
            out["models"].push_back(listingJson(model));
        printJson(out);
        return 0;
    }
    if (dirs.empty())
        std::cout << "no model folder found (set MIMO_MODELS_DIR or pass --dir)\n";
    for (const auto& model : models)
        std::cout << model.card.name << "\n  file: " << model.path << "\n  architecture: " << model.describe()
                  << "\n  input: " << model.inputDescription() << "\n  dataset: " << model.card.dataset
                  << "\n  supported N: " << nList(model.supportedN())
                  << "\n  test accuracy: " << accuracyText(model.card) << "\n";
    if (models.empty() && !dirs.empty())
        std::cout << "no models in " << dirs.front() << "\n";
    for (const auto& problem : problems)
        std::cerr << "skipped: " << problem << "\n";
    return 0;
}

int runInfo(const InfoOptions& options)
{
    const auto model = readModelListing(options.model);
    if (options.json) {
        auto out = listingJson(model);
        out["evaluation"] = model.card.evaluation;
        out["notes"] = model.card.notes;
        if (model.family() == ModelFamily::Conv)
            out["input_spec"] = {{"channels", model.conv().input.channels},
                                 {"height", model.conv().input.height},
                                 {"width", model.conv().input.width},
                                 {"mean", model.conv().input.mean},
                                 {"std", model.conv().input.stddev}};
        else
            out["input_spec"] = {{"kind", model.former().inputKind},
                                 {"max_length", model.former().maxLength},
                                 {"vocabulary_size", model.former().vocabularySize},
                                 {"image_height", model.former().imageHeight},
                                 {"image_width", model.former().imageWidth},
                                 {"trained_grid", {model.former().gridM, model.former().gridN}}};
        printJson(out);
        return 0;
    }
    std::cout << toMarkdown(model.card, model.describe());
    return 0;
}

int runPredict(const PredictOptions& options)
{
    const std::string& modelPath = options.model;
    const auto listing = readModelListing(modelPath);
    PredictionRequest request;
    request.modelPath = modelPath;
    request.n = options.n.value_or(listing.largestN());
    request.topK = options.top;
    request.device = options.device;
    for (const auto& input : options.inputs) {
        if (listing.takesImages()) {
            request.images.push_back(prepareImageFile(input, listing.conv().input));
        } else {
            // A file if one exists by that name, else the sequence itself (an expression, a text).
            std::error_code error;
            request.sequences.push_back(std::filesystem::is_regular_file(input, error)
                                            ? sequenceFromFile(listing.former(), input)
                                            : sequenceFromText(listing.former(), input, "argument '" + input + "'"));
        }
        request.sources.push_back(input);
    }
    const auto slots = listing.takesImages() ? predictImages(request) : predictSequences(request);
    if (options.json) {
        nlohmann::json out{{"model", modelPath}, {"n", request.n}, {"slots", nlohmann::json::array()}};
        const auto scores = [](const std::vector<ClassScore>& list) {
            nlohmann::json array = nlohmann::json::array();
            for (const auto& s : list)
                array.push_back({{"class", s.index}, {"name", s.name}, {"probability", s.probability}});
            return array;
        };
        for (const auto& slot : slots)
            out["slots"].push_back({{"source", slot.source},
                                    {"superposed", scores(slot.superposed)},
                                    {"alone", scores(slot.alone)},
                                    {"disagree", slot.disagree}});
        printJson(out);
        return 0;
    }
    std::printf("%s, N=%d (%zu inputs in %zu superposition(s))\n", modelPath.c_str(), request.n, slots.size(),
                slots.size() / size_t(request.n));
    for (const auto& slot : slots) {
        std::printf("%s%s\n  superposed:", slot.source.c_str(), slot.disagree ? "   <- differs from alone" : "");
        for (const auto& s : slot.superposed)
            std::printf("  %s %.1f%%", s.name.c_str(), 100.0 * s.probability);
        std::printf("\n  alone:     ");
        for (const auto& s : slot.alone)
            std::printf("  %s %.1f%%", s.name.c_str(), 100.0 * s.probability);
        std::printf("\n");
    }
    return 0;
}

} // namespace mimo::cli
