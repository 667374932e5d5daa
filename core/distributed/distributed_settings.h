#pragma once
// Where a process stands in a data-parallel group: its rank, the group's size and the rank-0
// address every rank meets at. Read from flags, else from the torchrun-style environment
// (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT), as `mimo launch` sets it. Plain data.
#include <string>

namespace mimo {

struct DistributedSettings {
    int rank = -1;          // -1: not given (the environment's RANK, else 0)
    int worldSize = 0;      // 0: not given (WORLD_SIZE, else 1: no group)
    int localRank = -1;     // this machine's rank, the CUDA device index (LOCAL_RANK, else rank)
    std::string masterAddr; // empty: MASTER_ADDR, else 127.0.0.1
    int masterPort = 0;     // 0: MASTER_PORT, else 29500
    double timeoutSeconds = 300; // a collective or the rendezvous waits this long for the others

    bool active() const { return worldSize > 1; }
};

// Completes `flags` from the environment and checks it: throws mimo::Error naming the variable
// or flag that is malformed or out of range (a RANK not below WORLD_SIZE, a port outside 1-65535).
DistributedSettings resolveDistributed(DistributedSettings flags);

// The device a rank computes on: in a group, "cuda" (and "auto" on a GPU machine) is the rank's
// own GPU, cuda:LOCAL_RANK; any other name as resolveDeviceName gives it.
std::string rankDeviceName(const DistributedSettings& settings, const std::string& device);

// 127.x.x.x, ::1 or localhost: a group that meets there is on one machine.
bool isLoopbackAddress(const std::string& address);

} // namespace mimo
