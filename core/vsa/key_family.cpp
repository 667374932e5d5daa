#include "core/vsa/key_family.h"

#include <algorithm>
#include <cctype>

namespace mimo {
namespace {

std::string lower(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
    return text;
}

} // namespace

const std::vector<KeyFamily>& allKeyFamilies()
{
    static const std::vector<KeyFamily> families{KeyFamily::Gaussian,   KeyFamily::Sphere,
                                                 KeyFamily::Bipolar,    KeyFamily::Orthogonal,
                                                 KeyFamily::TorchDefaultUniform, KeyFamily::Unitary};
    return families;
}

std::string keyFamilyName(KeyFamily family)
{
    switch (family) {
    case KeyFamily::Gaussian: return "gaussian";
    case KeyFamily::Sphere: return "sphere";
    case KeyFamily::Bipolar: return "bipolar";
    case KeyFamily::Orthogonal: return "orthogonal";
    case KeyFamily::TorchDefaultUniform: return "torch-uniform";
    case KeyFamily::Unitary: return "unitary";
    }
    return "unknown";
}

std::string keyFamilyDescription(KeyFamily family)
{
    switch (family) {
    case KeyFamily::Gaussian: return "Gaussian N(0, 1/D) entries";
    case KeyFamily::Sphere: return "uniform on the unit sphere";
    case KeyFamily::Bipolar: return "bipolar Rademacher entries (+1/-1)";
    case KeyFamily::Orthogonal: return "orthonormal rows from the QR of a Gaussian matrix";
    case KeyFamily::TorchDefaultUniform: return "uniform U(-1/sqrt(D), 1/sqrt(D)), PyTorch's Conv1d default";
    case KeyFamily::Unitary: return "unitary HRR keys: unit-modulus spectrum with random phases";
    }
    return {};
}

std::optional<KeyFamily> parseKeyFamily(const std::string& name)
{
    const std::string key = lower(name);
    for (KeyFamily family : allKeyFamilies())
        if (keyFamilyName(family) == key)
            return family;
    if (key == "normal")
        return KeyFamily::Gaussian;
    if (key == "rademacher" || key == "map")
        return KeyFamily::Bipolar;
    if (key == "uniform" || key == "torch-default")
        return KeyFamily::TorchDefaultUniform;
    return std::nullopt;
}

std::string bindingName(BindingKind kind) { return kind == BindingKind::HRR ? "hrr" : "map"; }

std::optional<BindingKind> parseBinding(const std::string& name)
{
    const std::string key = lower(name);
    if (key == "hrr")
        return BindingKind::HRR;
    if (key == "map")
        return BindingKind::MAP;
    return std::nullopt;
}

std::string unbindingName(Unbinding kind) { return kind == Unbinding::Approximate ? "approximate" : "exact"; }

std::optional<Unbinding> parseUnbinding(const std::string& name)
{
    const std::string key = lower(name);
    if (key == "approximate" || key == "approx")
        return Unbinding::Approximate;
    if (key == "exact")
        return Unbinding::Exact;
    return std::nullopt;
}

} // namespace mimo
