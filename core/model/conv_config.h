#pragma once
// Architecture of a MIMOConv / WideResNet model as plain data (docs/mimonets.md 2.1-2.7).
// Serialised as JSON inside model files; no torch here, so the GUI can read it.
#include "core/data/image_preprocess.h"
#include "core/model/model_limits.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mimo {

// Bounds checked before any module is built (docs/file-safety.md): well above the paper's
// largest model (WRN-28-10, 36.5 million parameters), so that a damaged or hostile config
// cannot ask for minutes of building or gigabytes of weights (model_limits.h bounds the total).
inline constexpr int kMaxConvDepth = 100;
inline constexpr int kMaxConvWidthFactor = 20;
inline constexpr int kMaxConvStemWidth = 1024;
inline constexpr int kMaxConvCapacity = 64;

enum class ConvBinding { HRR, MBAT, None };
enum class ConvActivation { PReLU, ReLU };

struct MimoConvConfig {
    int depth = 16;        // 10, 16 or 28: (depth - 4) / 6 blocks per stage
    int widthFactor = 2;   // stage widths 16k, 32k, 64k
    int stemWidth = 64;    // D: stem channels, the binding dimension (the WRN baseline uses 16)
    int numClasses = 10;
    int capacity = 4;      // N_cap: superposition slots; every N dividing it can be served
    ConvBinding binding = ConvBinding::HRR;
    ConvActivation activation = ConvActivation::PReLU;
    bool trainableKeys = true;
    ImageInputSpec input;  // channels, size and normalisation the model expects

    int blocksPerStage() const { return (depth - 4) / 6; }
    std::vector<int> stageWidths() const { return {16 * widthFactor, 32 * widthFactor, 64 * widthFactor}; }
    int featureWidth() const { return 64 * widthFactor; }
    std::vector<int> supportedN() const; // divisors of capacity, ascending
    bool supportsN(int n) const;
    // Weights of the network, counted from the config alone (before anything is built).
    int64_t parameterCount() const;
    // Throws mimo::Error naming the inconsistent field (as the JSON names it).
    void validate() const;
    // e.g. "MIMOConv-16-2 (HRR, D=64, N_cap=4, 1x28x28)"
    std::string describe() const;
};

std::string convBindingName(ConvBinding binding);
std::string convActivationName(ConvActivation activation);

std::string toJson(const MimoConvConfig& config);
// Throws mimo::Error naming the missing or malformed field.
MimoConvConfig convConfigFromJson(const std::string& json);

// The paper's presets: "wrn-28-10" (baseline), "mimoconv-28-10" (CIFAR, D=64, N_cap=4), and the
// Fashion-MNIST sizes we bundle. Throws mimo::Error listing the known names.
MimoConvConfig convPreset(const std::string& name);
std::vector<std::string> convPresetNames();

} // namespace mimo
