#pragma once
// What a model file says about itself without building the network: its family (MIMOConv or
// MIMOFormer), architecture and card. Plain data, for the CLI, the catalog and the GUI.
#include "core/model/conv_config.h"
#include "core/model/former_config.h"
#include "core/model/model_card.h"

#include <string>
#include <variant>
#include <vector>

namespace mimo {

enum class ModelFamily { Conv, Former };

struct ModelInfo {
    ModelInfo() = default; // a MIMOConv of the default architecture
    explicit ModelInfo(MimoConvConfig conv, ModelCard card = {});
    explicit ModelInfo(MimoFormerConfig former, ModelCard card = {});

    // Exactly one architecture, of the model's family.
    std::variant<MimoConvConfig, MimoFormerConfig> architecture;
    ModelCard card;

    ModelFamily family() const { return isConv() ? ModelFamily::Conv : ModelFamily::Former; }
    bool isConv() const { return std::holds_alternative<MimoConvConfig>(architecture); }
    bool isFormer() const { return std::holds_alternative<MimoFormerConfig>(architecture); }
    // The architecture of the model's family; throws mimo::Error for the other family.
    const MimoConvConfig& conv() const;
    const MimoFormerConfig& former() const;

    // N = inputs computed in one superposition: divisors of N_cap for MIMOConv, the products
    // of the (M, N) grids for MIMOFormer (former_config.h).
    std::vector<int> supportedN() const;
    bool supportsN(int n) const;
    int largestN() const;
    int numClasses() const;
    bool takesImages() const { return isConv(); }
    std::string describe() const;
    // One line for people: "1x28x28 image, normalised" or "sequence of up to 2000 ListOps tokens".
    std::string inputDescription() const;
};

// Throws DataError(path, ...) naming what is wrong (not a model file, unknown architecture, ...).
ModelInfo readModelInfo(const std::string& path);

} // namespace mimo
