#pragma once
// Interference between the sequences of a MIMOFormer superposition (docs/mimoformer-interference.md):
// each query-key score in superposition decomposed into the signal and the M*N-1 cross terms,
// measured against the Hoeffding bound for Rademacher keys. Plain data in and out.
#include "core/data/unreadable_items.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mimo {

struct InterferenceStats {
    int layer = 0, head = 0;
    std::size_t pairs = 0;            // (sequence, query position, key position) triples measured
    std::size_t terms = 0;            // cross terms measured (pairs * (M*N - 1))
    double signalRms = 0.0;           // of q_{mn}.k_{mn}
    double interferenceRms = 0.0;     // of I, the sum of the cross terms
    double meanSquaredInterference = 0.0; // measured mean of I^2
    double predictedMeanSquared = 0.0;    // mean of sum_i sigma_i^2 (E[I^2 | q, k], exact)
    double relativeRms = 0.0;         // rms of I / (|q_{mn}| |k_{mn}|)
    double predictedRelativeRms = 0.0; // sqrt(mean of sum sigma_i^2 / (|q|^2 |k|^2))
    std::vector<double> thresholds;   // tau
    std::vector<double> termTail;     // measured P(|X_i| / sigma_i >= tau)
    std::vector<double> termBound;    // 2 exp(-tau^2 / 2), capped at 1
    std::vector<double> totalTail;    // measured P(|I| / sum sigma_i >= tau)
    std::vector<double> totalBound;   // 2 (MN - 1) exp(-tau^2 / 2), capped at 1
    // Hoeffding over coordinates (I = sum_d Y_d, |Y_d| <= b_d): P(|I| / sqrt(sum_d b_d^2) >= tau)
    // measured, against the same 2 exp(-tau^2 / 2) as termBound, with no factor MN - 1.
    std::vector<double> coordinateTail;
    double largestTermZ = 0.0;        // max |X_i| / sigma_i seen
};

struct InterferenceReport {
    std::string model;
    std::string data;
    int gridM = 1, gridN = 1, headDim = 0;
    std::size_t groups = 0;
    std::string bound;                // the bound in words
    std::vector<InterferenceStats> heads; // per layer and head, in order
    UnreadableItems unreadable;       // items of an image folder skipped (the groups take the next ones)
};

// Pure computation on plain arrays, for tests and for the model path below:
// q and k [G, M, N, L, D] row-major (k already masked), keys [M, N, D] of +-1, mask [G, M, N, L]
// (1 = real token). Samples `pairsPerGroup` (query, key) position pairs per group with a real
// key position, measures every sequence of the group at each pair.
InterferenceStats decomposeScores(const std::vector<float>& q, const std::vector<float>& k,
                                  const std::vector<float>& keys, const std::vector<float>& mask, int groups, int m,
                                  int n, int length, int headDim, std::size_t pairsPerGroup, uint64_t seed);

struct InterferenceRequest {
    std::string modelPath;
    std::string data;                 // dataset SPEC
    std::string dataDir;
    int count = 0;                    // sequences per superposition; 0 = the trained M*N
    std::size_t groups = 8;           // groups of M*N consecutive test items
    std::size_t pairsPerGroup = 2048;
    uint64_t seed = 1;
    std::string device = "cpu";
};

// Throws mimo::Error for a model that does not compute in superposition or data it cannot read.
InterferenceReport measureInterference(const InterferenceRequest& request);

} // namespace mimo
