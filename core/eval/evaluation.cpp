#include "core/eval/evaluation.h"

#include "core/eval/conv_evaluation.h"
#include "core/eval/former_evaluation.h"
#include "core/model/model_file.h"

#include "core/cpu_load.h"

#include <cstdio>

namespace mimo {

EvalReport evaluateModelFile(const std::string& modelPath, const DatasetPtr& data, const EvalConfig& config,
                             EvalProgress progress, const std::atomic<bool>* cancel)
{
    auto loaded = loadModel(modelPath, config.device);
    auto report = loaded.isConv() ? evaluateConv(loaded.conv(), *data, config, std::move(progress), cancel)
                                  : evaluateFormer(loaded.former(), *data, config, std::move(progress), cancel);
    report.model = modelPath;
    return report;
}

namespace {

std::string oneDecimal(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", value);
    return text;
}

} // namespace

std::string speedCaution(const EvalReport& report)
{
    // Rounds differing by more than this relative width make a speedup a guess, not a figure.
    constexpr double kWideSpread = 0.3;
    constexpr int kFewRounds = 3;
    std::string caution;
    const auto add = [&caution](const std::string& sentence) { caution += (caution.empty() ? "" : " ") + sentence; };
    if (report.rows.size() > 1) {
        const int rounds = report.rows.front().rounds;
        if (rounds > 0 && rounds < kFewRounds)
            add("Only " + std::to_string(rounds) + (rounds == 1 ? " round" : " rounds") +
                " timed: too few to tell a speedup from noise.");
        for (const auto& row : report.rows)
            if (row.speedup > 0 && (row.speedupHigh - row.speedupLow) / row.speedup > kWideSpread) {
                add("The speedup of N=" + std::to_string(row.n) + " varied from " + oneDecimal(row.speedupLow) +
                    "x to " + oneDecimal(row.speedupHigh) + "x between rounds.");
                break;
            }
    }
    if (report.otherProcessesCores >= kBusyMachineCores)
        add("Other programs kept " + oneDecimal(report.otherProcessesCores) +
            " cores busy meanwhile: speeds are lower and noisier than on an idle machine.");
    return caution;
}

} // namespace mimo
