#include "core/model/weights_checksum.h"

#include "core/model/sha256.h"

#include <ATen/ATen.h>

namespace mimo {

std::string weightsChecksum(const std::map<std::string, at::Tensor>& tensors)
{
    Sha256 hash;
    for (const auto& [name, tensor] : tensors) {
        const at::Tensor values = tensor.detach().to(at::kCPU).contiguous();
        std::string header = name + '\0' + std::string(c10::toString(values.scalar_type())) + '\0';
        for (const int64_t size : values.sizes())
            header += std::to_string(size) + "x";
        hash.add(header + '\0');
        hash.add(values.data_ptr(), values.nbytes());
    }
    return hash.hex();
}

} // namespace mimo
