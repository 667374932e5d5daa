// The engine's "seeing inside" computations: activations, interference, attention maps.
#include "core/explore/engine_impl.h"

#include "core/errors.h"
#include "core/explore/explorer_tour.h"
#include "core/model/sequence_input.h"
#include "core/vsa/interference.h"
#include "core/vsa/interference_theory.h"
#include "core/vsa/seeded_random.h"

#include <torch/torch.h>

#include <cmath>
#include <map>

namespace mimo {
namespace {

using Captures = std::map<std::string, torch::Tensor>;

Captures captures(std::vector<std::pair<std::string, torch::Tensor>> intermediates)
{
    Captures out;
    for (auto& [name, tensor] : intermediates)
        out[name] = tensor.to(torch::kCPU, torch::kFloat);
    return out;
}

const torch::Tensor& need(const Captures& all, const std::string& name)
{
    const auto found = all.find(name);
    if (found == all.end())
        throw Error("the model did not capture '" + name + "'");
    return found->second;
}

// 0.5 * sum |p - q| per row: 0 for the same distribution, 1 for disjoint ones.
torch::Tensor totalVariation(const torch::Tensor& p, const torch::Tensor& q)
{
    return 0.5 * (p - q).abs().sum(-1);
}

std::vector<double> toVector(const torch::Tensor& t)
{
    const auto values = t.to(torch::kCPU, torch::kDouble).contiguous();
    return std::vector<double>(values.data_ptr<double>(), values.data_ptr<double>() + values.numel());
}

std::vector<float> toFloats(const torch::Tensor& t)
{
    const auto values = t.to(torch::kCPU, torch::kFloat).contiguous();
    return std::vector<float>(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
}

const char* const kConvLayers[] = {"superposed", "layer1", "layer2", "layer3"};

struct ConvPasses {
    Captures superposed, alone;
    std::vector<Captures> slotAlone; // the superposition's path with only slot i present
};

ConvPasses convPasses(ExplorerEngine::Impl& d, const torch::Tensor& batch, int n)
{
    MimoConv& model = d.model->conv();
    ConvPasses passes;
    ConvForwardOptions options = d.convOptions(n, true);
    passes.superposed = captures(model->forward(batch, options).intermediates);
    passes.alone = captures(model->forward(batch, d.convOptions(1, true)).intermediates);
    for (int i = 0; i < n; ++i) {
        options.slotMask = torch::zeros({n});
        options.slotMask[i] = 1.0;
        passes.slotAlone.push_back(captures(model->forward(batch, options).intermediates));
    }
    return passes;
}

LayerActivations layerActivations(const ConvPasses& passes, const std::string& layer, int n)
{
    LayerActivations out;
    out.layer = layer;
    const auto superposed = need(passes.superposed, layer)[0];
    std::vector<torch::Tensor> individual;
    for (int i = 0; i < n; ++i)
        individual.push_back(need(passes.slotAlone[size_t(i)], layer)[0]);
    const auto stacked = torch::stack(individual);
    const auto difference = superposed - stacked.sum(0);
    out.superposed = tensorView(superposed, layer, "the superposition of the " + std::to_string(n) + " inputs");
    out.alone = tensorView(need(passes.alone, layer), layer, "each input computed alone (N = 1)");
    out.individuallyBound = tensorView(stacked, layer, "the superposition's path with only slot i present");
    out.difference = tensorView(difference, layer, "superposition minus the sum of the slots alone");
    out.relativeGap = (difference.norm() / superposed.norm().clamp_min(1e-12)).item<double>();
    return out;
}

torch::Tensor probabilities(ExplorerEngine::Impl& d, const torch::Tensor& batch, int n)
{
    if (d.model->isConv())
        return torch::softmax(d.convForward(batch, n).logits, 1).to(torch::kCPU);
    return torch::softmax(d.formerForward(batch, d.info().former().gridFor(n), false).logits, 1).to(torch::kCPU);
}

// influence[i][j]: how far slot i's class distribution moves when input j becomes neutral.
TensorView influenceMatrix(ExplorerEngine::Impl& d, const torch::Tensor& batch, int n, std::string& neutral)
{
    const auto base = probabilities(d, batch, n);
    auto influence = torch::zeros({n, n});
    for (int j = 0; j < n; ++j) {
        auto changed = batch.clone();
        if (d.model->isConv()) {
            changed[j].zero_(); // normalised zeros: every pixel at the normalisation mean
            neutral = "the mean image (every pixel at the model's normalisation mean)";
        } else {
            changed[j].zero_();
            changed[j][0] = 1; // a one-token sequence: the smallest real input
            neutral = "a one-token sequence (token id 1)";
        }
        influence.select(1, j).copy_(totalVariation(probabilities(d, changed, n), base));
    }
    return tensorView(influence, "influence", "rows: slot whose probabilities change; columns: input replaced");
}

// Input-level interference (docs/mimonets.md 1): Gaussian vectors bound with the keys, summed, unbound.
std::pair<std::vector<double>, std::vector<double>> keyInterference(const torch::Tensor& keys, int trials)
{
    const int64_t n = keys.size(0), d = keys.size(1);
    std::vector<double> cosine(size_t(n), 0.0), snrDb(size_t(n), 0.0);
    SeededRandom random(7);
    for (int t = 0; t < trials; ++t) {
        auto inputs = torch::empty({n, d});
        auto* data = inputs.data_ptr<float>();
        for (int64_t i = 0; i < n * d; ++i)
            data[i] = float(random.normal() / std::sqrt(double(d)));
        const auto report = vsa::measureInterference(inputs, keys, BindingKind::HRR, Unbinding::Approximate);
        for (int64_t i = 0; i < n; ++i) {
            cosine[size_t(i)] += report.slotResults[size_t(i)].cosine / trials;
            snrDb[size_t(i)] += report.slotResults[size_t(i)].snrDb / trials;
        }
    }
    return {cosine, snrDb};
}

void addKeyInterference(ExplorerEngine::Impl& d, const RunRequest& request, InterferenceSummary& out)
{
    const auto& info = d.info();
    out.hasKeyInterference = true;
    out.keyDimension = info.conv().stemWidth;
    const auto [cosine, snrDb] = keyInterference(d.slotKeys(request.n), 64);
    out.slotCosine = cosine;
    out.slotSnrDb = snrDb;
    const KeyFamily family = request.keys.kind == KeyChoice::Kind::Family ? request.keys.family : KeyFamily::Gaussian;
    out.theoryFamily = keyFamilyName(family) + (request.keys.kind == KeyChoice::Kind::Family ? "" : " (reference)");
    for (int n = 1; n <= 16; ++n) {
        out.curveN.push_back(n);
        out.theoryCosine.push_back(
            vsa::expectedInterference(BindingKind::HRR, Unbinding::Approximate, family, n, info.conv().stemWidth).cosine);
    }
    for (int n : info.supportedN()) {
        const auto measured = keyInterference(d.slotKeys(n), 32).first;
        double mean = 0;
        for (double c : measured)
            mean += c / double(measured.size());
        out.measuredN.push_back(n);
        out.measuredCosine.push_back(mean);
    }
}

void addScoreInterference(const Captures& superposed, const torch::Tensor& tokens, const MimoFormerConfig& config,
                          std::pair<int, int> grid, InterferenceSummary& out)
{
    const auto [m, n] = grid;
    const auto mask = (tokens != 0).to(torch::kFloat).to(torch::kCPU);
    const int64_t length = tokens.size(1);
    for (int layer = 0; layer < config.layers; ++layer) {
        const std::string prefix = "layer" + std::to_string(layer) + ".";
        const auto q = need(superposed, prefix + "queries"), k = need(superposed, prefix + "keys");
        const auto keys = toFloats(need(superposed, prefix + "binding_keys"));
        for (int head = 0; head < config.heads; ++head) {
            auto stats = decomposeScores(toFloats(q.select(1, head)), toFloats(k.select(1, head)), keys, toFloats(mask), 1,
                                         m, n, int(length), config.headDim, 1024, 1);
            stats.layer = layer;
            stats.head = head;
            out.scoreInterference.push_back(stats);
        }
    }
}

} // namespace

ActivationReport ExplorerEngine::activations(const RunRequest& request)
{
    Impl& d = *impl_;
    d.checkRequest(request);
    if (!d.model->isConv())
        throw Error("activations are shown for MIMOConv models; for a MIMOFormer see the attention maps");
    torch::InferenceMode inference;
    const int n = request.n;
    const auto passes = convPasses(d, d.imageBatch(request.inputs), n);
    ActivationReport report;
    report.n = n;
    report.stem = tensorView(need(passes.superposed, "stem"), "stem", "each input's stem output");
    const auto keys = d.slotKeys(n);
    if (keys.defined())
        report.keys = tensorView(keys, "keys", "the key binding each slot (rows)");
    if (passes.superposed.count("bound"))
        report.bound = tensorView(need(passes.superposed, "bound")[0], "bound", "each stem output bound to its key");
    report.superposition = tensorView(need(passes.superposed, "superposed")[0], "superposition", "the sum of the bound inputs");
    for (const char* layer : kConvLayers)
        report.layers.push_back(layerActivations(passes, layer, n));
    return report;
}

InterferenceSummary ExplorerEngine::interference(const RunRequest& request)
{
    Impl& d = *impl_;
    d.checkRequest(request);
    torch::InferenceMode inference;
    const int n = request.n;
    InterferenceSummary out;
    out.n = n;
    const auto cosine = [](const torch::Tensor& a, const torch::Tensor& b) {
        return torch::cosine_similarity(a.flatten(1), b.flatten(1), 1, 1e-12);
    };
    torch::Tensor batch, superposedProbabilities, aloneProbabilities;
    if (d.model->isConv()) {
        batch = d.imageBatch(request.inputs);
        const auto passes = convPasses(d, batch, n);
        out.featureCosine = toVector(cosine(need(passes.superposed, "unbound"), need(passes.alone, "unbound")));
        out.layerGapMeaning = "|superposition - sum of the slots alone| / |superposition|";
        for (const char* layer : kConvLayers) {
            out.layers.push_back(layer);
            out.layerGap.push_back(layerActivations(passes, layer, n).relativeGap);
        }
        if (isHrrConv(d.info()))
            addKeyInterference(d, request, out);
    } else {
        batch = d.tokenBatch(request.inputs);
        const auto grid = d.info().former().gridFor(n);
        const auto superposed = captures(d.formerForward(batch, grid, true).intermediates);
        const auto alone = captures(d.formerForward(batch, {1, 1}, true).intermediates);
        out.featureCosine = toVector(cosine(need(superposed, "pooled"), need(alone, "pooled")));
        out.layerGapMeaning = "1 - cosine of each layer's attention output in superposition to the one alone";
        for (int layer = 0; layer < d.info().former().layers; ++layer) {
            const std::string name = "layer" + std::to_string(layer) + ".attention_unbound";
            if (!superposed.count(name))
                break; // att.+MLP never unbinds inside a layer
            out.layers.push_back("layer" + std::to_string(layer + 1)); // counted from 1, as a MIMOConv's
            out.layerGap.push_back(1.0 - cosine(need(superposed, name), need(alone, name)).mean().item<double>());
        }
        if (isMimoFormer(d.info()) && d.info().former().attention == FormerAttention::Mimo)
            addScoreInterference(superposed, batch, d.info().former(), grid, out);
    }
    superposedProbabilities = probabilities(d, batch, n);
    aloneProbabilities = probabilities(d, batch, 1);
    out.probabilityChange = toVector(totalVariation(superposedProbabilities, aloneProbabilities));
    out.influence = influenceMatrix(d, batch, n, out.neutralInput);
    return out;
}

AttentionMaps ExplorerEngine::attention(const RunRequest& request, int slot, int layer, int head, int maxTokens)
{
    Impl& d = *impl_;
    d.checkRequest(request);
    if (!d.model->isFormer())
        throw Error("attention maps belong to MIMOFormer models");
    const auto& config = d.info().former();
    if (slot < 0 || slot >= request.n || layer < 0 || layer >= config.layers || head < 0 || head >= config.heads)
        throw Error("no sequence " + std::to_string(slot + 1) + ", layer " + std::to_string(layer + 1) + ", head " +
                    std::to_string(head + 1) + " in this model and N");
    torch::InferenceMode inference;
    const auto tokens = d.tokenBatch(request.inputs);
    const auto grid = config.gridFor(request.n);
    const auto superposed = captures(d.formerForward(tokens, grid, true).intermediates);
    const auto alone = captures(d.formerForward(tokens, {1, 1}, true).intermediates);
    // Up to the last real token: a pixel sequence has black pixels (token 0) inside it.
    const auto real = (tokens[slot] != 0).to(torch::kCPU).nonzero();
    if (real.numel() == 0)
        throw Error(request.inputs[size_t(slot)].name + ": the sequence has no real token");
    const int64_t length = std::min<int64_t>(real.max().item<int64_t>() + 1, maxTokens);
    const std::string prefix = "layer" + std::to_string(layer) + ".";
    const bool mlp = config.attention == FormerAttention::MimoMlp;
    const auto keysOf = [&](const Captures& all, int m, int n) {
        return all.count(prefix + "binding_keys") ? need(all, prefix + "binding_keys")
                                                  : torch::ones({m, n, config.headDim});
    };
    const auto [m, n] = grid;
    const auto inSuperposition =
        attentionWeights(need(superposed, prefix + "queries"), need(superposed, prefix + "keys"),
                         need(superposed, prefix + "projection"), keysOf(superposed, m, n), m, n, 0, slot / n, slot % n,
                         head, 0, length, mlp);
    const auto byItself = attentionWeights(need(alone, prefix + "queries"), need(alone, prefix + "keys"),
                                           need(alone, prefix + "projection"), keysOf(alone, 1, 1), 1, 1, slot, 0, 0,
                                           head, 0, length, mlp);
    // Over every key position (padding included), where the rows sum to 1.
    const double variation = totalVariation(inSuperposition, byItself).mean().item<double>();
    const auto shown = [length](const torch::Tensor& weights) { return weights.slice(1, 0, length); };
    const auto paddingShare = [&](const torch::Tensor& weights) {
        return (1.0 - shown(weights).sum(1)).clamp_min(0.0).mean().item<double>();
    };
    AttentionMaps maps;
    maps.slot = slot;
    maps.layer = layer;
    maps.head = head;
    maps.length = int(length);
    maps.superposed = tensorView(shown(inSuperposition), "attention (superposed)", "query tokens x key tokens");
    maps.alone = tensorView(shown(byItself), "attention (alone)", "query tokens x key tokens");
    maps.difference = tensorView(shown(inSuperposition) - shown(byItself), "difference", "superposed minus alone");
    maps.meanTotalVariation = variation;
    maps.paddingShareSuperposed = paddingShare(inSuperposition);
    maps.paddingShareAlone = paddingShare(byItself);
    const auto& sequence = request.inputs[size_t(slot)].tokens;
    std::vector<int32_t> shownTokens(size_t(length), 0);
    std::copy_n(sequence.begin(), std::min(sequence.size(), size_t(length)), shownTokens.begin());
    maps.tokens = tokenLabels(config, shownTokens);
    if (config.inputKind == "pixels") {
        maps.imageHeight = int(config.imageHeight);
        maps.imageWidth = int(config.imageWidth);
        maps.pixels = request.inputs[size_t(slot)].pixels.values;
        maps.pixels.resize(size_t(maps.imageHeight) * size_t(maps.imageWidth), 0.0f);
    }
    return maps;
}

} // namespace mimo
