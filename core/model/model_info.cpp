#include "core/model/model_info.h"

#include "core/errors.h"

#include <algorithm>
#include <utility>

namespace mimo {

ModelInfo::ModelInfo(MimoConvConfig config, ModelCard modelCard)
    : architecture(std::move(config)), card(std::move(modelCard))
{
}

ModelInfo::ModelInfo(MimoFormerConfig config, ModelCard modelCard)
    : architecture(std::move(config)), card(std::move(modelCard))
{
}

const MimoConvConfig& ModelInfo::conv() const
{
    if (const auto* config = std::get_if<MimoConvConfig>(&architecture))
        return *config;
    throw Error("this is a MIMOFormer model (" + describe() + "), not a MIMOConv");
}

const MimoFormerConfig& ModelInfo::former() const
{
    if (const auto* config = std::get_if<MimoFormerConfig>(&architecture))
        return *config;
    throw Error("this is a MIMOConv model (" + describe() + "), not a MIMOFormer");
}

std::vector<int> ModelInfo::supportedN() const
{
    return isConv() ? conv().supportedN() : former().supportedN();
}

bool ModelInfo::supportsN(int n) const
{
    const auto ns = supportedN();
    return std::find(ns.begin(), ns.end(), n) != ns.end();
}

int ModelInfo::largestN() const
{
    const auto ns = supportedN();
    return ns.empty() ? 1 : ns.back();
}

int ModelInfo::numClasses() const
{
    if (isConv())
        return conv().numClasses;
    return former().dualHead ? 2 : former().numClasses;
}

std::string ModelInfo::describe() const
{
    return isConv() ? conv().describe() : former().describe();
}

std::string ModelInfo::inputDescription() const
{
    if (isConv())
        return std::to_string(conv().input.channels) + "x" + std::to_string(conv().input.height) + "x" +
               std::to_string(conv().input.width) + " image" +
               (conv().input.cropFrom > 0 ? " (the centre of " + std::to_string(conv().input.cropFrom) + "x" +
                                                std::to_string(conv().input.cropFrom) + ")"
                                          : std::string()) +
               ", normalised per channel";
    const MimoFormerConfig& former = this->former();
    const std::string length = std::to_string(former.maxLength);
    if (former.inputKind == "listops")
        return "ListOps expression of up to " + length + " tokens";
    if (former.inputKind == "text")
        return "text of up to " + length + " bytes";
    if (former.inputKind == "pixels")
        return std::to_string(former.imageHeight) + "x" + std::to_string(former.imageWidth) +
               " gray image read as a pixel sequence";
    return "sequence of up to " + length + " tokens (ids below " + std::to_string(former.vocabularySize) + ")";
}

} // namespace mimo
