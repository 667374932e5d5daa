#pragma once
// Keeping the copies of a model on the ranks of a group identical: rank 0's parameters and
// buffers for everyone, and gradients averaged over the ranks before each optimizer step (what
// DistributedDataParallel does, by flattened buckets). torch header: core .cpp files only.
#include "core/distributed/process_group.h"

#include <torch/nn/module.h>

#include <cstddef>
#include <vector>

namespace mimo {

// Every rank's gradients replaced by their mean over the group: the gradient of the mean loss
// over all ranks' batches. Gradients are flattened into buckets of about `bucketBytes`, one
// all-reduce each. Every rank runs the same graph (the same N and model), so the same
// parameters have gradients; parameters without one are left out everywhere.
void averageGradients(ProcessGroup& group, const std::vector<torch::Tensor>& parameters,
                      std::size_t bucketBytes = std::size_t(25) << 20);

// Rank 0's parameters and buffers on every rank (at the start: the same initial model).
void broadcastModel(ProcessGroup& group, torch::nn::Module& model);
// Rank 0's buffers (batch-norm running statistics) on every rank, before each step as
// DistributedDataParallel does, so that every copy evaluates alike.
void broadcastBuffers(ProcessGroup& group, torch::nn::Module& model);

} // namespace mimo
