#include "core/distributed/model_sync.h"

#include <torch/torch.h>

namespace mimo {
namespace {

// The tensors flattened into buckets of about `bucketBytes` (of one dtype and device each), one
// collective per bucket, the results copied back.
template <class Collective>
void bucketed(const std::vector<torch::Tensor>& tensors, std::size_t bucketBytes, Collective collective)
{
    std::vector<torch::Tensor> bucket;
    std::size_t bytes = 0;
    const auto flush = [&] {
        if (bucket.empty())
            return;
        std::vector<torch::Tensor> flat;
        flat.reserve(bucket.size());
        for (const auto& tensor : bucket)
            flat.push_back(tensor.reshape({-1}));
        auto joined = torch::cat(flat);
        collective(joined);
        int64_t offset = 0;
        for (auto& tensor : bucket) {
            tensor.copy_(joined.narrow(0, offset, tensor.numel()).view_as(tensor));
            offset += tensor.numel();
        }
        bucket.clear();
        bytes = 0;
    };
    for (const auto& tensor : tensors) {
        if (!bucket.empty() && (tensor.scalar_type() != bucket.front().scalar_type() ||
                                tensor.device() != bucket.front().device() || bytes >= bucketBytes))
            flush();
        bucket.push_back(tensor);
        bytes += std::size_t(tensor.numel() * int64_t(tensor.element_size()));
    }
    flush();
}

} // namespace

void averageGradients(ProcessGroup& group, const std::vector<torch::Tensor>& parameters, std::size_t bucketBytes)
{
    if (group.size() < 2)
        return;
    torch::NoGradGuard noGrad;
    std::vector<torch::Tensor> gradients;
    for (const auto& parameter : parameters)
        if (parameter.grad().defined())
            gradients.push_back(parameter.grad());
    const double scale = 1.0 / double(group.size());
    bucketed(gradients, bucketBytes, [&](torch::Tensor& flat) {
        group.allReduceSum(flat);
        flat.mul_(scale);
    });
}

namespace {

void broadcastFromRankZero(ProcessGroup& group, const std::vector<torch::Tensor>& tensors)
{
    if (group.size() < 2)
        return;
    torch::NoGradGuard noGrad;
    bucketed(tensors, std::size_t(25) << 20, [&](torch::Tensor& flat) { group.broadcastFromRankZero(flat); });
}

} // namespace

void broadcastModel(ProcessGroup& group, torch::nn::Module& model)
{
    std::vector<torch::Tensor> tensors = model.parameters();
    for (const auto& buffer : model.buffers())
        tensors.push_back(buffer);
    broadcastFromRankZero(group, tensors);
}

void broadcastBuffers(ProcessGroup& group, torch::nn::Module& model) { broadcastFromRankZero(group, model.buffers()); }

} // namespace mimo
