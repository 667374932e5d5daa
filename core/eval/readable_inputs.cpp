#include "core/eval/readable_inputs.h"

#include "core/errors.h"

#include <torch/torch.h>

namespace mimo {

ReadableInputs readableInputs(const Dataset& data, const std::vector<std::size_t>& indices, const BatchInputs& inputs,
                              UnreadableItems& unreadable)
{
    ReadableInputs result;
    if (!data.decodesOnDemand()) {
        result.items = indices;
        result.inputs = inputs(indices);
        return result;
    }
    for (std::size_t index : indices)
        if (!unreadable.contains(index))
            result.items.push_back(index);
    if (result.items.empty())
        return result;
    try {
        result.inputs = inputs(result.items);
        return result;
    } catch (const DataError&) {
        // One item at a time, to tell the unreadable ones from the rest.
    }
    std::vector<torch::Tensor> rows;
    std::vector<std::size_t> kept;
    for (std::size_t index : result.items) {
        try {
            rows.push_back(inputs({index}));
            kept.push_back(index);
        } catch (const DataError& error) {
            unreadable.add(index, error);
        }
    }
    result.items = kept;
    if (!rows.empty())
        result.inputs = torch::cat(rows);
    return result;
}

torch::Tensor repeatRows(const torch::Tensor& batch, std::size_t count)
{
    const auto rows = std::size_t(batch.size(0));
    if (rows == count)
        return batch;
    std::vector<int64_t> order(count);
    for (std::size_t i = 0; i < count; ++i)
        order[i] = int64_t(i % rows);
    return batch.index_select(0, torch::tensor(order, torch::kLong).to(batch.device()));
}

std::vector<std::size_t> repeatItems(const std::vector<std::size_t>& items, std::size_t count)
{
    std::vector<std::size_t> out(count);
    for (std::size_t i = 0; i < count; ++i)
        out[i] = items[i % items.size()];
    return out;
}

void throwNothingReadable(const Dataset& data, std::size_t count, const UnreadableItems& unreadable)
{
    const std::string items = std::to_string(count) + (count == 1 ? " item" : " items");
    throw DataError(data.origin(), "none of its " + std::string(count < data.size() ? "first " : "") + items +
                                       " can be read (" + unreadableReport(unreadable) + ")");
}

torch::Tensor inputsReplacingUnreadable(const Dataset& data, std::vector<std::size_t>& indices,
                                        const BatchInputs& inputs, UnreadableItems& unreadable)
{
    const std::size_t count = indices.size();
    ReadableInputs readable = readableInputs(data, indices, inputs, unreadable);
    // A batch with nothing readable borrows the next readable item of the dataset.
    for (std::size_t step = 1; readable.items.empty() && step <= data.size(); ++step) {
        const std::size_t next = (indices.front() + step) % data.size();
        readable = readableInputs(data, {next}, inputs, unreadable);
    }
    if (readable.items.empty())
        throwNothingReadable(data, data.size(), unreadable);
    indices = repeatItems(readable.items, count);
    return repeatRows(readable.inputs, count);
}

} // namespace mimo
