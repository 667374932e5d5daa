#include "core/vsa/hrr.h"

#include "core/errors.h"

#include <ATen/ATen.h>

#include <string>

namespace mimo::vsa {
namespace {

int64_t normaliseDim(const at::Tensor& x, int64_t dim)
{
    const int64_t rank = x.dim();
    if (rank == 0)
        throw Error("vsa: cannot bind a scalar; expected a tensor with at least one dimension");
    const int64_t d = dim < 0 ? dim + rank : dim;
    if (d < 0 || d >= rank)
        throw Error("vsa: dimension " + std::to_string(dim) + " is out of range for a tensor of rank " +
                    std::to_string(rank));
    return d;
}

void checkSameLength(const at::Tensor& key, int64_t keyDim, const at::Tensor& x, int64_t dim)
{
    if (key.size(keyDim) != x.size(dim))
        throw Error("vsa: key length " + std::to_string(key.size(keyDim)) + " does not match length " +
                    std::to_string(x.size(dim)) + " of the bound dimension");
}

// Key and x, with the key aligned and both brought to a common floating type.
struct Operands {
    at::Tensor key;
    at::Tensor x;
    int64_t dim;
    int64_t length;
};

Operands prepare(const at::Tensor& key, const at::Tensor& x, int64_t dim)
{
    Operands op;
    op.dim = normaliseDim(x, dim);
    op.length = x.size(op.dim);
    op.key = alignKey(key, x, op.dim);
    auto type = at::promote_types(op.key.scalar_type(), x.scalar_type());
    if (!at::isFloatingType(type))
        type = at::kFloat;
    op.key = op.key.to(type);
    op.x = x.to(type);
    return op;
}

at::Tensor keySpectrum(const Operands& op) { return at::fft_rfft(op.key, op.length, op.dim); }
at::Tensor spectrum(const Operands& op) { return at::fft_rfft(op.x, op.length, op.dim); }
at::Tensor backToSignal(const Operands& op, const at::Tensor& product) { return at::fft_irfft(product, op.length, op.dim); }

at::Tensor guardMask(const at::Tensor& power, int64_t dim, double guard)
{
    const auto meanPower = power.mean({dim}, /*keepdim=*/true);
    return power > meanPower * (guard * guard);
}

} // namespace

at::Tensor alignKey(const at::Tensor& key, const at::Tensor& x, int64_t dim)
{
    const int64_t d = normaliseDim(x, dim);
    if (key.dim() == 1 && x.dim() > 1) {
        checkSameLength(key, 0, x, d);
        std::vector<int64_t> shape(static_cast<size_t>(x.dim()), 1);
        shape[static_cast<size_t>(d)] = key.size(0);
        return key.reshape(shape);
    }
    if (key.dim() != x.dim())
        throw Error("vsa: key of rank " + std::to_string(key.dim()) + " cannot be aligned with a tensor of rank " +
                    std::to_string(x.dim()) + "; pass a 1-D key or one of the same rank");
    checkSameLength(key, d, x, d);
    return key;
}

at::Tensor hrrBind(const at::Tensor& key, const at::Tensor& x, int64_t dim)
{
    const Operands op = prepare(key, x, dim);
    return backToSignal(op, keySpectrum(op) * spectrum(op));
}

at::Tensor hrrUnbindApproximate(const at::Tensor& key, const at::Tensor& s, int64_t dim)
{
    const Operands op = prepare(key, s, dim);
    return backToSignal(op, keySpectrum(op).conj() * spectrum(op));
}

at::Tensor hrrUnbindExact(const at::Tensor& key, const at::Tensor& s, int64_t dim, double guard)
{
    const Operands op = prepare(key, s, dim);
    const auto keyFreq = keySpectrum(op);
    const auto power = at::abs(keyFreq).square();
    const auto keep = guardMask(power, op.dim, guard);
    // conj(K)/|K|^2 equals 1/K; the masked-out frequencies get 0 rather than a huge gain.
    const auto inverse = at::where(keep, keyFreq.conj() / at::where(keep, power, at::ones_like(power)),
                                   at::zeros_like(keyFreq));
    return backToSignal(op, inverse * spectrum(op));
}

at::Tensor hrrNearZeroFrequencies(const at::Tensor& key, int64_t dim, double guard)
{
    const int64_t d = normaliseDim(key, dim);
    const auto power = at::abs(at::fft_rfft(key.to(at::isFloatingType(key.scalar_type()) ? key.scalar_type() : at::kFloat),
                                            key.size(d), d))
                           .square();
    return (~guardMask(power, d, guard)).sum({d});
}

at::Tensor involution(const at::Tensor& key, int64_t dim)
{
    const int64_t d = normaliseDim(key, dim);
    return at::roll(at::flip(key, {d}), {1}, {d});
}

at::Tensor mapBind(const at::Tensor& key, const at::Tensor& x, int64_t dim) { return alignKey(key, x, dim) * x; }

at::Tensor mapUnbindApproximate(const at::Tensor& key, const at::Tensor& s, int64_t dim)
{
    return alignKey(key, s, dim) * s;
}

at::Tensor mapUnbindExact(const at::Tensor& key, const at::Tensor& s, int64_t dim, double guard)
{
    auto aligned = alignKey(key, s, dim);
    if (!at::isFloatingType(aligned.scalar_type()))
        aligned = aligned.to(at::kFloat);
    const auto keep = at::abs(aligned) > guard;
    return at::where(keep, s / at::where(keep, aligned, at::ones_like(aligned)), at::zeros_like(s * aligned));
}

at::Tensor bundle(const at::Tensor& items, int64_t dim) { return items.sum(dim); }

at::Tensor cosineSimilarity(const at::Tensor& a, const at::Tensor& b, int64_t dim)
{
    return at::cosine_similarity(a, b, dim, 1e-12);
}

} // namespace mimo::vsa
