#include "core/vsa/interference_sweep.h"

#include "core/errors.h"
#include "core/vsa/interference.h"
#include "core/vsa/interference_theory.h"
#include "core/vsa/keys.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace mimo::vsa {

KeyMatrix generateKeyMatrix(KeyFamily family, int64_t count, int64_t dim, uint64_t seed)
{
    const auto keys = makeKeys(family, count, dim, seed).contiguous();
    KeyMatrix matrix;
    matrix.count = count;
    matrix.dim = dim;
    matrix.values.assign(keys.data_ptr<float>(), keys.data_ptr<float>() + keys.numel());
    return matrix;
}

std::vector<double> keySimilarityValues(const KeyMatrix& keys)
{
    if (keys.count * keys.dim != static_cast<int64_t>(keys.values.size()))
        throw Error("keys: " + std::to_string(keys.values.size()) + " values do not fill a [" +
                    std::to_string(keys.count) + ", " + std::to_string(keys.dim) + "] matrix");
    const auto tensor = at::from_blob(const_cast<float*>(keys.values.data()), {keys.count, keys.dim}, at::kFloat);
    const auto similarity = keySimilarity(tensor.to(at::kDouble)).contiguous();
    return {similarity.data_ptr<double>(), similarity.data_ptr<double>() + similarity.numel()};
}

std::vector<SweepRow> interferenceSweep(const SweepConfig& config)
{
    if (config.trials < 1)
        throw Error("interference sweep: need at least one trial");
    std::vector<SweepRow> rows;
    for (int64_t n : config.ns) {
        if (n < 1)
            throw Error("interference sweep: N must be at least 1, got " + std::to_string(n));
        double cosineSum = 0.0, cosineSquares = 0.0, snrDbSum = 0.0;
        for (int64_t t = 0; t < config.trials; ++t) {
            // Distinct, reproducible streams per (N, trial); inputs and keys never share one.
            const uint64_t trialSeed = config.seed * 1000003ULL + static_cast<uint64_t>(n * 7919 + t);
            const auto inputs = makeKeys(KeyFamily::Gaussian, n, config.dim, trialSeed ^ 0xa5a5a5a5ULL);
            const auto keys = makeKeys(config.family, n, config.dim, trialSeed);
            const auto report = measureInterference(inputs, keys, config.binding, config.unbinding, config.guard);
            for (const auto& slot : report.slotResults) {
                cosineSum += slot.cosine;
                cosineSquares += slot.cosine * slot.cosine;
                snrDbSum += slot.snrDb;
            }
        }
        const double samples = static_cast<double>(config.trials * n);
        SweepRow row;
        row.n = n;
        row.cosine = cosineSum / samples;
        row.cosineSd = std::sqrt(std::max(0.0, cosineSquares / samples - row.cosine * row.cosine));
        row.snrDb = snrDbSum / samples;
        const auto theory = expectedInterference(config.binding, config.unbinding, config.family, n, config.dim);
        row.theoryCosine = theory.cosine;
        row.theorySnrDb = 10.0 * std::log10(theory.snr);
        rows.push_back(row);
    }
    return rows;
}

} // namespace mimo::vsa
