#pragma once
// This process's place in a data-parallel group over PyTorch's c10d: the ranks meet at rank 0's
// TCPStore and talk through ProcessGroupGloo on the CPU (ProcessGroupNCCL on CUDA where LibTorch
// has it). Every collective waits at most the settings' timeout; a rank that stopped or cannot be
// reached ends it with DistributedError, never a hang. No torch in this header (pimpl): the
// command line joins a group without compiling LibTorch's headers.
#include "core/distributed/distributed_settings.h"
#include "core/errors.h"
#include "core/group_error.h"
#include "core/eval/eval_shards.h"

#include <memory>
#include <string>
#include <vector>

namespace at {
class Tensor;
}

namespace mimo {

class ProcessGroup : public EvalShards {
public:
    // Joins the group (rank 0 listens at the address, the others connect) and waits until every
    // rank is in. `device`: "cpu" (Gloo) or "cuda[:K]" (NCCL where LibTorch has it, else Gloo).
    ProcessGroup(const DistributedSettings& settings, const std::string& device);
    ~ProcessGroup() override;
    ProcessGroup(const ProcessGroup&) = delete;
    ProcessGroup& operator=(const ProcessGroup&) = delete;

    int rank() const override;
    int size() const override;
    std::string backendName() const; // "gloo" or "nccl"

    void sum(std::vector<int64_t>& values) override;
    void max(std::vector<int64_t>& values) override;
    std::vector<std::string> gather(const std::string& text) override;
    // The mean of every rank's value; whether any rank's flag is set.
    double mean(double value);
    bool any(bool flag);
    // Rank 0's value on every rank (a choice every rank must make alike, such as a step's N).
    int64_t fromRankZero(int64_t value);
    void barrier();

    // In place, on the group's device: the element-wise sum over the ranks; rank 0's values.
    void allReduceSum(at::Tensor& tensor);
    void broadcastFromRankZero(at::Tensor& tensor);

private:
    void reduce(std::vector<int64_t>& values, bool maximum);
    struct State;
    std::unique_ptr<State> state_;
};

} // namespace mimo
