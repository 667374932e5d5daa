// `mimo interference`: the query-key interference of a MIMOFormer superposition against its bound.
#include "cli/commands.h"
#include "cli/json_output.h"
#include "core/eval/former_interference.h"

#include <cstdio>

namespace mimo::cli {

int runInterference(const InterferenceOptions& options)
{
    const auto report = measureInterference(options.request);

    if (options.json) {
        nlohmann::json out{{"model", report.model}, {"data", report.data},     {"grid_m", report.gridM},
                           {"grid_n", report.gridN}, {"head_dim", report.headDim}, {"groups", report.groups},
                           {"bound", report.bound},  {"heads", nlohmann::json::array()},
                           {"unreadable", nlohmann::json::array()}};
        for (const auto& item : report.unreadable.items())
            out["unreadable"].push_back({{"index", item.index}, {"file", item.file}, {"reason", item.reason}});
        for (const auto& h : report.heads)
            out["heads"].push_back({{"layer", h.layer},
                                    {"head", h.head},
                                    {"pairs", h.pairs},
                                    {"cross_terms", h.terms},
                                    {"signal_rms", jsonNumber(h.signalRms)},
                                    {"interference_rms", jsonNumber(h.interferenceRms)},
                                    {"mean_squared_interference", jsonNumber(h.meanSquaredInterference)},
                                    {"predicted_mean_squared", jsonNumber(h.predictedMeanSquared)},
                                    {"relative_rms", jsonNumber(h.relativeRms)},
                                    {"predicted_relative_rms", jsonNumber(h.predictedRelativeRms)},
                                    {"largest_term_z", jsonNumber(h.largestTermZ)},
                                    {"thresholds", h.thresholds},
                                    {"term_tail", h.termTail},
                                    {"term_bound", h.termBound},
                                    {"total_tail", h.totalTail},
                                    {"total_bound", h.totalBound},
                                    {"coordinate_tail", h.coordinateTail}});
        printJson(out);
        return 0;
    }
    std::printf("%s on %s: M=%d x N=%d, head dimension %d, %zu group(s)\n%s\n", report.model.c_str(),
                report.data.c_str(), report.gridM, report.gridN, report.headDim, report.groups, report.bound.c_str());
    std::printf("%5s %4s %8s %10s %10s %10s %10s %10s | P(|X|/sigma>=t) and P(|I|/|b|>=t) measured (bound), t=1..4\n", "layer", "head",
                "pairs", "signal", "interf.", "E[I^2]/", "rel. rms", "predicted");
    std::printf("%5s %4s %8s %10s %10s %10s %10s %10s |\n", "", "", "", "rms", "rms", "predicted", "", "");
    for (const auto& h : report.heads) {
        std::printf("%5d %4d %8zu %10.4g %10.4g %10.3f %10.4f %10.4f |", h.layer, h.head, h.pairs, h.signalRms,
                    h.interferenceRms, h.predictedMeanSquared > 0 ? h.meanSquaredInterference / h.predictedMeanSquared : 0.0,
                    h.relativeRms, h.predictedRelativeRms);
        for (size_t t = 0; t < h.thresholds.size(); ++t)
            std::printf(" %.4f/%.4f (%.4f)", h.termTail[t], h.coordinateTail[t], h.termBound[t]);
        std::printf("\n");
    }
    if (!report.unreadable.empty())
        std::printf("%s (the groups take the next readable items)\n", unreadableReport(report.unreadable).c_str());
    std::printf("derivation and caveats: docs/mimoformer-interference.md\n");
    return 0;
}

} // namespace mimo::cli
