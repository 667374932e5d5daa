#include "core/model/conv_config.h"

#include "core/errors.h"
#include "core/numbers.h"

#include <nlohmann/json.hpp>

#include <limits>
#include <map>
#include <type_traits>

namespace mimo {
namespace {

using nlohmann::json;

const std::map<std::string, AspectMode> kAspectNames{
    {"stretch", AspectMode::Stretch}, {"center-crop", AspectMode::CenterCrop}, {"letterbox", AspectMode::Letterbox}};
const std::map<std::string, InvertMode> kInvertNames{
    {"never", InvertMode::Never}, {"always", InvertMode::Always}, {"if-light-background", InvertMode::IfLightBackground}};

template <typename Enum>
std::string nameOf(const std::map<std::string, Enum>& names, Enum value)
{
    for (const auto& [name, v] : names)
        if (v == value)
            return name;
    return "unknown";
}

template <typename Enum>
Enum valueOf(const std::map<std::string, Enum>& names, const std::string& name, const std::string& field)
{
    const auto it = names.find(name);
    if (it == names.end())
        throw Error("model config: unknown " + field + " '" + name + "'");
    return it->second;
}

template <typename T>
T field(const json& object, const std::string& name)
{
    if (!object.is_object())
        throw Error("model config: '" + name + "' is looked up in something that is not a JSON object");
    if (!object.contains(name))
        throw Error("model config: missing field '" + name + "'");
    const json& value = object.at(name);
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        const auto whole = wholeNumber<T>(value);
        if (!whole)
            throw Error("model config: field '" + name + "' must be a whole number of at most " +
                        std::to_string(std::numeric_limits<T>::max()) + ", got " + jsonValueText(value));
        return *whole;
    } else {
        try {
            return value.get<T>();
        } catch (const json::exception&) {
            throw Error("model config: field '" + name + "' has the wrong type (" + std::string(value.type_name()) +
                        ", got " + jsonValueText(value) + ")");
        }
    }
}

ImageInputSpec mnistLikeInput(float mean, float stddev)
{
    ImageInputSpec input;
    input.channels = 1;
    input.height = input.width = 28;
    input.mean = {mean};
    input.stddev = {stddev};
    input.aspect = AspectMode::Letterbox;
    input.invert = InvertMode::IfLightBackground;
    return input;
}

ImageInputSpec cifarInput()
{
    ImageInputSpec input;
    input.channels = 3;
    input.height = input.width = 32;
    input.mean = {0.4914f, 0.4822f, 0.4465f};
    input.stddev = {0.2470f, 0.2435f, 0.2616f};
    input.aspect = AspectMode::CenterCrop;
    return input;
}

} // namespace

std::string convBindingName(ConvBinding binding)
{
    switch (binding) {
    case ConvBinding::HRR: return "HRR";
    case ConvBinding::MBAT: return "MBAT";
    case ConvBinding::None: return "None";
    }
    return "unknown";
}

std::string convActivationName(ConvActivation activation)
{
    return activation == ConvActivation::PReLU ? "prelu" : "relu";
}

std::vector<int> MimoConvConfig::supportedN() const
{
    std::vector<int> values;
    for (int n = 1; n <= capacity; ++n)
        if (capacity % n == 0)
            values.push_back(n);
    return values;
}

bool MimoConvConfig::supportsN(int n) const { return n >= 1 && n <= capacity && capacity % n == 0; }

int64_t MimoConvConfig::parameterCount() const
{
    // Stem, the three stages of basic blocks (two 3x3 convolutions and batch norms, a 1x1
    // shortcut where the width changes), the keys and the classifier; int64 does not overflow
    // within the bounds validate() checks first.
    int64_t count = int64_t(input.channels) * stemWidth * 9 + 2 * int64_t(stemWidth);
    int64_t in = stemWidth;
    for (int64_t width : stageWidths()) {
        for (int block = 0; block < blocksPerStage(); ++block) {
            count += in * width * 9 + width * width * 9 + 4 * (in + width) + (in != width ? in * width : 0);
            in = width;
        }
    }
    return count + int64_t(capacity) * stemWidth + in * numClasses + numClasses;
}

void MimoConvConfig::validate() const
{
    const auto range = [](int value, int lowest, int highest, const char* field) {
        if (value < lowest || value > highest)
            throw Error("model config: field '" + std::string(field) + "' must be from " + std::to_string(lowest) +
                        " to " + std::to_string(highest) + ", got " + std::to_string(value));
    };
    range(depth, 10, kMaxConvDepth, "depth");
    if ((depth - 4) % 6 != 0)
        throw Error("model config: field 'depth' must be 6k+4 with k >= 1 (10, 16, 22, 28, ...), got " +
                    std::to_string(depth));
    range(widthFactor, 1, kMaxConvWidthFactor, "width_factor");
    range(stemWidth, 1, kMaxConvStemWidth, "stem_width");
    range(numClasses, 2, kMaxModelClasses, "num_classes");
    range(capacity, 1, kMaxConvCapacity, "capacity");
    if (binding == ConvBinding::None && capacity != 1)
        throw Error("model config: binding None (the WRN baseline) needs capacity N_cap = 1, got " +
                    std::to_string(capacity));
    if (binding == ConvBinding::HRR && stemWidth % 2 != 0)
        throw Error("model config: HRR binding needs an even stem_width (official channelConv layout), got " +
                    std::to_string(stemWidth));
    validateImageInputSpec(input, "model config input");
    if (parameterCount() > kMaxModelParameters)
        throw Error("model config: " + describe() + " has " + std::to_string(parameterCount()) +
                    " parameters, more than the " + std::to_string(kMaxModelParameters) + " this program builds");
}

std::string MimoConvConfig::describe() const
{
    const std::string family = binding == ConvBinding::None ? "WRN" : "MIMOConv";
    return family + "-" + std::to_string(depth) + "-" + std::to_string(widthFactor) + " (" + convBindingName(binding) +
           ", D=" + std::to_string(stemWidth) + ", N_cap=" + std::to_string(capacity) + ", " +
           std::to_string(input.channels) + "x" + std::to_string(input.height) + "x" + std::to_string(input.width) + ")";
}

std::string toJson(const MimoConvConfig& config)
{
    json out{{"architecture", "mimoconv"},
                   {"depth", config.depth},
                   {"width_factor", config.widthFactor},
                   {"stem_width", config.stemWidth},
                   {"num_classes", config.numClasses},
                   {"capacity", config.capacity},
                   {"binding", convBindingName(config.binding)},
                   {"activation", convActivationName(config.activation)},
                   {"trainable_keys", config.trainableKeys},
                   {"input",
                    {{"channels", config.input.channels},
                     {"height", config.input.height},
                     {"width", config.input.width},
                     {"mean", config.input.mean},
                     {"std", config.input.stddev},
                     {"aspect", nameOf(kAspectNames, config.input.aspect)},
                     {"invert", nameOf(kInvertNames, config.input.invert)}}}};
    if (config.input.cropFrom > 0) // written only when used: files without a crop read as before
        out["input"]["crop_from"] = config.input.cropFrom;
    return out.dump(2);
}

MimoConvConfig convConfigFromJson(const std::string& text)
{
    json in;
    try {
        in = json::parse(text);
    } catch (const json::exception& error) {
        throw Error(std::string("model config: not valid JSON (") + error.what() + ")");
    }
    if (field<std::string>(in, "architecture") != "mimoconv")
        throw Error("model config: architecture '" + field<std::string>(in, "architecture") + "' is not mimoconv");
    MimoConvConfig config;
    config.depth = field<int>(in, "depth");
    config.widthFactor = field<int>(in, "width_factor");
    config.stemWidth = field<int>(in, "stem_width");
    config.numClasses = field<int>(in, "num_classes");
    config.capacity = field<int>(in, "capacity");
    const auto binding = field<std::string>(in, "binding");
    if (binding == "HRR")
        config.binding = ConvBinding::HRR;
    else if (binding == "MBAT")
        config.binding = ConvBinding::MBAT;
    else if (binding == "None")
        config.binding = ConvBinding::None;
    else
        throw Error("model config: unknown binding '" + binding + "' (HRR, MBAT, None)");
    const auto activation = field<std::string>(in, "activation");
    if (activation != "prelu" && activation != "relu")
        throw Error("model config: unknown activation '" + activation + "' (prelu, relu)");
    config.activation = activation == "prelu" ? ConvActivation::PReLU : ConvActivation::ReLU;
    config.trainableKeys = field<bool>(in, "trainable_keys");
    const json input = field<json>(in, "input");
    config.input.channels = field<int>(input, "channels");
    config.input.height = field<int>(input, "height");
    config.input.width = field<int>(input, "width");
    config.input.mean = field<std::vector<float>>(input, "mean");
    config.input.stddev = field<std::vector<float>>(input, "std");
    config.input.aspect = valueOf(kAspectNames, field<std::string>(input, "aspect"), "aspect");
    config.input.invert = valueOf(kInvertNames, field<std::string>(input, "invert"), "invert");
    if (input.contains("crop_from")) // absent in files written before the official MNIST crop
        config.input.cropFrom = field<int>(input, "crop_from");
    config.validate();
    return config;
}

std::vector<std::string> convPresetNames()
{
    return {"wrn-28-10", "mimoconv-28-10", "wrn-28-10-cifar100", "mimoconv-28-10-cifar100", "fmnist-wrn",
            "fmnist-mimoconv"};
}

MimoConvConfig convPreset(const std::string& name)
{
    // Every preset comes as a pair: the WRN baseline and MIMOConv with the same body.
    const auto family = [](MimoConvConfig& config, bool mimo) {
        config.stemWidth = mimo ? 64 : 16;
        config.capacity = mimo ? 4 : 1;
        config.binding = mimo ? ConvBinding::HRR : ConvBinding::None;
        config.activation = mimo ? ConvActivation::PReLU : ConvActivation::ReLU;
    };
    MimoConvConfig config;
    const bool mimo = name.rfind("mimoconv", 0) == 0 || name == "fmnist-mimoconv";
    if (name == "wrn-28-10" || name == "mimoconv-28-10" || name == "wrn-28-10-cifar100" ||
        name == "mimoconv-28-10-cifar100") {
        config.depth = 28;
        config.widthFactor = 10;
        family(config, mimo);
        config.input = cifarInput();
        if (name.find("cifar100") != std::string::npos) {
            config.numClasses = 100;
            config.input.mean = {0.5071f, 0.4867f, 0.4408f};
            config.input.stddev = {0.2675f, 0.2565f, 0.2761f};
        }
        return config;
    }
    if (name == "fmnist-wrn" || name == "fmnist-mimoconv") {
        // Sized to train on 2 CPU cores in about an hour each (models/README.md).
        config.depth = 10;
        config.widthFactor = 4;
        family(config, mimo);
        config.input = mnistLikeInput(0.2860f, 0.3530f);
        return config;
    }
    std::string known;
    for (const auto& preset : convPresetNames())
        known += (known.empty() ? "" : ", ") + preset;
    throw Error("unknown architecture preset '" + name + "' (known: " + known + ")");
}

} // namespace mimo
