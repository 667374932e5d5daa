#include "core/eval/former_interference.h"

#include "core/data/dataset_spec.h"
#include "core/errors.h"
#include "core/eval/former_evaluation.h"
#include "core/eval/readable_inputs.h"
#include "core/model/model_file.h"
#include "core/model/torch_device.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace mimo {
namespace {

using torch::indexing::Slice;

const std::vector<double> kThresholds{1.0, 2.0, 3.0, 4.0};

// q, k [G, M, N, L, D] double; keys [M, N, D]; mask [G, M, N, L].
InterferenceStats decompose(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& keys,
                            const torch::Tensor& mask, std::size_t pairsPerGroup, uint64_t seed)
{
    const int64_t g = q.size(0), m = q.size(1), n = q.size(2), l = q.size(3);
    auto generator = at::make_generator<at::CPUGeneratorImpl>(seed);
    InterferenceStats stats;
    stats.thresholds = kThresholds;
    const int64_t crossTerms = m * n - 1;
    std::vector<double> termHits(kThresholds.size(), 0.0), totalHits(kThresholds.size(), 0.0),
        coordinateHits(kThresholds.size(), 0.0);
    double signalSquares = 0, interferenceSquares = 0, predictedSquares = 0, relativeSquares = 0, predictedRelative = 0;
    double triples = 0;
    for (int64_t group = 0; group < g; ++group) {
        // Key positions with a real token in at least one sequence of the group.
        const auto realKeys = (mask[group].sum(torch::IntArrayRef{0, 1}) > 0).nonzero().flatten();
        if (realKeys.numel() == 0)
            continue;
        const auto queryPositions = torch::randint(0, l, {int64_t(pairsPerGroup)}, generator, torch::kLong);
        const auto pick = torch::randint(0, realKeys.numel(), {int64_t(pairsPerGroup)}, generator, torch::kLong);
        const auto keyPositions = realKeys.index_select(0, pick);
        const auto qp = q[group].index_select(2, queryPositions).permute({2, 0, 1, 3}); // [P, M, N, D]
        const auto kp = k[group].index_select(2, keyPositions).permute({2, 0, 1, 3});
        const auto keep = mask[group].index_select(2, keyPositions).permute({2, 0, 1}); // [P, M, N]
        const auto aq = keys.unsqueeze(0) * qp, ak = keys.unsqueeze(0) * kp;
        // terms[p, m, n, i, j] = sum_d a_{i,n,d} a_{m,j,d} q_{i,n,d} k_{m,j,d}: the query of
        // sequence (i, n) against the key of sequence (m, j), seen by sequence (m, n).
        const auto terms = torch::einsum("pind,pmjd->pmnij", {aq, ak});
        const auto sigma2 = torch::einsum("pind,pmjd->pmnij", {qp * qp, kp * kp});
        const auto diagonal = torch::eye(m, torch::kDouble).view({1, m, 1, m, 1}) * torch::eye(n, torch::kDouble).view({1, 1, n, 1, n});
        const auto signal = (terms * diagonal).sum(torch::IntArrayRef{3, 4});             // [P, M, N]
        const auto cross = terms * (1 - diagonal);
        const auto interference = cross.sum(torch::IntArrayRef{3, 4});
        const auto sigmaCross = sigma2 * (1 - diagonal);
        const auto sigmaSum = sigmaCross.sqrt().sum(torch::IntArrayRef{3, 4});
        const auto variance = sigmaCross.sum(torch::IntArrayRef{3, 4});
        const auto normQ = (qp * qp).sum(-1), normK = (kp * kp).sum(-1); // [P, M, N]
        const auto valid = (keep > 0) & (normQ > 0) & (normK > 0);
        const auto w = valid.to(torch::kDouble);
        const double count = w.sum().item<double>();
        if (count == 0)
            continue;
        triples += count;
        signalSquares += (signal * signal * w).sum().item<double>();
        interferenceSquares += (interference * interference * w).sum().item<double>();
        predictedSquares += (variance * w).sum().item<double>();
        const auto normProduct = (normQ * normK).clamp_min(1e-300);
        relativeSquares += (interference * interference / normProduct * w).sum().item<double>();
        predictedRelative += (variance / normProduct * w).sum().item<double>();
        if (crossTerms == 0)
            continue;
        // b_d = sum over the cross terms of |q_{i,n,d} k_{m,j,d}|: all (i, j) pairs, which factor
        // into (sum_i |q|)(sum_j |k|), less the signal pair.
        const auto queryAbs = qp.abs().sum(1, true), keyAbs = kp.abs().sum(2, true); // [P, 1, N, D], [P, M, 1, D]
        const auto b = queryAbs * keyAbs - (qp * kp).abs();                           // [P, M, N, D]
        const auto coordinateScale = (b * b).sum(-1).sqrt();
        const auto coordinateZ = interference.abs() / coordinateScale.clamp_min(1e-300) * w *
                                 (coordinateScale > 0).to(torch::kDouble);
        const auto termWeight = (1 - diagonal) * w.view({-1, m, n, 1, 1}) * (sigma2 > 0).to(torch::kDouble);
        const auto z = (cross.abs() / sigma2.clamp_min(1e-300).sqrt()) * termWeight;
        const auto totalZ = interference.abs() / sigmaSum.clamp_min(1e-300) * w * (sigmaSum > 0).to(torch::kDouble);
        stats.terms += std::size_t(termWeight.sum().item<double>());
        stats.largestTermZ = std::max(stats.largestTermZ, z.max().item<double>());
        for (size_t t = 0; t < kThresholds.size(); ++t) {
            termHits[t] += (z >= kThresholds[t]).to(torch::kDouble).mul(termWeight).sum().item<double>();
            totalHits[t] += (totalZ >= kThresholds[t]).to(torch::kDouble).mul(w).sum().item<double>();
            coordinateHits[t] += (coordinateZ >= kThresholds[t]).to(torch::kDouble).mul(w).sum().item<double>();
        }
    }
    stats.pairs = std::size_t(triples);
    if (triples > 0) {
        stats.signalRms = std::sqrt(signalSquares / triples);
        stats.meanSquaredInterference = interferenceSquares / triples;
        stats.interferenceRms = std::sqrt(stats.meanSquaredInterference);
        stats.predictedMeanSquared = predictedSquares / triples;
        stats.relativeRms = std::sqrt(relativeSquares / triples);
        stats.predictedRelativeRms = std::sqrt(predictedRelative / triples);
    }
    for (size_t t = 0; t < kThresholds.size(); ++t) {
        const double tau = kThresholds[t];
        stats.termTail.push_back(stats.terms ? termHits[t] / double(stats.terms) : 0.0);
        stats.termBound.push_back(std::min(1.0, 2.0 * std::exp(-tau * tau / 2.0)));
        stats.totalTail.push_back(triples > 0 ? totalHits[t] / triples : 0.0);
        stats.totalBound.push_back(std::min(1.0, 2.0 * double(crossTerms) * std::exp(-tau * tau / 2.0)));
        stats.coordinateTail.push_back(triples > 0 ? coordinateHits[t] / triples : 0.0);
    }
    return stats;
}

} // namespace

InterferenceStats decomposeScores(const std::vector<float>& q, const std::vector<float>& k,
                                  const std::vector<float>& keys, const std::vector<float>& mask, int groups, int m,
                                  int n, int length, int headDim, std::size_t pairsPerGroup, uint64_t seed)
{
    const int64_t size = int64_t(groups) * m * n * length * headDim;
    if (groups < 1 || m < 1 || n < 1 || length < 1 || headDim < 1 || int64_t(q.size()) != size ||
        int64_t(k.size()) != size || int64_t(keys.size()) != int64_t(m) * n * headDim ||
        int64_t(mask.size()) != int64_t(groups) * m * n * length)
        throw Error("interference: the arrays do not match the shapes given");
    const auto tensor = [](const std::vector<float>& v, std::vector<int64_t> shape) {
        return torch::from_blob(const_cast<float*>(v.data()), shape, torch::kFloat).to(torch::kDouble);
    };
    return decompose(tensor(q, {groups, m, n, length, headDim}), tensor(k, {groups, m, n, length, headDim}),
                     tensor(keys, {m, n, headDim}), tensor(mask, {groups, m, n, length}), pairsPerGroup, seed);
}

InterferenceReport measureInterference(const InterferenceRequest& request)
{
    auto loaded = loadFormerModel(request.modelPath, request.device);
    const auto& config = loaded.model->config();
    if (config.attention == FormerAttention::Performer)
        throw Error(request.modelPath + ": the Performer baseline computes each sequence alone; there is no "
                                        "interference to measure");
    const int count = request.count > 0 ? request.count : config.superposed();
    const auto [m, n] = config.gridFor(count);
    if (m * n < 2)
        throw Error("interference needs at least two sequences in superposition");
    DataOptions options;
    options.fashionMnistDir = request.dataDir;
    options.sequenceLength = std::size_t(config.maxLength);
    options.pixelHeight = config.imageHeight;
    options.pixelWidth = config.imageWidth;
    const auto data = openDataset(request.data, options);
    checkSequenceData(*data, config);
    const std::size_t group = std::size_t(m * n);
    // The first readable items: an unreadable one (an image folder's damaged file) is skipped.
    const auto device = torchDevice(request.device);
    const std::size_t target = request.groups * group;
    UnreadableItems unreadable;
    std::vector<torch::Tensor> parts;
    std::size_t readable = 0;
    for (std::size_t start = 0; start < data->size() && readable < target;) {
        std::vector<std::size_t> asked(std::min(target - readable, data->size() - start));
        for (std::size_t i = 0; i < asked.size(); ++i)
            asked[i] = start + i;
        start += asked.size();
        const auto part = readableInputs(
            *data, asked, [&](const std::vector<std::size_t>& items) { return tokenBatch(*data, items); }, unreadable);
        if (!part.items.empty())
            parts.push_back(part.inputs);
        readable += part.items.size();
    }
    if (readable == 0 && !unreadable.empty())
        throwNothingReadable(*data, data->size(), unreadable);
    const std::size_t wanted = readable / group * group;
    if (wanted == 0)
        throw Error(data->name() + " holds fewer readable items than one group of " + std::to_string(m * n));
    const auto tokens = torch::cat(parts).narrow(0, 0, int64_t(wanted)).to(device);
    torch::InferenceMode inference;
    FormerForwardOptions pass;
    pass.grid = {m, n};
    pass.captureIntermediates = true;
    const auto output = loaded.model->forward(tokens, pass);

    InterferenceReport report;
    report.model = request.modelPath;
    report.data = data->name();
    report.gridM = m;
    report.gridN = n;
    report.headDim = config.headDim;
    report.groups = wanted / std::size_t(m * n);
    report.unreadable = unreadable;
    report.bound = "per cross term (Hoeffding, Rademacher keys): P(|X|/sigma >= t) <= 2 exp(-t^2/2); their sum I over the " +
                   std::to_string(m * n - 1) + " cross terms: P(|I|/sqrt(sum_d b_d^2) >= t) <= 2 exp(-t^2/2) (Hoeffding over "
                   "coordinates) and P(|I|/sum sigma >= t) <= 2 (MN-1) exp(-t^2/2) (union bound)";
    const int64_t groups = int64_t(report.groups), length = tokens.size(1), d = config.headDim;
    const auto mask = (tokens != 0).to(torch::kDouble).cpu().view({groups, m, n, length});
    const auto find = [&](const std::string& name) {
        for (const auto& [key, value] : output.intermediates)
            if (key == name)
                return value;
        throw Error("interference: the model did not report " + name);
    };
    for (int layer = 0; layer < config.layers; ++layer) {
        const std::string prefix = "layer" + std::to_string(layer) + ".";
        const auto q = find(prefix + "queries").to(torch::kCPU, torch::kDouble);         // [B, H, L, D]
        const auto k = find(prefix + "keys").to(torch::kCPU, torch::kDouble);            // masked
        const auto keys = find(prefix + "binding_keys").to(torch::kCPU, torch::kDouble); // [M, N, D]
        for (int head = 0; head < config.heads; ++head) {
            // Structured bindings cannot be captured before C++20 (clang refuses): copies.
            const auto grid = [&, gridM = m, gridN = n](const torch::Tensor& t) {
                return t.select(1, head).reshape({groups, gridM, gridN, length, d});
            };
            auto stats = decompose(grid(q), grid(k), keys, mask, request.pairsPerGroup,
                                   request.seed * uint64_t(7919) + uint64_t(layer * 131 + head));
            stats.layer = layer;
            stats.head = head;
            report.heads.push_back(stats);
        }
    }
    return report;
}

} // namespace mimo
