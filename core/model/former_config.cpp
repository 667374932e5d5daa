#include "core/model/former_config.h"

#include "core/errors.h"

#include <nlohmann/json.hpp>

namespace mimo {

int MimoFormerConfig::positionRows() const
{
    int rows = 1;
    while (rows < maxLength)
        rows *= 2;
    return rows;
}

void MimoFormerConfig::validate() const
{
    const auto require = [](bool ok, const std::string& message) {
        if (!ok)
            throw Error("model config: " + message);
    };
    require(vocabularySize >= 2, "vocabulary size must be at least 2");
    require(maxLength >= 1, "maximum length must be positive");
    require(dim >= 1 && ffDim >= 1 && heads >= 1 && headDim >= 1 && layers >= 1, "sizes must be positive");
    require(numClasses >= 2, "need at least 2 classes");
    require(features >= 1, "need at least one random feature");
    require(gridM >= 1 && gridN >= 1, "M and N must be at least 1");
    require(attention != FormerAttention::Performer || (gridM == 1 && gridN == 1),
            "the Performer baseline has M = N = 1");
    require(dropout >= 0.0 && dropout < 1.0, "dropout must be in [0, 1)");
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
                          {"buffer_seed", c.bufferSeed}}
        .dump(2);
}

MimoFormerConfig formerConfigFromJson(const std::string& text)
{
    MimoFormerConfig c;
    try {
        const auto in = nlohmann::json::parse(text);
        if (in.at("architecture").get<std::string>() != "mimoformer")
            throw Error("model config: architecture '" + in.at("architecture").get<std::string>() + "' is not mimoformer");
        c.vocabularySize = in.at("vocabulary_size").get<int>();
        c.maxLength = in.at("max_length").get<int>();
        c.dim = in.at("dim").get<int>();
        c.ffDim = in.at("ff_dim").get<int>();
        c.heads = in.at("heads").get<int>();
        c.headDim = in.at("head_dim").get<int>();
        c.layers = in.at("layers").get<int>();
        c.numClasses = in.at("num_classes").get<int>();
        c.features = in.at("features").get<int>();
        const auto attention = in.at("attention").get<std::string>();
        if (attention == "performer")
            c.attention = FormerAttention::Performer;
        else if (attention == "mimo-att")
            c.attention = FormerAttention::Mimo;
        else if (attention == "mimo-att-mlp")
            c.attention = FormerAttention::MimoMlp;
        else
            throw Error("model config: unknown attention '" + attention + "'");
        c.gridM = in.at("grid_m").get<int>();
        c.gridN = in.at("grid_n").get<int>();
        c.dropout = in.at("dropout").get<double>();
        c.dualHead = in.at("dual_head").get<bool>();
        c.bufferSeed = in.at("buffer_seed").get<uint64_t>();
    } catch (const nlohmann::json::exception& error) {
        throw Error(std::string("model config: ") + error.what());
    }
    c.validate();
    return c;
}

} // namespace mimo
