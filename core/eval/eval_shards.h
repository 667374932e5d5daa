#pragma once
// An evaluation split over the ranks of a group: each rank evaluates every size()-th batch from
// its rank() on, and the counts are summed across the group, so every rank ends with the
// report one process would have made. Implemented by core/distributed's ProcessGroup; plain
// interface, no torch.
#include <cstdint>
#include <string>
#include <vector>

namespace mimo {

class EvalShards {
public:
    virtual ~EvalShards() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;
    // Element-wise over the group, in place, on every rank.
    virtual void sum(std::vector<int64_t>& values) = 0;
    virtual void max(std::vector<int64_t>& values) = 0;
    // Every rank's text, in rank order, on every rank.
    virtual std::vector<std::string> gather(const std::string& text) = 0;
};

} // namespace mimo
