#include "core/model/former_config.h"

#include "core/errors.h"
#include "core/numbers.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace mimo {

int MimoFormerConfig::positionRows() const
{
    int rows = 1;
    while (rows < maxLength)
        rows *= 2;
    return rows;
}

std::vector<int> MimoFormerConfig::supportedN() const
{
    std::vector<int> counts;
    for (int m = 1; m <= gridM; ++m)
        for (int n = 1; n <= gridN; ++n)
            if (std::find(counts.begin(), counts.end(), m * n) == counts.end())
                counts.push_back(m * n);
    std::sort(counts.begin(), counts.end());
    return counts;
}

bool MimoFormerConfig::supportsN(int count) const
{
    const auto counts = supportedN();
    return std::find(counts.begin(), counts.end(), count) != counts.end();
}

std::pair<int, int> MimoFormerConfig::gridFor(int count) const
{
    std::pair<int, int> best{0, 0};
    for (int m = 1; m <= gridM && count >= 1; ++m) {
        if (count % m != 0 || count / m > gridN)
            continue;
        const int n = count / m;
        if (best.first == 0 || std::abs(m - n) < std::abs(best.first - best.second) ||
            (std::abs(m - n) == std::abs(best.first - best.second) && m > best.first))
            best = {m, n};
    }
    if (best.first == 0) {
        std::string served;
        for (int c : supportedN())
            served += (served.empty() ? "" : ", ") + std::to_string(c);
        throw Error(describe() + " cannot compute " + std::to_string(count) + " sequences in superposition (it serves N = " +
                    served + ")");
    }
    return best;
}

int64_t MimoFormerConfig::parameterCount() const
{
    // Embeddings, per layer the norms, Q/K/V/output projections, the fixed random features and
    // keys and the MLP, then the final norm and the head; int64 does not overflow within the
    // bounds validate() checks first.
    const int64_t d = dim, inner = int64_t(heads) * headDim, ff = ffDim, grid = int64_t(gridM) * gridN;
    const int64_t perLayer = 4 * d + 3 * (d * inner + inner) + inner * d + d + int64_t(features) * headDim +
                             grid * (headDim + d) + d * ff + ff + ff * d + d;
    const int64_t headInput = dualHead ? 4 * d : d;
    return (int64_t(vocabularySize) + positionRows()) * d + layers * perLayer + 2 * d + headInput * ff + ff +
           ff * numClasses + numClasses;
}

void MimoFormerConfig::validate() const
{
    const auto require = [](bool ok, const std::string& message) {
        if (!ok)
            throw Error("model config: " + message);
    };
    const auto range = [](int value, int lowest, int highest, const char* field) {
        if (value < lowest || value > highest)
            throw Error("model config: field '" + std::string(field) + "' must be from " + std::to_string(lowest) +
                        " to " + std::to_string(highest) + ", got " + std::to_string(value));
    };
    range(vocabularySize, 2, kMaxFormerVocabulary, "vocabulary_size");
    range(maxLength, 1, kMaxFormerLength, "max_length");
    range(dim, 1, kMaxFormerDim, "dim");
    range(ffDim, 1, kMaxFormerFfDim, "ff_dim");
    range(heads, 1, kMaxFormerHeads, "heads");
    range(headDim, 1, kMaxFormerHeadDim, "head_dim");
    range(layers, 1, kMaxFormerLayers, "layers");
    range(numClasses, 2, kMaxModelClasses, "num_classes");
    range(features, 1, kMaxFormerFeatures, "features");
    range(gridM, 1, kMaxFormerGrid, "grid_m");
    range(gridN, 1, kMaxFormerGrid, "grid_n");
    range(imageHeight, 0, kMaxFormerLength, "image_height");
    range(imageWidth, 0, kMaxFormerLength, "image_width");
    require(attention != FormerAttention::Performer || (gridM == 1 && gridN == 1),
            "the Performer baseline has M = N = 1 (fields 'grid_m' and 'grid_n')");
    require(dropout >= 0.0 && dropout < 1.0, "field 'dropout' must be in [0, 1)");
    require(inputKind == "tokens" || inputKind == "listops" || inputKind == "text" || inputKind == "pixels",
            "field 'input_kind' must be tokens, listops, text or pixels");
    // Mean pooling divides by the padded length, so a pixel model must read exactly H*W tokens
    // everywhere (training, evaluation, a dropped image).
    require(inputKind != "pixels" ||
                (imageHeight >= 1 && imageWidth >= 1 && int64_t(imageHeight) * imageWidth == maxLength),
            "a pixel-sequence model reads exactly image_height x image_width tokens (its max_length must equal the "
            "pixel count)");
    require(parameterCount() <= kMaxModelParameters,
            describe() + " has " + std::to_string(parameterCount()) + " parameters, more than the " +
                std::to_string(kMaxModelParameters) + " this program builds");
}

std::string formerAttentionName(FormerAttention attention)
{
    switch (attention) {
    case FormerAttention::Performer: return "performer";
    case FormerAttention::Mimo: return "mimo-att";
    case FormerAttention::MimoMlp: return "mimo-att-mlp";
    }
    return "unknown";
}

FormerAttention formerAttentionFromName(const std::string& name)
{
    if (name == "performer")
        return FormerAttention::Performer;
    if (name == "mimo-att" || name == "mimo")
        return FormerAttention::Mimo;
    if (name == "mimo-att-mlp" || name == "mimo-mlp")
        return FormerAttention::MimoMlp;
    throw Error("unknown attention '" + name + "' (performer, mimo-att or mimo-att-mlp)");
}

namespace {

struct FormerTask {
    const char* name;
    MimoFormerConfig base;
    int mimoGrid; // M = N of the "mimo" variant
};

MimoFormerConfig sized(int vocabulary, int length, int dim, int ff, int heads, int headDim, int layers, int classes,
                       const char* kind, int imageSide = 0)
{
    MimoFormerConfig c;
    c.vocabularySize = vocabulary;
    c.maxLength = length;
    c.dim = dim;
    c.ffDim = ff;
    c.heads = heads;
    c.headDim = headDim;
    c.layers = layers;
    c.numClasses = classes;
    c.features = 256;
    c.inputKind = kind;
    c.imageHeight = c.imageWidth = imageSide;
    return c;
}

const std::vector<FormerTask>& formerTasks()
{
    static const std::vector<FormerTask> tasks{
        {"listops-short", sized(16, 256, 64, 128, 2, 32, 2, 10, "listops"), 2},
        {"fmnist-seq", sized(256, 196, 64, 128, 2, 32, 2, 10, "pixels", 14), 2},
        {"lra-listops", sized(16, 2000, 512, 2048, 48, 64, 1, 10, "listops"), 4},
        {"lra-image", sized(256, 1024, 64, 128, 12, 64, 1, 10, "pixels", 32), 4},
        {"lra-text", sized(257, 1000, 512, 2048, 8, 64, 6, 2, "text"), 4},
    };
    return tasks;
}

} // namespace

std::vector<std::string> formerPresetNames()
{
    std::vector<std::string> names;
    for (const auto& task : formerTasks())
        for (const char* variant : {"performer", "mimo", "mimo-mlp"})
            names.push_back(std::string(task.name) + "-" + variant);
    return names;
}

MimoFormerConfig formerPreset(const std::string& name)
{
    for (const auto& task : formerTasks()) {
        const std::string prefix = std::string(task.name) + "-";
        if (name.compare(0, prefix.size(), prefix) != 0)
            continue;
        const std::string variant = name.substr(prefix.size());
        if (variant != "performer" && variant != "mimo" && variant != "mimo-mlp")
            continue;
        MimoFormerConfig c = task.base;
        c.attention = formerAttentionFromName(variant);
        // att.+MLP uses M = N = 2 in the official configuration (docs/mimonets.md 3.8).
        const int grid = c.attention == FormerAttention::Performer ? 1
                         : c.attention == FormerAttention::MimoMlp ? 2
                                                                   : task.mimoGrid;
        c.gridM = c.gridN = grid;
        c.validate();
        return c;
    }
    std::string known;
    for (const auto& preset : formerPresetNames())
        known += (known.empty() ? "" : ", ") + preset;
    throw Error("unknown MIMOFormer preset '" + name + "'; known: " + known);
}

std::string MimoFormerConfig::describe() const
{
    const std::string family = attention == FormerAttention::Performer ? "Performer" : "MIMOFormer";
    std::string text = family + " (" + formerAttentionName(attention);
    if (attention != FormerAttention::Performer)
        text += ", M=" + std::to_string(gridM) + ", N=" + std::to_string(gridN);
    return text + ", d=" + std::to_string(dim) + ", " + std::to_string(layers) + " layer(s), " + std::to_string(heads) +
           "x" + std::to_string(headDim) + " heads, R=" + std::to_string(features) + ", L<=" + std::to_string(maxLength) +
           ")";
}

std::string toJson(const MimoFormerConfig& c)
{
    return nlohmann::json{{"architecture", "mimoformer"}, {"vocabulary_size", c.vocabularySize},
                          {"max_length", c.maxLength},    {"dim", c.dim},
                          {"ff_dim", c.ffDim},            {"heads", c.heads},
                          {"head_dim", c.headDim},        {"layers", c.layers},
                          {"num_classes", c.numClasses},  {"features", c.features},
                          {"attention", formerAttentionName(c.attention)},
                          {"grid_m", c.gridM},            {"grid_n", c.gridN},
                          {"dropout", c.dropout},         {"dual_head", c.dualHead},
                          {"buffer_seed", c.bufferSeed},  {"input_kind", c.inputKind},
                          {"image_height", c.imageHeight}, {"image_width", c.imageWidth}}
        .dump(2);
}

namespace {

template <typename T>
T number(const nlohmann::json& in, const char* name)
{
    if (!in.contains(name))
        throw Error(std::string("model config: missing field '") + name + "'");
    const auto whole = wholeNumber<T>(in.at(name));
    if (!whole)
        throw Error(std::string("model config: field '") + name + "' must be a whole number of at most " +
                    std::to_string(std::numeric_limits<T>::max()) + ", got " + jsonValueText(in.at(name)));
    return *whole;
}

} // namespace

MimoFormerConfig formerConfigFromJson(const std::string& text)
{
    MimoFormerConfig c;
    try {
        const auto in = nlohmann::json::parse(text);
        if (!in.is_object())
            throw Error("model config: not a JSON object");
        if (in.at("architecture").get<std::string>() != "mimoformer")
            throw Error("model config: architecture '" + in.at("architecture").get<std::string>() + "' is not mimoformer");
        c.vocabularySize = number<int>(in, "vocabulary_size");
        c.maxLength = number<int>(in, "max_length");
        c.dim = number<int>(in, "dim");
        c.ffDim = number<int>(in, "ff_dim");
        c.heads = number<int>(in, "heads");
        c.headDim = number<int>(in, "head_dim");
        c.layers = number<int>(in, "layers");
        c.numClasses = number<int>(in, "num_classes");
        c.features = number<int>(in, "features");
        c.attention = formerAttentionFromName(in.at("attention").get<std::string>());
        c.gridM = number<int>(in, "grid_m");
        c.gridN = number<int>(in, "grid_n");
        c.dropout = in.at("dropout").get<double>();
        c.dualHead = in.at("dual_head").get<bool>();
        c.bufferSeed = number<uint64_t>(in, "buffer_seed");
        c.inputKind = in.value("input_kind", std::string("tokens"));
        c.imageHeight = in.contains("image_height") ? number<int>(in, "image_height") : 0;
        c.imageWidth = in.contains("image_width") ? number<int>(in, "image_width") : 0;
    } catch (const nlohmann::json::exception& error) {
        throw Error(std::string("model config: ") + error.what());
    }
    c.validate();
    return c;
}

} // namespace mimo
