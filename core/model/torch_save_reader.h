#pragma once
// Reads files written by Python's torch.save (zip format, PyTorch >= 1.6) into named
// tensors. LibTorch 1.13's own pickle_load cannot read a Python state_dict (an OrderedDict
// with metadata: pytorch/pytorch#100741), so this implements the subset of the pickle
// protocol that torch.save emits, with the checks of torch_archive.h. core .cpp files only.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <map>
#include <string>

namespace mimo {

// The official MIMOConv WRN-28-10 checkpoint with its optimizer state is about 300 MB.
inline constexpr uint64_t kMaxCheckpointBytes = uint64_t(2) << 30;

// Every tensor reachable from the top-level dictionary, by its key path: top-level tensors
// under their key, tensors of nested dictionaries as "outer/inner" (so a checkpoint's
// {'model_state_dict': {...}} gives "model_state_dict/conv1.weight"). Throws DataError
// naming the file for anything that is not a sound torch.save archive of at
// most kMaxCheckpointBytes.
std::map<std::string, at::Tensor> readTorchSaveTensors(const std::string& path);

} // namespace mimo
