// `mimo keys` and `mimo vsa-interference`: the binding layer from the command line.
#include "cli/arguments.h"
#include "cli/commands.h"
#include "cli/json_output.h"
#include "core/errors.h"
#include "core/vsa/interference_sweep.h"

#include <cmath>
#include <cstdio>
#include <iostream>

namespace mimo::cli {
namespace {

KeyFamily familyOption(const Arguments& args, const std::string& fallback)
{
    const std::string name = args.text("family", fallback);
    if (auto family = parseKeyFamily(name))
        return *family;
    std::string known;
    for (KeyFamily f : allKeyFamilies())
        known += (known.empty() ? "" : ", ") + keyFamilyName(f);
    throw UsageError("unknown key family '" + name + "' (known: " + known + ")");
}

int runKeys(const Words& words)
{
    const Arguments args(words, {"json"});
    args.allowOnly({"family", "count", "dim", "seed", "json"});
    const KeyFamily family = familyOption(args, "sphere");
    const int64_t count = args.integer("count", 4);
    const int64_t dim = args.integer("dim", 64);
    const auto seed = static_cast<uint64_t>(args.integer("seed", 0));
    const vsa::KeyMatrix keys = vsa::generateKeyMatrix(family, count, dim, seed);
    const std::vector<double> similarity = vsa::keySimilarityValues(keys);
    std::vector<double> norms;
    for (int64_t i = 0; i < count; ++i) {
        double squares = 0.0;
        for (int64_t j = 0; j < dim; ++j)
            squares += double(keys.values[size_t(i * dim + j)]) * keys.values[size_t(i * dim + j)];
        norms.push_back(std::sqrt(squares));
    }

    if (args.flag("json")) {
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

int runInterference(const Words& words)
{
    const Arguments args(words, {"json"});
    args.allowOnly({"binding", "unbinding", "family", "dim", "n", "trials", "seed", "guard", "json"});
    vsa::SweepConfig config;
    const auto binding = parseBinding(args.text("binding", "hrr"));
    if (!binding)
        throw UsageError("--binding must be hrr or map");
    const auto unbinding = parseUnbinding(args.text("unbinding", "approximate"));
    if (!unbinding)
        throw UsageError("--unbinding must be approximate or exact");
    config.binding = *binding;
    config.unbinding = *unbinding;
    config.family = familyOption(args, config.binding == BindingKind::MAP ? "bipolar" : "sphere");
    config.dim = args.integer("dim", 64);
    config.ns = args.integerList("n", config.ns);
    config.trials = args.integer("trials", 50);
    config.seed = static_cast<uint64_t>(args.integer("seed", 0));
    config.guard = args.number("guard", 1e-3);
    if (config.trials < 1)
        throw UsageError("--trials must be at least 1");
    for (int64_t n : config.ns)
        if (n < 1)
            throw UsageError("--n values must be at least 1");
    const auto rows = vsa::interferenceSweep(config);

    if (args.flag("json")) {
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

} // namespace

std::vector<Command> vsaCommands()
{
    return {
        {"keys", "generate binding keys and show their similarity",
         "mimo keys [--family F] [--count N] [--dim D] [--seed S] [--json]\n"
         "  Families: gaussian, sphere, bipolar, orthogonal, torch-uniform, unitary (default sphere).\n"
         "  The same family, count, dim and seed give the same keys on every machine.",
         runKeys},
        {"vsa-interference", "measure input-level interference of superposition against theory",
         "mimo vsa-interference [--binding hrr|map] [--unbinding approximate|exact] [--family F]\n"
         "                      [--dim D] [--n 1,2,4,8,16] [--trials T] [--seed S] [--guard G] [--json]\n"
         "  Binds N Gaussian inputs with N keys, sums them, unbinds every slot and reports the\n"
         "  mean cosine to the original and the signal-to-crosstalk ratio, beside the closed form\n"
         "  (docs/vsa-interference.md). 'n/a' marks cases with no finite closed form.",
         runInterference},
    };
}

} // namespace mimo::cli
