#include "core/train/optimizer_state.h"

#include "core/errors.h"

#include <c10/util/StringUtil.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>

#include <memory>
#include <set>
#include <sstream>
#include <type_traits>
#include <utility>

namespace mimo {
namespace {

// Optimizer::state() is keyed by the parameter's TensorImpl: its address as a string up to
// LibTorch 2.1 (what c10::guts::to_string wrote), the address itself from 2.2 on (PyTorch PR
// #108748, which also removed to_string). The key type is taken from the map, so both build.
using StateKey = std::decay_t<decltype(std::declval<const torch::optim::Optimizer&>().state())>::key_type;

template <class Key>
Key stateKeyOf(const at::Tensor& parameter)
{
    if constexpr (std::is_same_v<Key, std::string>) {
        std::ostringstream address;
        address << static_cast<const void*>(parameter.unsafeGetTensorImpl());
        return address.str();
    } else {
        return parameter.unsafeGetTensorImpl();
    }
}

StateKey stateKey(const at::Tensor& parameter) { return stateKeyOf<StateKey>(parameter); }

std::string kindOf(const torch::optim::Optimizer& optimizer)
{
    if (dynamic_cast<const torch::optim::SGD*>(&optimizer))
        return kSgdOptimizer;
    if (dynamic_cast<const torch::optim::AdamW*>(&optimizer))
        return kAdamWOptimizer;
    throw Error("training checkpoints keep the state of SGD and AdamW only");
}

bool amsgrad(const torch::optim::OptimizerParamGroup& group)
{
    return static_cast<const torch::optim::AdamWOptions&>(group.options()).amsgrad();
}

// The tensors a parameter's state holds in LibTorch 1.13 (torch/optim/sgd.h, adamw.h).
std::set<std::string> expectedTensors(const std::string& kind, const torch::optim::OptimizerParamGroup& group)
{
    if (kind == kSgdOptimizer)
        return {"momentum_buffer"};
    if (amsgrad(group))
        return {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"};
    return {"exp_avg", "exp_avg_sq"};
}

std::string nameList(const std::set<std::string>& names)
{
    std::string text;
    for (const auto& name : names)
        text += (text.empty() ? "" : ", ") + name;
    return text.empty() ? "none" : text;
}

ParameterState captureParameter(const std::string& kind, const torch::optim::OptimizerParamState& held)
{
    ParameterState state;
    const auto keep = [&](const char* name, const at::Tensor& tensor) {
        if (tensor.defined())
            state.tensors[name] = tensor.detach();
    };
    if (kind == kSgdOptimizer) {
        keep("momentum_buffer", static_cast<const torch::optim::SGDParamState&>(held).momentum_buffer());
    } else {
        const auto& adam = static_cast<const torch::optim::AdamWParamState&>(held);
        keep("exp_avg", adam.exp_avg());
        keep("exp_avg_sq", adam.exp_avg_sq());
        keep("max_exp_avg_sq", adam.max_exp_avg_sq());
        state.step = adam.step();
    }
    return state;
}

void checkParameter(const ParameterState& entry, const std::string& kind, const torch::optim::OptimizerParamGroup& group,
                    const std::string& source)
{
    const at::Tensor& parameter = group.params()[std::size_t(entry.index)];
    const std::string which =
        "optimizer state for parameter " + std::to_string(entry.index) + " (group " + std::to_string(entry.group) + ")";
    std::set<std::string> held;
    for (const auto& [name, tensor] : entry.tensors)
        held.insert(name);
    const std::set<std::string> expected = expectedTensors(kind, group);
    if (held != expected)
        throw DataError(source, "the " + which + " holds " + nameList(held) + " but " + kind + " keeps " +
                                    nameList(expected));
    for (const auto& [name, tensor] : entry.tensors) {
        if (tensor.sizes() != parameter.sizes())
            throw DataError(source, "the " + which + " has " + name + " of shape " + c10::str(tensor.sizes()) +
                                        " but the parameter is " + c10::str(parameter.sizes()));
        if (tensor.scalar_type() != parameter.scalar_type())
            throw DataError(source, "the " + which + " has " + name + " of " + c10::toString(tensor.scalar_type()) +
                                        " values but the parameter holds " + c10::toString(parameter.scalar_type()));
    }
    if (kind == kAdamWOptimizer && (!entry.step || *entry.step < 1))
        throw DataError(source, "the " + which + " has no step count of 1 or more");
    if (kind == kSgdOptimizer && entry.step)
        throw DataError(source, "the " + which + " has a step count, which SGD does not keep");
}

// A copy with the parameter's device, element type and memory layout, owning its memory (the
// checked reader's tensors are views of the storages of the file).
at::Tensor copyFor(const at::Tensor& parameter, const at::Tensor& values)
{
    return at::empty_like(parameter, at::MemoryFormat::Preserve).copy_(values);
}

} // namespace

OptimizerState captureOptimizerState(const torch::optim::Optimizer& optimizer)
{
    OptimizerState state;
    state.kind = kindOf(optimizer);
    const auto& groups = optimizer.param_groups();
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const auto& parameters = groups[g].params();
        state.groupSizes.push_back(int64_t(parameters.size()));
        for (std::size_t i = 0; i < parameters.size(); ++i) {
            const auto held = optimizer.state().find(stateKey(parameters[i]));
            if (held == optimizer.state().end())
                continue; // no step has touched this parameter yet
            ParameterState entry = captureParameter(state.kind, *held->second);
            entry.group = int64_t(g);
            entry.index = int64_t(i);
            state.parameters.push_back(std::move(entry));
        }
    }
    return state;
}

void checkOptimizerState(const OptimizerState& state, const torch::optim::Optimizer& optimizer,
                         const std::string& source)
{
    const std::string kind = kindOf(optimizer);
    if (state.kind != kind)
        throw DataError(source, "the optimizer state is " + printableText(state.kind, 40) + " but this training uses " +
                                    kind);
    const auto& groups = optimizer.param_groups();
    std::vector<int64_t> sizes;
    for (const auto& group : groups)
        sizes.push_back(int64_t(group.params().size()));
    if (state.groupSizes != sizes)
        throw DataError(source, "the optimizer state has " + std::to_string(state.groupSizes.size()) +
                                    " parameter group(s) of sizes " + c10::str(at::IntArrayRef(state.groupSizes)) +
                                    " but this training has " + c10::str(at::IntArrayRef(sizes)));
    std::set<std::pair<int64_t, int64_t>> seen;
    for (const ParameterState& entry : state.parameters) {
        if (entry.group < 0 || entry.group >= int64_t(groups.size()) || entry.index < 0 ||
            entry.index >= sizes[std::size_t(entry.group)])
            throw DataError(source, "the optimizer state names parameter " + std::to_string(entry.index) +
                                        " of group " + std::to_string(entry.group) + ", which does not exist");
        if (!seen.emplace(entry.group, entry.index).second)
            throw DataError(source, "the optimizer state names parameter " + std::to_string(entry.index) +
                                        " of group " + std::to_string(entry.group) + " twice");
        checkParameter(entry, kind, groups[std::size_t(entry.group)], source);
    }
}

void restoreOptimizerState(const OptimizerState& state, torch::optim::Optimizer& optimizer)
{
    torch::NoGradGuard noGrad;
    auto& held = optimizer.state();
    held.clear();
    for (const ParameterState& entry : state.parameters) {
        const at::Tensor& parameter = optimizer.param_groups()[std::size_t(entry.group)].params()[std::size_t(entry.index)];
        const auto tensor = [&](const char* name) { return copyFor(parameter, entry.tensors.at(name)); };
        if (state.kind == kSgdOptimizer) {
            auto sgd = std::make_unique<torch::optim::SGDParamState>();
            sgd->momentum_buffer(tensor("momentum_buffer"));
            held[stateKey(parameter)] = std::move(sgd);
        } else {
            auto adam = std::make_unique<torch::optim::AdamWParamState>();
            adam->step(*entry.step);
            adam->exp_avg(tensor("exp_avg"));
            adam->exp_avg_sq(tensor("exp_avg_sq"));
            if (entry.tensors.count("max_exp_avg_sq"))
                adam->max_exp_avg_sq(tensor("max_exp_avg_sq"));
            held[stateKey(parameter)] = std::move(adam);
        }
    }
}

} // namespace mimo
