#include "core/vsa/keys.h"

#include "core/errors.h"
#include "core/vsa/seeded_random.h"

#include <ATen/ATen.h>

#include <cmath>
#include <string>
#include <vector>

namespace mimo::vsa {
namespace {

at::Tensor fromValues(std::vector<double>& values, int64_t rows, int64_t cols)
{
    return at::from_blob(values.data(), {rows, cols}, at::kDouble).clone();
}

at::Tensor gaussianMatrix(SeededRandom& random, int64_t rows, int64_t cols, double stddev)
{
    std::vector<double> values(static_cast<size_t>(rows * cols));
    for (double& v : values)
        v = stddev * random.normal();
    return fromValues(values, rows, cols);
}

at::Tensor orthogonalKeys(SeededRandom& random, int64_t n, int64_t d)
{
    if (n > d)
        throw Error("keys: " + std::to_string(n) + " orthogonal keys do not exist in dimension " + std::to_string(d) +
                    " (need n <= D)");
    const auto gaussian = gaussianMatrix(random, d, n, 1.0);
    auto [q, r] = at::linalg_qr(gaussian, "reduced");
    // Fixing the signs of R's diagonal makes the factorisation unique, hence reproducible.
    auto signs = at::sign(r.diagonal());
    signs = at::where(signs == 0, at::ones_like(signs), signs);
    return (q * signs.unsqueeze(0)).t().contiguous();
}

at::Tensor unitaryKeys(SeededRandom& random, int64_t n, int64_t d)
{
    const int64_t bins = d / 2 + 1;
    std::vector<double> phases(static_cast<size_t>(n * bins));
    for (int64_t i = 0; i < n; ++i) {
        for (int64_t f = 0; f < bins; ++f) {
            const bool realBin = f == 0 || (d % 2 == 0 && f == d / 2);
            // A real signal needs real DC and Nyquist coefficients: +1 or -1.
            phases[static_cast<size_t>(i * bins + f)] = realBin ? (random.coin() ? M_PI : 0.0)
                                                                : random.uniform(-M_PI, M_PI);
        }
    }
    const auto angle = fromValues(phases, n, bins);
    const auto spectrum = at::polar(at::ones_like(angle), angle);
    return at::fft_irfft(spectrum, d, 1);
}

} // namespace

at::Tensor makeKeys(KeyFamily family, int64_t n, int64_t d, uint64_t seed)
{
    if (n < 1 || d < 1)
        throw Error("keys: need at least one key of dimension at least 1 (got n=" + std::to_string(n) +
                    ", D=" + std::to_string(d) + ")");
    SeededRandom random(seed);
    at::Tensor keys;
    switch (family) {
    case KeyFamily::Gaussian:
        keys = gaussianMatrix(random, n, d, 1.0 / std::sqrt(static_cast<double>(d)));
        break;
    case KeyFamily::Sphere: {
        const auto raw = gaussianMatrix(random, n, d, 1.0);
        keys = raw / raw.norm(2, {1}, /*keepdim=*/true).clamp_min(1e-300);
        break;
    }
    case KeyFamily::Bipolar: {
        std::vector<double> values(static_cast<size_t>(n * d));
        for (double& v : values)
            v = random.coin() ? 1.0 : -1.0;
        keys = fromValues(values, n, d);
        break;
    }
    case KeyFamily::Orthogonal:
        keys = orthogonalKeys(random, n, d);
        break;
    case KeyFamily::TorchDefaultUniform: {
        const double bound = 1.0 / std::sqrt(static_cast<double>(d));
        std::vector<double> values(static_cast<size_t>(n * d));
        for (double& v : values)
            v = random.uniform(-bound, bound);
        keys = fromValues(values, n, d);
        break;
    }
    case KeyFamily::Unitary:
        keys = unitaryKeys(random, n, d);
        break;
    }
    return keys.to(at::kFloat).contiguous();
}

at::Tensor keySimilarity(const at::Tensor& keys)
{
    if (keys.dim() != 2)
        throw Error("keys: expected an [n, D] key matrix, got rank " + std::to_string(keys.dim()));
    const auto unit = keys / keys.norm(2, {1}, /*keepdim=*/true).clamp_min(1e-12);
    return at::matmul(unit, unit.t());
}

at::Tensor keysFromOfficialChannelConv(const at::Tensor& weight)
{
    at::Tensor w = weight;
    if (w.dim() == 3) {
        if (w.size(1) != 1)
            throw Error("keys: official channelConv weight must be [N, 1, C0], got middle size " +
                        std::to_string(w.size(1)));
        w = w.squeeze(1);
    }
    if (w.dim() != 2)
        throw Error("keys: official channelConv weight must be [N, 1, C0] or [N, C0]");
    const int64_t c0 = w.size(1);
    if (c0 % 2 != 0)
        throw Error("keys: the official binding needs an even channel count, got C0=" + std::to_string(c0));
    // m -> (C0/2 - 1 - m) mod C0 as a gather index; it is its own inverse.
    auto index = at::arange(c0, at::kLong);
    index = at::remainder(c0 / 2 - 1 - index, c0);
    return w.index_select(1, index).contiguous();
}

at::Tensor officialChannelConvFromKeys(const at::Tensor& keys)
{
    return keysFromOfficialChannelConv(keys).unsqueeze(1);
}

} // namespace mimo::vsa
