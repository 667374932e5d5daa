#pragma once
// Plain-data face of the binding layer for the CLI and the GUI: keys as float matrices,
// and the measured-vs-theory interference sweep over N. No torch in this header.
#include "core/vsa/key_family.h"

#include <cstdint>
#include <vector>

namespace mimo::vsa {

struct KeyMatrix {
    int64_t count = 0;
    int64_t dim = 0;
    std::vector<float> values; // row-major [count, dim]
};

KeyMatrix generateKeyMatrix(KeyFamily family, int64_t count, int64_t dim, uint64_t seed);
// Row-major [count, count] cosine similarities.
std::vector<double> keySimilarityValues(const KeyMatrix& keys);

struct SweepConfig {
    BindingKind binding = BindingKind::HRR;
    Unbinding unbinding = Unbinding::Approximate;
    KeyFamily family = KeyFamily::Sphere;
    int64_t dim = 64;
    std::vector<int64_t> ns{1, 2, 4, 8, 16};
    int64_t trials = 50;
    uint64_t seed = 0;
    double guard = 1e-3;
};

struct SweepRow {
    int64_t n = 0;
    double cosine = 0.0;   // mean over trials and slots, Gaussian inputs
    double cosineSd = 0.0; // spread over trials and slots
    double snrDb = 0.0;    // mean of the per-slot SNR in dB
    double theoryCosine = 0.0;
    double theorySnrDb = 0.0;
};

// Random Gaussian inputs and fresh keys for every trial; reproducible from the seed.
std::vector<SweepRow> interferenceSweep(const SweepConfig& config);

} // namespace mimo::vsa
