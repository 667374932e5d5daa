#pragma once
// Names of the binding schemes and key families, as plain data so that the GUI and the
// command line can list and parse them without pulling in torch.
#include <optional>
#include <string>
#include <vector>

namespace mimo {

enum class KeyFamily {
    Gaussian,            // i.i.d. N(0, 1/D): the classic HRR key (torchhd before 2024)
    Sphere,              // Gaussian normalised to unit length (torchhd HRRTensor.random today)
    Bipolar,             // Rademacher +-1 (MAP keys, MIMOFormer)
    Orthogonal,          // rows of a random orthogonal matrix (QR), needs n <= D
    TorchDefaultUniform, // U(-1/sqrt(D), 1/sqrt(D)): PyTorch's Conv1d init, what MIMOConv starts from
    Unitary,             // every Fourier coefficient of modulus 1: HRR's approximate inverse is exact
};

enum class BindingKind { HRR, MAP };
enum class Unbinding { Approximate, Exact };

std::string keyFamilyName(KeyFamily family);
std::string keyFamilyDescription(KeyFamily family);
std::optional<KeyFamily> parseKeyFamily(const std::string& name);
const std::vector<KeyFamily>& allKeyFamilies();

std::string bindingName(BindingKind kind);
std::optional<BindingKind> parseBinding(const std::string& name);
std::string unbindingName(Unbinding kind);
std::optional<Unbinding> parseUnbinding(const std::string& name);

} // namespace mimo
