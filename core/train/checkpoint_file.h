#pragma once
// The training checkpoint file: torch::pickle_save of one dictionary, like a model file, read back
// only by our own checked reader (torch_archive.h, docs/file-safety.md), never by LibTorch's:
//   format           "mimo-explorer-checkpoint"
//   format_version   1
//   trainer          the trainer's state as JSON text (fingerprint, step, curve, ...)
//   model            {name: tensor}: every parameter and buffer
//   optimizer        {"kind": "sgd" | "adamw", "group_sizes": [int], "state": [{"group": int,
//                    "index": int, "step": int (AdamW), NAME: tensor, ...}]} (optimizer_state.h)
//   rng              the CPU generator's state (a uint8 tensor)
//   checksum         SHA-256 (weights_checksum.h) over all of the above: every tensor, the steps,
//                    the optimizer's kind and group sizes and the trainer text
// Checkpoints of earlier versions were LibTorch archives (torch::serialize::OutputArchive); they
// are recognised by their records and refused by name. torch header: core .cpp files and tests only.
#include "core/model/model_file.h"
#include "core/train/optimizer_state.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mimo {

inline constexpr const char* kCheckpointFormatTag = "mimo-explorer-checkpoint";
inline constexpr int kCheckpointFormatVersion = 1;
// A model's weights (at most a model file's size) and at most three tensors of optimizer state
// per weight (AdamW with amsgrad).
inline constexpr uint64_t kMaxTrainingCheckpointBytes = 4 * kMaxModelFileBytes;

struct CheckpointContents {
    std::string trainer;                     // JSON text
    std::map<std::string, at::Tensor> model; // parameters and buffers by name
    OptimizerState optimizer;
    at::Tensor rng;                          // uint8, as the generator's get_state gives it
};

std::string checkpointChecksum(const CheckpointContents& contents);

// The file's bytes, carrying `checksum` (checkpointChecksum(contents); the tests pass others).
std::vector<char> encodeCheckpoint(const CheckpointContents& contents, const std::string& checksum);

// Reads and checks a checkpoint file: a regular file of at most kMaxTrainingCheckpointBytes, a
// sound archive, every field present with its type, the checksum matching. Throws
// DataError(path, ...) naming the field; a checkpoint of an earlier version is refused with
// "written by an earlier version ...". Whether it fits a model and optimizer is the caller's
// check. Tensors are views of the file's storages.
CheckpointContents readCheckpointFile(const std::string& path);

} // namespace mimo
