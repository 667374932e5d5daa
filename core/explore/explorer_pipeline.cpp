// The pipeline view's computation: the loaded model's stages, read from its configuration, with
// the shapes of one captured pass over the current inputs and the time of each stage, measured
// stage by stage on the model's device the way `mimo bench --breakdown` measures it.
#include "core/explore/engine_impl.h"

#include "core/errors.h"
#include "core/eval/round_statistics.h"
#include "core/model/stage_clock.h"
#include "core/model/torch_device.h"

#include <torch/torch.h>

#include <algorithm>
#include <functional>
#include <map>
#include <tuple>

namespace mimo {
namespace {

using Shapes = std::map<std::string, std::vector<int64_t>>;

Shapes shapesOf(const std::vector<std::pair<std::string, torch::Tensor>>& intermediates)
{
    Shapes shapes;
    for (const auto& [name, tensor] : intermediates)
        shapes.emplace(name, tensor.sizes().vec()); // the first document of a two-document model
    return shapes;
}

// The shape of one item of `name`, whose first `leading` axes count the items.
std::vector<int64_t> itemShape(const Shapes& shapes, const std::string& name, size_t leading = 1)
{
    const auto found = shapes.find(name);
    if (found == shapes.end() || found->second.size() < leading)
        throw Error("the model did not capture '" + name + "'");
    return std::vector<int64_t>(found->second.begin() + std::ptrdiff_t(leading), found->second.end());
}

int64_t axis(const Shapes& shapes, const std::string& name, size_t index)
{
    const auto found = shapes.find(name);
    if (found == shapes.end() || found->second.size() <= index)
        throw Error("the model did not capture '" + name + "'");
    return found->second[index];
}

std::string str(int64_t value) { return std::to_string(value); }

// Builds the stage list and the timed spans over it.
class Stages {
public:
    explicit Stages(PipelineReport& report) : report_(report) {}

    PipelineStage& add(std::string id, std::string title, std::string operation, int copies,
                       std::vector<int64_t> shape, std::string meaning, std::string opens = {})
    {
        PipelineStage stage;
        stage.id = std::move(id);
        stage.title = std::move(title);
        stage.operation = std::move(operation);
        stage.group = group_;
        stage.copies = copies;
        stage.shape = std::move(shape);
        stage.shapeMeaning = std::move(meaning);
        stage.opens = std::move(opens);
        report_.stages.push_back(std::move(stage));
        return report_.stages.back();
    }
    // The stages added since `first` run as one timed step made of `laps`.
    void time(size_t first, std::vector<std::string> laps)
    {
        PipelineTiming timing;
        timing.firstStage = int(first);
        timing.lastStage = int(report_.stages.size()) - 1;
        timing.laps = std::move(laps);
        for (int s = timing.firstStage; s <= timing.lastStage; ++s)
            report_.stages[size_t(s)].timing = int(report_.timings.size());
        report_.timings.push_back(std::move(timing));
    }
    size_t next() const { return report_.stages.size(); }
    void setGroup(std::string group) { group_ = std::move(group); }

private:
    PipelineReport& report_;
    std::string group_;
};

void convStages(PipelineReport& report, const MimoConvConfig& config, const Shapes& shapes, int n)
{
    Stages stages(report);
    const bool bound = config.binding != ConvBinding::None;
    const int64_t d = config.stemWidth;
    const std::string spatial = "channels x height x width";
    stages.add("inputs", "Inputs", str(n) + (n == 1 ? " image" : " images") + ", normalised", n,
               {config.input.channels, config.input.height, config.input.width}, spatial);

    size_t first = stages.next();
    stages.add("stem", "Stem",
               "3x3 convolution, " + str(config.input.channels) + " -> " + str(d) +
                   " channels, batch norm, ReLU; each input on its own",
               n, itemShape(shapes, "stem"), spatial, "activations:Binding step:Stem outputs");
    if (!bound) {
        stages.time(first, {"stem (per input)", "binding + superposition"}); // the baseline binds nothing
    } else {
        stages.time(first, {"stem (per input)"});
        const int repeats = config.capacity / n;
        const bool hrr = config.binding == ConvBinding::HRR;
        first = stages.next();
        const std::string perInput = repeats > 1 ? ", " + str(repeats) + " per input (summed)" : std::string();
        stages.add("keys", "Keys",
                   hrr ? "one key per slot, a vector of D = " + str(d) + " (" + report.keys + ")" + perInput
                       : "one " + str(d) + " x " + str(d) + " matrix per slot (MBAT)" + perInput,
                   n, hrr ? std::vector<int64_t>{d} : std::vector<int64_t>{d, d}, hrr ? "D" : "D x D",
                   "activations:Binding step:Keys");
        stages.add("binding", "Binding",
                   hrr ? "circular convolution of each pixel's " + str(d) +
                             " channels with its slot's key: along the channels, every pixel keeps its place"
                       : "each pixel's " + str(d) + " channels times its slot's matrix",
                   n, itemShape(shapes, "bound", 2), spatial, "activations:Binding step:Bound inputs");
        auto& sum = stages.add("superposition", "Superposition",
                               "the " + str(n) + " bound inputs summed: one tensor, as wide as one input", 1,
                               itemShape(shapes, "superposed"), spatial, "activations:superposed");
        sum.superposed = true;
        stages.time(first, {"binding + superposition"}); // one matrix product does both
    }
    const auto widths = config.stageWidths();
    for (int s = 0; s < 3; ++s) {
        const std::string layer = "layer" + str(s + 1);
        first = stages.next();
        auto& stage = stages.add(layer, "Stage " + str(s + 1),
                                 str(config.blocksPerStage()) + " residual block" +
                                     (config.blocksPerStage() == 1 ? "" : "s") + " of 3x3 convolutions, " +
                                     str(widths[size_t(s)]) + " channels" + (s > 0 ? ", stride 2" : "") +
                                     (bound ? "; all inputs in one pass" : ""),
                                 bound ? 1 : n, itemShape(shapes, layer), spatial, "activations:" + layer);
        stage.superposed = bound;
        stages.time(first, {"stage " + str(s + 1)});
    }
    first = stages.next();
    auto& pool = stages.add("pooling", "Pooling", "global average over height and width", bound ? 1 : n,
                            itemShape(shapes, "pooled"), "features");
    pool.superposed = bound;
    if (bound) {
        stages.time(first, {"pooling"});
        first = stages.next();
        const int repeats = config.capacity / n;
        stages.add("unbinding", "Unbinding",
                   "learned: a 1x1 convolution to " + str(config.capacity) + " x " + str(config.featureWidth()) +
                       " features and ReLU, one block per slot" +
                       (repeats > 1 ? ", averaged over each input's " + str(repeats) + " slots" : std::string()),
                   n, itemShape(shapes, "unbound"), "features", "interference");
        stages.time(first, {"unbinding"});
    } else {
        stages.time(first, {"pooling", "unbinding"});
    }
    first = stages.next();
    stages.add("classifier", "Classifier",
               "linear, " + str(config.featureWidth()) + " -> " + str(config.numClasses) + " classes, for each input",
               n, {config.numClasses}, "class scores", "interference");
    stages.time(first, {"classifier"});
}

void formerStages(PipelineReport& report, const MimoFormerConfig& config, const Shapes& shapes, int n,
                  std::pair<int, int> grid)
{
    Stages stages(report);
    const auto [gridM, gridN] = grid;
    const int64_t length = axis(shapes, "layer0.queries", 2);
    const std::string sequence = "positions x d";
    stages.add("tokens", "Tokens",
               str(n) + (n == 1 ? " sequence" : " sequences") + " of token ids, padded with 0 to " + str(length) +
                   " positions (padding is masked)",
               n, {length}, "positions");
    size_t first = stages.next();
    stages.add("embedding", "Embedding", "token and position embeddings, d = " + str(config.dim), n,
               {length, config.dim}, sequence);
    stages.time(first, {"embeddings"});
    const bool performer = config.attention == FormerAttention::Performer;
    const bool bundledStream = config.attention == FormerAttention::MimoMlp;
    const std::string heads = "heads x positions x D_h";
    for (int i = 0; i < config.layers; ++i) {
        const std::string prefix = "layer" + str(i), lap = "layer " + str(i + 1) + " ", id = "layer" + str(i + 1) + ".";
        const std::string opens = "attention:" + str(i);
        stages.setGroup("Layer " + str(i + 1));
        first = stages.next();
        stages.add(id + "qkv", "Q, K, V",
                   "layer norm, then queries, keys and values: " + str(config.heads) + " heads of D_h = " +
                       str(config.headDim) + " each",
                   n, itemShape(shapes, prefix + ".queries"), heads + " (each of Q, K, V)", opens);
        stages.time(first, {lap + "norm 1", lap + "QKV projections"});
        first = stages.next();
        if (performer) {
            stages.add(id + "attention", "Attention (FAVOR+)",
                       "linear attention with " + str(config.features) + " random features, each sequence alone", n,
                       itemShape(shapes, prefix + ".attention_unbound"), heads, opens);
        } else {
            // att. captures its bundles; att.+MLP computes the same ones without keeping them.
            const std::vector<int64_t> perHead{config.heads, length, config.headDim};
            const auto counted = [&](const std::string& name, int64_t otherwise) {
                return shapes.count(prefix + name) ? axis(shapes, prefix + name, 1) : otherwise;
            };
            const auto shaped = [&](const std::string& name) {
                return shapes.count(prefix + name) ? itemShape(shapes, prefix + name, 2) : perHead;
            };
            const int64_t queryBundles = counted(".bundled_queries", gridN);
            const int64_t keyBundles = counted(".bundled_keys", gridM);
            auto& bind = stages.add(
                id + "binding", "Binding with the keys",
                "each sequence's queries and keys times its bipolar key (length D_h = " + str(config.headDim) +
                    "); queries summed over the grid's " + str(gridM) + " rows into " + str(queryBundles) +
                    " bundles, keys and values over its " + str(gridN) + " columns into " + str(keyBundles),
                int(queryBundles), shaped(".bundled_queries"),
                heads + " per query bundle (" + str(keyBundles) + " key bundles alike)", opens);
            bind.superposed = true;
            auto& attend = stages.add(id + "attention", "Attention in superposition",
                                      "FAVOR+ with " + str(config.features) + " random features on the " + str(gridM) +
                                          " x " + str(gridN) + " grid: each query bundle attends to every key bundle",
                                      int(counted(".attention_superposed", gridN)),
                                      shaped(".attention_superposed"), heads, opens);
            attend.superposed = true;
            if (!bundledStream)
                stages.add(id + "unbinding", "Unbinding",
                           "each sequence's output recovered with its own key, normalised per key bundle", n,
                           itemShape(shapes, prefix + ".attention_unbound"), heads, opens);
        }
        stages.time(first, {lap + "attention kernel"}); // binding, attention and unbinding: one kernel
        first = stages.next();
        if (bundledStream) {
            const auto bundle = itemShape(shapes, prefix + ".bundled_stream", 2);
            auto& out = stages.add(id + "projection", "Output projection",
                                   "heads joined, linear d -> d, plus the residual stream bound with the embedding "
                                   "keys and summed into the same bundles",
                                   int(axis(shapes, prefix + ".bundled_stream", 1)), bundle, sequence);
            out.superposed = true;
            stages.time(first, {lap + "output projection"});
            first = stages.next();
            auto& mlp = stages.add(id + "mlp", "MLP on the bundles",
                                   "layer norm, d -> " + str(config.ffDim) + " -> d with ReLU, plus residual",
                                   out.copies, bundle, sequence);
            mlp.superposed = true;
            stages.time(first, {lap + "norm 2", lap + "MLP"});
            first = stages.next();
            stages.add(id + "unbinding", "Unbinding", "each sequence retrieved from its bundle with its embedding key",
                       n, {length, config.dim}, sequence);
            stages.time(first, {lap + "residual binding"});
        } else {
            stages.add(id + "projection", "Output projection", "heads joined, linear d -> d, plus residual", n,
                       {length, config.dim}, sequence);
            stages.time(first, {lap + "output projection"});
            first = stages.next();
            stages.add(id + "mlp", "MLP", "layer norm, d -> " + str(config.ffDim) + " -> d with ReLU, plus residual", n,
                       {length, config.dim}, sequence);
            stages.time(first, {lap + "norm 2", lap + "MLP"});
        }
    }
    stages.setGroup("");
    first = stages.next();
    stages.add("pooling", "Pooling", "final layer norm, mean over the positions", n, itemShape(shapes, "pooled"),
               "d");
    stages.time(first, {"final norm + pooling"});
    first = stages.next();
    stages.add("classifier", "Classifier",
               "MLP head, d -> " + str(config.ffDim) + " -> " + str(config.numClasses) + " classes, for each sequence",
               n, {config.numClasses}, "class scores", "interference");
    stages.time(first, {"classification head"});
}

// Every timed span's share of each round, the pass's median time and its spread.
void summariseRounds(PipelineReport& report, const std::vector<StageRound>& rounds)
{
    std::vector<std::vector<std::string>> groups;
    for (const auto& timing : report.timings)
        groups.push_back(timing.laps);
    const auto timings = groupTimings(rounds, groups);
    for (size_t i = 0; i < timings.size(); ++i) {
        auto& timing = report.timings[i];
        timing.milliseconds = 1000.0 * timings[i].seconds;
        timing.share = timings[i].share;
        timing.shareLow = timings[i].shareLow;
        timing.shareHigh = timings[i].shareHigh;
    }
    std::vector<double> passes;
    for (const auto& round : rounds) {
        double total = 0.0;
        for (const auto& stage : round)
            total += stage.second;
        passes.push_back(1000.0 * total);
    }
    report.passMilliseconds = median(passes);
    std::tie(report.passLow, report.passHigh) = spreadAround(passes, report.passMilliseconds);
    // A lap no span claims would make the shares sum to less than the pass: a model change
    // that renamed a stage must show here, not as a quietly wrong figure.
    for (const auto& round : rounds)
        for (const auto& [stage, seconds] : round) {
            bool claimed = false;
            for (const auto& group : groups)
                claimed = claimed || std::find(group.begin(), group.end(), stage) != group.end();
            if (!claimed)
                throw Error("the pipeline has no stage for the timed step '" + stage + "'");
        }
}

} // namespace

PipelineReport ExplorerEngine::pipeline(const RunRequest& request, int rounds)
{
    Impl& d = *impl_;
    d.checkRequest(request);
    if (rounds < 1)
        throw Error("the pipeline needs at least one timed round");
    torch::InferenceMode inference;
    const ModelInfo& info = d.info();
    PipelineReport report;
    report.model = info.describe();
    if (d.model->isConv())
        report.family = info.conv().binding == ConvBinding::None ? "WideResNet" : "MIMOConv";
    else
        report.family = info.former().attention == FormerAttention::Performer ? "Performer" : "MIMOFormer";
    report.n = request.n;
    report.keys = request.keys.describe();
    report.device = d.summary.device;
    for (const auto& input : request.inputs)
        report.inputs.push_back(input.name);
    const auto device = d.device();
    std::function<void(StageClock*)> pass;
    if (d.model->isConv()) {
        const auto batch = d.imageBatch(request.inputs);
        report.grid = "N_cap=" + std::to_string(info.conv().capacity) + ", N=" + std::to_string(request.n);
        convStages(report, info.conv(), shapesOf(d.convForward(batch, request.n, true).intermediates), request.n);
        pass = [&d, batch, n = request.n](StageClock* clock) {
            auto options = d.convOptions(n);
            options.clock = clock;
            d.model->conv()->forward(batch, options);
        };
    } else {
        const auto tokens = d.tokenBatch(request.inputs);
        const auto grid = info.former().gridFor(request.n);
        report.grid = std::to_string(grid.first) + " x " + std::to_string(grid.second) + " grid";
        formerStages(report, info.former(), shapesOf(d.formerForward(tokens, grid, true).intermediates), request.n,
                     grid);
        pass = [&d, tokens, grid](StageClock* clock) {
            auto options = d.formerOptions(grid);
            options.clock = clock;
            d.model->former()->forward(tokens, options);
        };
    }
    pass(nullptr); // warm-up: first-call allocations are not the model's time
    std::vector<StageRound> timed;
    for (int r = 0; r < rounds; ++r) {
        StageClock clock([&device] { synchronizeDevice(device); });
        pass(&clock);
        timed.push_back(clock.totals());
    }
    report.rounds = rounds;
    summariseRounds(report, timed);
    return report;
}

} // namespace mimo
