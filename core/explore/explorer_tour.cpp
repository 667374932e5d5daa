#include "core/explore/explorer_tour.h"

#include "core/vsa/hrr.h"
#include "core/vsa/keys.h"

#include <torch/torch.h>

#include <cmath>
#include <cstdio>

namespace mimo {
namespace {

torch::Tensor find(const TourInputs& inputs, const std::string& name)
{
    for (const auto& [key, tensor] : inputs.intermediates)
        if (key == name)
            return tensor;
    return {};
}

void add(TourStep& step, const torch::Tensor& tensor, const std::string& name, const std::string& caption)
{
    if (tensor.defined())
        step.tensors.push_back(tensorView(tensor, name, caption));
}

std::string percent(double p)
{
    char text[16];
    std::snprintf(text, sizeof text, "%.0f %%", 100.0 * p);
    return text;
}

std::string shapeText(const std::vector<int64_t>& shape)
{
    std::string text;
    for (int64_t size : shape)
        text += (text.empty() ? "" : " x ") + std::to_string(size);
    return text;
}

// "slot 2: shoe.png": which input sits in which slot, on every step. Long sources keep their end
// (the file name, the dataset index), which tells them apart.
std::vector<std::string> slotLabels(const TourInputs& inputs)
{
    constexpr size_t kLongest = 22;
    std::vector<std::string> labels;
    for (int i = 0; i < inputs.n; ++i) {
        std::string source = size_t(i) < inputs.sources.size() ? inputs.sources[size_t(i)] : std::string();
        const auto slash = source.find_last_of('/');
        if (slash != std::string::npos)
            source = source.substr(slash + 1);
        if (source.size() > kLongest) {
            size_t start = source.size() - (kLongest - 1);
            while (start < source.size() && (static_cast<unsigned char>(source[start]) & 0xC0) == 0x80)
                ++start; // not inside a UTF-8 character
            source = "\u2026" + source.substr(start);
        }
        labels.push_back("slot " + std::to_string(i + 1) + (source.empty() ? "" : ": " + source));
    }
    return labels;
}

// A tensor whose first dimension is the slots, with the slots' labels on its rows.
void addPerSlot(TourStep& step, const TourInputs& inputs, const torch::Tensor& tensor, const std::string& name,
                const std::string& caption)
{
    if (!tensor.defined())
        return;
    // [n, tokens, D]: one map per slot, on the slot's own labelled row (as a rank-4 view draws it).
    TensorView view = tensorView(tensor.dim() == 3 && tensor.size(0) == inputs.n ? tensor.unsqueeze(1) : tensor, name, caption);
    if (!view.shape.empty() && view.shape[0] == inputs.n)
        view.rowLabels = slotLabels(inputs);
    step.tensors.push_back(std::move(view));
}

// Mean |cosine| between two slots' channel vectors at the same pixel, over pixels and pairs of
// slots, of a [n, C, H, W] tensor; NaN for fewer than two slots.
double channelCosine(const torch::Tensor& maps)
{
    if (!maps.defined() || maps.dim() != 4 || maps.size(0) < 2)
        return std::nan("");
    const auto vectors = maps.flatten(2);
    const auto unit = vectors / vectors.norm(2, {1}, true).clamp_min(1e-12);
    double sum = 0.0;
    int pairs = 0;
    for (int64_t i = 0; i < unit.size(0); ++i)
        for (int64_t j = i + 1; j < unit.size(0); ++j, ++pairs)
            sum += (unit[i] * unit[j]).sum(0).abs().mean().item<double>();
    return sum / pairs;
}

// How much each bound channel map is one stem channel map moved along the channels rather
// than a blend of many: per slot and bound channel, the largest |cosine| to any stem channel
// map of the same slot, averaged. NaN where there is nothing to compare.
double channelMatch(const torch::Tensor& bound, const torch::Tensor& stem)
{
    if (!bound.defined() || !stem.defined() || bound.dim() != 4 || bound.sizes() != stem.sizes())
        return std::nan("");
    const auto unit = [](const torch::Tensor& maps) {
        const auto flat = maps.flatten(2); // [n, D, HW]
        return flat / flat.norm(2, {2}, true).clamp_min(1e-12);
    };
    const auto cosines = torch::matmul(unit(bound), unit(stem).transpose(1, 2)).abs(); // [n, D, D]
    return std::get<0>(cosines.max(2)).mean().item<double>();
}

std::string twoDecimals(double value)
{
    char text[16];
    std::snprintf(text, sizeof text, "%.2f", value);
    return text;
}

// The closing step is the same for both families: probabilities per slot, superposed and alone.
TourStep classifyStep(const TourInputs& inputs)
{
    TourStep step;
    step.id = "classify";
    step.title = "5. Classify";
    const auto& names = inputs.info->card.classNames;
    const auto name = [&](int64_t c) { return size_t(c) < names.size() ? names[size_t(c)] : std::to_string(c); };
    std::string lines;
    for (int i = 0; i < inputs.n; ++i) {
        const auto top = inputs.superposed[i].argmax().item<int64_t>();
        const auto topAlone = inputs.alone[i].argmax().item<int64_t>();
        lines += "\nSlot " + std::to_string(i + 1) + ": " + name(top) + " (" +
                 percent(inputs.superposed[i][top].item<double>()) + ") in superposition, " + name(topAlone) + " (" +
                 percent(inputs.alone[i][topAlone].item<double>()) + ") alone" + (top != topAlone ? "  <- differ" : "");
    }
    step.explanation = "The classifier turns each slot's unbound features into class probabilities, exactly as for "
                       "an input computed alone. The price of superposition is interference: the other inputs leak "
                       "into every slot, so the probabilities differ from those of the same input at N = 1." +
                       lines;
    add(step, inputs.superposed, "probabilities (superposed)", "class probabilities per slot, computed in superposition");
    add(step, inputs.alone, "probabilities (alone)", "class probabilities of the same inputs computed alone (N = 1)");
    // Slot-by-class matrices: each row and column says which slot and class it is.
    const auto slots = slotLabels(inputs);
    for (TensorView& view : step.tensors) {
        for (int64_t slot = 0; view.shape.size() == 2 && slot < view.shape[0]; ++slot)
            view.rowLabels.push_back(size_t(slot) < slots.size() ? slots[size_t(slot)] : "slot " + std::to_string(slot + 1));
        for (int64_t c = 0; view.shape.size() == 2 && c < view.shape[1]; ++c)
            view.columnLabels.push_back(name(c));
    }
    return step;
}

} // namespace

TensorView tensorView(const torch::Tensor& tensor, std::string name, std::string caption)
{
    TensorView view;
    view.name = std::move(name);
    view.caption = std::move(caption);
    const auto values = tensor.detach().to(torch::kCPU, torch::kFloat).contiguous();
    view.shape = values.sizes().vec();
    view.values.assign(values.data_ptr<float>(), values.data_ptr<float>() + values.numel());
    return view;
}

// The overview the tour starts with: the window draws the model's pipeline (stages, shapes,
// time) under it, and the steps that follow take the stages one by one.
TourStep pipelineStep(const TourInputs& inputs, const std::string& body)
{
    TourStep step;
    step.id = "pipeline";
    step.title = "The whole pipeline";
    const std::string count = std::to_string(inputs.n);
    step.explanation = body + " Below, this model's stages for your " + count + (inputs.n == 1 ? " input" : " inputs") +
                       ": a stack of cards is one tensor per input, a grey card one tensor for all of them; the bars "
                       "give each stage's share of the forward time. The next steps go through the stages.";
    return step;
}

std::vector<TourStep> convTour(const TourInputs& inputs)
{
    const auto& config = inputs.info->conv();
    const int n = inputs.n;
    const auto stem = find(inputs, "stem");
    const auto bound = find(inputs, "bound");
    const auto superposed = find(inputs, "superposed");
    const int64_t d = config.stemWidth;
    const std::string mapShape = stem.defined() ? shapeText(stem.sizes().slice(1).vec()) : "";
    std::vector<TourStep> steps;
    steps.push_back(pipelineStep(
        inputs, config.binding == ConvBinding::None
                    ? "A WideResNet computes every image on its own: this is the baseline a MIMOConv is compared with."
                    : "A MIMOConv computes " + std::to_string(n) + (n == 1 ? " image" : " images") +
                          " in one pass: each image's stem output is bound to a key, the bound maps are summed into "
                          "one tensor as wide as a single image's, the network's body processes that one tensor, and "
                          "a learned unbinding gives each image its own features back."));

    TourStep bind;
    bind.id = "bind";
    bind.title = "1. Bind";
    const std::string how =
        config.binding == ConvBinding::HRR
            ? "circularly convolves the " + std::to_string(d) + " values at every pixel with the key of the input's slot (" +
                  inputs.keysDescription + ")"
        : config.binding == ConvBinding::None
            ? "does nothing in this baseline, which computes one input at a time"
            : "multiplies the " + std::to_string(d) + " values at every pixel by the learned matrix of the input's slot "
              "(" + convBindingName(config.binding) + ")";
    const torch::Tensor boundMaps = bound.defined() ? bound[0] : bound;
    std::string effect;
    if (config.binding != ConvBinding::None) {
        // HRR and MBAT act on the channels of each pixel: the picture keeps its place.
        effect = " Binding acts along the channels only: every pixel stays in place, so each bound map still shows "
                 "its input.";
        const double before = channelCosine(stem.defined() ? stem.slice(0, 0, n) : stem);
        const double after = channelCosine(boundMaps);
        if (!std::isnan(before) && !std::isnan(after))
            effect += " At the same pixel, two slots' channel vectors have a mean |cosine| of " + twoDecimals(before) +
                      " before binding and " + twoDecimals(after) + " after" +
                      (after < before ? ": more nearly orthogonal, so they can share one tensor and still be told "
                                        "apart."
                                      : ": not more dissimilar here; the layers after the sum, trained with the keys, "
                                        "do the separating.");
    }
    // Random keys beside the trained ones, a step of their own so both are large enough to compare:
    // binding keeps the pixels in place with any key; what the keys decide is how the channels mix.
    TourStep randomKeys;
    const torch::Tensor slots = stem.defined() ? stem.slice(0, 0, n) : stem;
    if (config.binding == ConvBinding::HRR && slots.defined() && slots.dim() == 4 && slots.size(1) == d) {
        const auto random = vsa::makeKeys(KeyFamily::Gaussian, n, d, 1).to(slots.options());
        const auto randomBound = vsa::hrrBind(random.view({n, d, 1, 1}), slots, 1);
        const double trained = channelMatch(boundMaps, slots), blended = channelMatch(randomBound, slots);
        randomKeys.id = "random-keys";
        randomKeys.title = "1b. Trained or random keys";
        randomKeys.explanation =
            "Binding leaves every pixel in place whatever the key: the maps bound to the trained keys (" +
            inputs.keysDescription + ") and to random Gaussian keys (the classic HRR keys, seed 1) both still show "
            "their inputs. The keys decide how the channels mix.";
        if (!std::isnan(trained) && !std::isnan(blended))
            randomKeys.explanation +=
                " A bound channel map matches its closest stem channel map with a mean |cosine| of " +
                twoDecimals(trained) + " with the trained keys and " + twoDecimals(blended) + " with the random ones" +
                (trained > blended + 0.05 ? ": the trained keys mix the channels less."
                 : blended > trained + 0.05 ? ": the random keys mix the channels less."
                                            : ": both mix them about as much.");
        addPerSlot(randomKeys, inputs, boundMaps, "bound with the trained keys",
                   "each slot's stem output bound to its trained key");
        addPerSlot(randomKeys, inputs, randomBound, "bound with random keys",
                   "the same stem outputs bound to random Gaussian keys (seed 1)");
    }
    bind.explanation = "Each of the " + std::to_string(n) + " inputs passes the stem on its own (" + std::to_string(d) +
                       " channels per pixel, " + mapShape + "). Binding then " + how + "." + effect;
    addPerSlot(bind, inputs, inputs.inputs, "inputs", "what the model sees, one row per slot");
    addPerSlot(bind, inputs, stem.defined() ? stem.slice(0, 0, n) : stem, "stem",
               "stem output per slot: channels x height x width");
    addPerSlot(bind, inputs, inputs.keys, "keys", "the key of each slot (rows), length " + std::to_string(d));
    addPerSlot(bind, inputs, boundMaps, "bound", "each slot's stem output bound to its key: the same pixels, other channels");
    steps.push_back(bind);
    if (!randomKeys.id.empty())
        steps.push_back(randomKeys);

    TourStep superpose;
    superpose.id = "superpose";
    superpose.title = "2. Superpose";
    superpose.explanation =
        "The " + std::to_string(n) + " bound maps are added into one tensor of the size of a single input's (" +
        mapShape + "). From here on the network computes once for all " + std::to_string(n) +
        " inputs: this is where the speed-up of up to " + std::to_string(n) + "x comes from.";
    add(superpose, superposed.defined() ? superposed[0] : superposed, "superposed", "the sum of the bound maps");
    steps.push_back(superpose);

    TourStep process;
    process.id = "process";
    process.title = "3. Process";
    process.explanation = "The WideResNet stages (depth " + std::to_string(config.depth) + ", width factor " +
                          std::to_string(config.widthFactor) +
                          ") process the superposition as if it were one input. Every channel now mixes all " +
                          std::to_string(n) + " inputs; the network was trained to keep them separable.";
    for (int layer = 1; layer <= 3; ++layer) { // named as the views name layers: "Layer 1", …
        const auto t = find(inputs, "layer" + std::to_string(layer));
        const std::string title = "Layer " + std::to_string(layer);
        add(process, t.defined() ? t[0] : t, title, title + " output of the superposition");
    }
    steps.push_back(process);

    TourStep unbind;
    unbind.id = "unbind";
    unbind.title = "4. Unbind";
    const auto pooled = find(inputs, "pooled");
    const auto unbound = find(inputs, "unbound");
    unbind.explanation =
        "Global average pooling leaves one feature vector for the whole superposition (" +
        (pooled.defined() ? std::to_string(pooled.size(1)) : std::string("C")) +
        " values). The unbinding layer, learned with the keys, maps it back to one feature vector per slot: "
        "the network's estimate of what each input alone would have produced.";
    add(unbind, pooled.defined() ? pooled[0] : pooled, "pooled", "pooled features of the superposition");
    addPerSlot(unbind, inputs, unbound.defined() ? unbound.slice(0, 0, n) : unbound, "unbound",
               "features per slot after unbinding (rows: slots, columns: the " +
                   (unbound.defined() ? std::to_string(unbound.size(-1)) : std::string("C")) + " features)");
    steps.push_back(unbind);

    steps.push_back(classifyStep(inputs));
    return steps;
}

std::vector<TourStep> formerTour(const TourInputs& inputs, int gridM, int gridN)
{
    const auto& config = inputs.info->former();
    const int n = inputs.n;
    const bool mimo = config.attention != FormerAttention::Performer;
    const bool mlp = config.attention == FormerAttention::MimoMlp;
    const std::string grid = std::to_string(gridM) + " x " + std::to_string(gridN);
    const auto queries = find(inputs, "layer0.queries");
    std::vector<TourStep> steps;
    steps.push_back(pipelineStep(
        inputs, mimo ? "A MIMOFormer computes " + std::to_string(n) + " sequences on a " + grid +
                           " grid: in every layer each sequence's queries and keys are bound to keys and summed into "
                           "bundles, one attention computes on the bundles, and unbinding gives each sequence its own "
                           "output back."
                     : "A Performer computes every sequence on its own: this is the baseline a MIMOFormer is "
                       "compared with."));

    TourStep bind;
    bind.id = "bind";
    bind.title = "1. Bind";
    bind.explanation =
        "Every sequence is embedded (" + std::to_string(config.dim) + " values per token) and, in each attention "
        "layer, projected to queries, keys and values in " +
        std::to_string(config.heads) + " heads of " + std::to_string(config.headDim) + ". " +
        (mimo ? "MIMOFormer places the " + std::to_string(n) + " sequences on a " + grid +
                    " grid and binds them by elementwise product with bipolar keys (" + inputs.keysDescription +
                    "): queries with the key of their column, keys with the key of their row."
              : std::string("This Performer baseline binds nothing: it computes each sequence alone. Load a "
                            "MIMOFormer model to see binding."));
    // Token positions across: a sequence of hundreds of tokens is long, not tall, beside its slot.
    addPerSlot(bind, inputs, queries.defined() ? queries.slice(0, 0, n).select(1, 0).transpose(1, 2) : queries,
               "queries", "layer 1, head 1: queries per sequence (D_h x tokens)");
    addPerSlot(bind, inputs, inputs.keys, "keys", "the binding key of each sequence (rows), layer 1");
    steps.push_back(bind);

    TourStep superpose;
    superpose.id = "superpose";
    superpose.title = "2. Superpose";
    if (mlp) {
        const auto stream = find(inputs, "layer0.bundled_stream");
        superpose.explanation =
            "att.+MLP keeps the whole residual stream in superposition: the " + std::to_string(n) +
            " bound sequences are summed into " + std::to_string(gridN) +
            " bundles, and attention, MLP and residual all run on the bundles.";
        add(superpose, stream.defined() ? stream[0] : stream, "bundled stream", "layer 1: the bundles (tokens x d)");
    } else {
        const auto bq = find(inputs, "layer0.bundled_queries");
        const auto bk = find(inputs, "layer0.bundled_keys");
        superpose.explanation =
            mimo ? "Bound queries are summed over each column and bound keys over each row of the " + grid +
                       " grid, so attention is computed on " + std::to_string(gridN) + " query bundles against " +
                       std::to_string(gridM) + " key bundles instead of " + std::to_string(n) + " separate sequences."
                 : std::string("Nothing is summed: one sequence, one attention computation.");
        add(superpose, bq.defined() ? bq[0].select(1, 0) : bq, "bundled queries", "layer 1, head 1: query bundles");
        add(superpose, bk.defined() ? bk[0].select(1, 0) : bk, "bundled keys", "layer 1, head 1: key bundles");
    }
    steps.push_back(superpose);

    TourStep process;
    process.id = "process";
    process.title = "3. Process";
    const auto numerators = find(inputs, "layer0.attention_superposed");
    process.explanation =
        "Linear attention (FAVOR+, " + std::to_string(config.features) +
        " random features) runs on the bundles. Its cost grows with the number of bundles, not with the number of "
        "sequences: " +
        (mimo ? std::to_string(gridM) + " key bundles against " + std::to_string(gridN) + " query bundles for " +
                    std::to_string(n) + " sequences."
              : std::string("one sequence at a time here."));
    add(process, numerators.defined() ? numerators[0].select(1, 0) : numerators, "attention (superposed)",
        "layer 1, head 1: attention numerators per query bundle, before unbinding");
    steps.push_back(process);

    TourStep unbind;
    unbind.id = "unbind";
    unbind.title = "4. Unbind";
    const auto unbound = find(inputs, "layer0.attention_unbound");
    const auto pooled = find(inputs, "pooled");
    unbind.explanation =
        mimo ? "Multiplying by a sequence's key again (bipolar keys are their own inverse) recovers its attention "
               "output, plus interference from the other sequences that shared its bundles. After the last layer, "
               "each sequence is pooled and classified on its own."
             : std::string("Nothing to unbind: the attention output belongs to the one sequence.");
    addPerSlot(unbind, inputs, unbound.defined() ? unbound.slice(0, 0, n).select(1, 0).transpose(1, 2) : unbound,
               "attention (unbound)", "layer 1, head 1: attention output per sequence (D_h x tokens)");
    addPerSlot(unbind, inputs, pooled.defined() ? pooled.slice(0, 0, n) : pooled, "pooled",
               "pooled features per sequence (rows: sequences, columns: features)");
    steps.push_back(unbind);

    steps.push_back(classifyStep(inputs));
    return steps;
}

} // namespace mimo
