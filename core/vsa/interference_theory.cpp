#include "core/vsa/interference_theory.h"

#include "core/errors.h"

#include <cmath>
#include <limits>
#include <string>

namespace mimo::vsa {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Kurtosis E k^4 / (E k^2)^2 of one key entry.
double entryKurtosis(KeyFamily family, double d)
{
    switch (family) {
    case KeyFamily::Gaussian: return 3.0;
    case KeyFamily::Bipolar: return 1.0;
    case KeyFamily::TorchDefaultUniform: return 9.0 / 5.0;
    case KeyFamily::Sphere:
    case KeyFamily::Orthogonal: // every row of a random orthogonal matrix is uniform on the sphere
        return 3.0 * d / (d + 2.0);
    case KeyFamily::Unitary: return 3.0; // entries are close to Gaussian; approximate
    }
    return 3.0;
}

} // namespace

double keyFourthMomentRatio(BindingKind binding, KeyFamily family, int64_t d)
{
    if (d < 1)
        throw Error("interference: dimension must be positive, got " + std::to_string(d));
    const double dim = static_cast<double>(d);
    if (binding == BindingKind::MAP)
        return entryKurtosis(family, dim);

    // Over the D frequencies, the DC bin (and Nyquist for even D) is real, the rest complex:
    // a real Gaussian has E X^4 = 3 (E X^2)^2, a circular complex one E|X|^4 = 2 (E|X|^2)^2.
    const double realBins = d % 2 == 0 ? 2.0 : 1.0;
    const double gaussianLike = (3.0 * realBins + 2.0 * (dim - realBins)) / dim;
    switch (family) {
    case KeyFamily::Unitary: return 1.0;
    case KeyFamily::Sphere:
    case KeyFamily::Orthogonal: return gaussianLike * dim / (dim + 2.0);
    case KeyFamily::Gaussian:
    case KeyFamily::Bipolar:
    case KeyFamily::TorchDefaultUniform:
        // Exact for i.i.d. entries: the entry kurtosis enters with weight 1/D.
        return gaussianLike + (entryKurtosis(family, dim) - 3.0) / dim;
    }
    return gaussianLike;
}

InterferenceExpectation expectedInterference(BindingKind binding, Unbinding unbinding, KeyFamily family, int64_t n,
                                             int64_t d)
{
    if (n < 1)
        throw Error("interference: N must be at least 1, got " + std::to_string(n));
    InterferenceExpectation e;
    const double others = static_cast<double>(n - 1);
    const double m4 = keyFourthMomentRatio(binding, family, d);

    // With a unit-modulus spectrum (HRR) or +-1 entries (MAP) the approximate inverse is exact.
    const bool inverseIsExact = (binding == BindingKind::HRR && family == KeyFamily::Unitary) ||
                                (binding == BindingKind::MAP && family == KeyFamily::Bipolar);
    if (unbinding == Unbinding::Exact || inverseIsExact) {
        if (n == 1) {
            e.cosine = 1.0;
            e.snr = kInfinity;
            e.exactRecovery = true;
            return e;
        }
        if (!inverseIsExact) {
            // Crosstalk scales with E[1/|K|^2], which diverges for these families: the
            // measured figures are heavy-tailed and set by the guard, not by a formula.
            e.cosine = kNaN;
            e.snr = kNaN;
            return e;
        }
        e.cosine = 1.0 / std::sqrt(static_cast<double>(n));
        e.snr = 1.0 / others;
        return e;
    }
    // Approximate inverse: signal power m4, crosstalk power N-1, inner product 1 (all in
    // units of E|K|^2 and E|x|^2).
    e.cosine = 1.0 / std::sqrt(m4 + others);
    e.snr = n == 1 ? kInfinity : m4 / others;
    return e;
}

} // namespace mimo::vsa
