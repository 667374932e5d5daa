// `mimo keys` and `mimo vsa-interference`: the binding layer from the command line.
#include "cli/commands.h"
#include "cli/json_output.h"
#include "core/errors.h"
#include "core/vsa/interference_sweep.h"

#include <cmath>
#include <cstdio>
#include <iostream>

namespace mimo::cli {

int runKeys(const KeysOptions& options)
{
    const KeyFamily family = options.family;
    const int64_t count = options.count, dim = options.dim;
    const uint64_t seed = options.seed;
    const vsa::KeyMatrix keys = vsa::generateKeyMatrix(family, count, dim, seed);
    const std::vector<double> similarity = vsa::keySimilarityValues(keys);
    std::vector<double> norms;
    for (int64_t i = 0; i < count; ++i) {
        double squares = 0.0;
        for (int64_t j = 0; j < dim; ++j)
            squares += double(keys.values[size_t(i * dim + j)]) * double(keys.values[size_t(i * dim + j)]);
        norms.push_back(std::sqrt(squares));
    }

    if (options.json) {
        nlohmann::json out{{"family", keyFamilyName(family)}, {"count", count}, {"dim", dim}, {"seed", seed},
                           {"norms", norms}};
        for (int64_t i = 0; i < count; ++i) {
            out["similarity"].push_back(std::vector<double>(similarity.begin() + i * count,
                                                            similarity.begin() + (i + 1) * count));
            out["keys"].push_back(std::vector<float>(keys.values.begin() + i * dim, keys.values.begin() + (i + 1) * dim));
        }
        printJson(out);
        return 0;
    }
    std::cout << count << " " << keyFamilyDescription(family) << " keys, D=" << dim << ", seed " << seed << "\n";
    std::cout << "norms:";
    for (double norm : norms)
        std::cout << ' ' << formatNumber(norm, 4);
    std::cout << "\ncosine similarity:\n";
    for (int64_t i = 0; i < count; ++i) {
        for (int64_t j = 0; j < count; ++j)
            std::printf("%8.4f", similarity[size_t(i * count + j)]);
        std::printf("\n");
    }
    return 0;
}

int runVsaInterference(VsaInterferenceOptions options)
{
    vsa::SweepConfig& config = options.sweep;
    config.family = options.family.value_or(config.binding == BindingKind::MAP ? KeyFamily::Bipolar : KeyFamily::Sphere);
    const auto rows = vsa::interferenceSweep(config);

    if (options.json) {
        nlohmann::json out{{"binding", bindingName(config.binding)}, {"unbinding", unbindingName(config.unbinding)},
                           {"family", keyFamilyName(config.family)}, {"dim", config.dim},
                           {"trials", config.trials}, {"rows", nlohmann::json::array()}};
        for (const auto& row : rows)
            out["rows"].push_back(nlohmann::json{{"n", row.n},
                                                 {"cosine", jsonNumber(row.cosine)},
                                                 {"cosine_sd", jsonNumber(row.cosineSd)},
                                                 {"snr_db", jsonNumber(row.snrDb)},
                                                 {"theory_cosine", jsonNumber(row.theoryCosine)},
                                                 {"theory_snr_db", jsonNumber(row.theorySnrDb)}});
        printJson(out);
        return 0;
    }
    std::printf("%s binding, %s unbinding, %s keys, D=%lld, %lld trials, Gaussian inputs\n"
                "%4s %12s %10s %12s %12s\n",
                bindingName(config.binding).c_str(), unbindingName(config.unbinding).c_str(),
                keyFamilyName(config.family).c_str(), static_cast<long long>(config.dim),
                static_cast<long long>(config.trials), "N", "cosine", "(theory)", "SNR dB", "(theory)");
    for (const auto& row : rows)
        std::printf("%4lld %7s±%-4s %10s %12s %12s\n", static_cast<long long>(row.n),
                    formatNumber(row.cosine, 4).c_str(), formatNumber(row.cosineSd, 2).c_str(),
                    formatNumber(row.theoryCosine, 4).c_str(), formatNumber(row.snrDb, 2).c_str(),
                    formatNumber(row.theorySnrDb, 2).c_str());
    return 0;
}

} // namespace mimo::cli
