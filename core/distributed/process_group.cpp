#include "core/distributed/process_group.h"

#include <torch/torch.h>
#include <torch/version.h>

#if MIMO_HAS_DISTRIBUTED
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
// A pip LibTorch defines USE_C10D_NCCL for CUDA but ships no nccl.h: NCCL only where it is.
#if defined(USE_C10D_NCCL) && __has_include(<nccl.h>)
#define MIMO_HAS_NCCL 1
#include <c10/cuda/CUDAFunctions.h>
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif
#endif

#include <chrono>
#include <cstdlib>

namespace mimo {

#if MIMO_HAS_DISTRIBUTED
namespace {

// LibTorch 2 made the process groups Backends under a ProcessGroup; 1.13's are ProcessGroups.
#if TORCH_VERSION_MAJOR >= 2
using Backend = c10d::Backend;
#else
using Backend = c10d::ProcessGroup;
#endif

std::chrono::milliseconds milliseconds(double seconds)
{
    return std::chrono::milliseconds(int64_t(seconds * 1000.0));
}

// The network device Gloo binds to: the loopback for a group on one machine, the interface
// GLOO_SOCKET_IFNAME names, else the address this machine's hostname resolves to.
std::shared_ptr<gloo::transport::Device> glooDevice(const std::string& masterAddr)
{
    if (const char* interface = std::getenv("GLOO_SOCKET_IFNAME"); interface && *interface)
        return c10d::ProcessGroupGloo::createDeviceForInterface(interface);
    if (isLoopbackAddress(masterAddr))
        return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
    return c10d::ProcessGroupGloo::createDefaultDevice();
}

} // namespace

struct ProcessGroup::State {
    DistributedSettings settings;
    torch::Device device{torch::kCPU};
    c10::intrusive_ptr<c10d::Store> store;
    c10::intrusive_ptr<Backend> group;
    std::string backend;
    int64_t gathers = 0; // gather() calls so far: the same on every rank, so a key per call

    std::string who() const { return "rank " + std::to_string(settings.rank) + " of " + std::to_string(settings.worldSize); }

    // Runs one collective to its end; a failure or a timeout becomes DistributedError.
    template <class Start>
    void run(const char* what, Start start)
    {
        try {
            auto work = start();
            work->wait(milliseconds(settings.timeoutSeconds));
        } catch (const DistributedError&) {
            throw;
        } catch (const std::exception& error) {
            throw DistributedError(who() + ": the group's " + what + " failed: " + libraryErrorText(error.what()) +
                                   " (another rank stopped, could not be reached or took longer than " +
                                   std::to_string(int(settings.timeoutSeconds)) + " s)");
        }
    }
};

ProcessGroup::ProcessGroup(const DistributedSettings& settings, const std::string& device)
    : state_(std::make_unique<State>())
{
    State& s = *state_;
    s.settings = settings;
    s.device = torch::Device(device);
    if (s.device.is_cuda())
        s.device = torch::Device(torch::kCUDA, s.device.has_index() ? s.device.index() : c10::DeviceIndex(settings.localRank));
    const auto timeout = milliseconds(settings.timeoutSeconds);
    const std::string where = settings.masterAddr + ":" + std::to_string(settings.masterPort);
    try {
        c10d::TCPStoreOptions options;
        options.port = uint16_t(settings.masterPort);
        options.isServer = settings.rank == 0;
        options.numWorkers = std::size_t(settings.worldSize);
        options.waitWorkers = true;
        options.timeout = timeout;
        s.store = c10::make_intrusive<c10d::TCPStore>(settings.masterAddr, options);
    } catch (const std::exception& error) {
        throw DistributedError(s.who() + ": " +
                               (settings.rank == 0 ? "could not open the group's meeting point at " + where
                                                   : "could not reach rank 0 at " + where) +
                               " within " + std::to_string(int(settings.timeoutSeconds)) + " s: " +
                               libraryErrorText(error.what()) +
                               (settings.rank == 0 ? " (is the port in use? choose another with --master-port)" : ""));
    }
    try {
#ifdef MIMO_HAS_NCCL
        if (s.device.is_cuda()) {
            // NCCL's first collective (the barrier below) runs on the current GPU: this rank's.
            c10::cuda::set_device(s.device.index());
            auto options = c10d::ProcessGroupNCCL::Options::create();
            options->timeout = timeout;
            s.group = c10::make_intrusive<c10d::ProcessGroupNCCL>(c10::make_intrusive<c10d::PrefixStore>("nccl", s.store),
                                                                  settings.rank, settings.worldSize, options);
            s.backend = "nccl";
        }
#endif
        if (!s.group) {
            auto options = c10d::ProcessGroupGloo::Options::create(timeout);
            options->devices.push_back(glooDevice(settings.masterAddr));
            s.group = c10::make_intrusive<c10d::ProcessGroupGloo>(c10::make_intrusive<c10d::PrefixStore>("gloo", s.store),
                                                                  settings.rank, settings.worldSize, options);
            s.backend = "gloo";
        }
    } catch (const std::exception& error) {
        throw DistributedError(s.who() + ": could not connect to the other ranks (met at " + where +
                               "): " + libraryErrorText(error.what()));
    }
    barrier();
}

ProcessGroup::~ProcessGroup() = default;

int ProcessGroup::rank() const { return state_->settings.rank; }
int ProcessGroup::size() const { return state_->settings.worldSize; }
std::string ProcessGroup::backendName() const { return state_->backend; }

void ProcessGroup::barrier()
{
    state_->run("barrier", [&] { return state_->group->barrier(); });
}

void ProcessGroup::allReduceSum(at::Tensor& tensor)
{
    std::vector<at::Tensor> tensors{tensor};
    state_->run("all-reduce", [&] { return state_->group->allreduce(tensors); });
}

void ProcessGroup::broadcastFromRankZero(at::Tensor& tensor)
{
    std::vector<at::Tensor> tensors{tensor};
    c10d::BroadcastOptions options;
    options.rootRank = 0;
    state_->run("broadcast", [&] { return state_->group->broadcast(tensors, options); });
}

void ProcessGroup::reduce(std::vector<int64_t>& values, bool maximum)
{
    State& s = *state_;
    if (values.empty())
        return;
    std::vector<at::Tensor> tensors{torch::tensor(values, torch::kLong).to(s.device)};
    c10d::AllreduceOptions options;
    options.reduceOp = maximum ? c10d::ReduceOp::MAX : c10d::ReduceOp::SUM;
    s.run("all-reduce", [&] { return s.group->allreduce(tensors, options); });
    const auto result = tensors.front().to(torch::kCPU).contiguous();
    std::copy(result.data_ptr<int64_t>(), result.data_ptr<int64_t>() + result.numel(), values.begin());
}

void ProcessGroup::sum(std::vector<int64_t>& values) { reduce(values, false); }
void ProcessGroup::max(std::vector<int64_t>& values) { reduce(values, true); }

double ProcessGroup::mean(double value)
{
    auto tensor = torch::tensor({value}, torch::kDouble).to(state_->device);
    allReduceSum(tensor);
    return tensor.to(torch::kCPU).item<double>() / double(size());
}

bool ProcessGroup::any(bool flag)
{
    std::vector<int64_t> value{flag ? 1 : 0};
    max(value);
    return value.front() > 0;
}

int64_t ProcessGroup::fromRankZero(int64_t value)
{
    auto tensor = torch::tensor({value}, torch::kLong).to(state_->device);
    broadcastFromRankZero(tensor);
    return tensor.to(torch::kCPU).item<int64_t>();
}

std::vector<std::string> ProcessGroup::gather(const std::string& text)
{
    State& s = *state_;
    const std::string prefix = "gather/" + std::to_string(s.gathers++) + "/";
    std::vector<std::string> texts;
    try {
        s.store->set(prefix + std::to_string(rank()), std::vector<uint8_t>(text.begin(), text.end()));
        for (int r = 0; r < size(); ++r) {
            const auto bytes = s.store->get(prefix + std::to_string(r)); // waits for it, up to the timeout
            texts.emplace_back(bytes.begin(), bytes.end());
        }
    } catch (const DistributedError&) {
        throw;
    } catch (const std::exception& error) {
        throw DistributedError(s.who() + ": the group's gather failed: " + libraryErrorText(error.what()) +
                               " (another rank stopped or took longer than " +
                               std::to_string(int(s.settings.timeoutSeconds)) + " s)");
    }
    // Rank 0 hosts the store: none leaves (and takes the store with it) before all have read.
    barrier();
    return texts;
}

#else // built without gloo's headers: no group to join

struct ProcessGroup::State {
    DistributedSettings settings;
};

ProcessGroup::ProcessGroup(const DistributedSettings& settings, const std::string&) : state_(std::make_unique<State>())
{
    state_->settings = settings;
    throw DistributedError("this build of mimo cannot join a group of " + std::to_string(settings.worldSize) +
                           " processes: it was configured without gloo's headers (MIMO_WITH_DISTRIBUTED=OFF)");
}
ProcessGroup::~ProcessGroup() = default;
int ProcessGroup::rank() const { return state_->settings.rank; }
int ProcessGroup::size() const { return state_->settings.worldSize; }
std::string ProcessGroup::backendName() const { return {}; }
void ProcessGroup::barrier() {}
void ProcessGroup::allReduceSum(at::Tensor&) {}
void ProcessGroup::broadcastFromRankZero(at::Tensor&) {}
void ProcessGroup::reduce(std::vector<int64_t>&, bool) {}
void ProcessGroup::sum(std::vector<int64_t>&) {}
void ProcessGroup::max(std::vector<int64_t>&) {}
double ProcessGroup::mean(double value) { return value; }
bool ProcessGroup::any(bool flag) { return flag; }
int64_t ProcessGroup::fromRankZero(int64_t value) { return value; }
std::vector<std::string> ProcessGroup::gather(const std::string& text) { return {text}; }

#endif

} // namespace mimo
