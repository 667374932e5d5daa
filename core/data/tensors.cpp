#include "core/data/tensors.h"

#include "core/errors.h"

#include <ATen/ATen.h>

#include <string>

namespace mimo {
namespace {

std::string shapeText(const std::vector<int64_t>& shape)
{
    std::string text = "[";
    for (size_t i = 0; i < shape.size(); ++i)
        text += (i ? ", " : "") + std::to_string(shape[i]);
    return text + "]";
}

int64_t elementCount(const std::vector<int64_t>& shape)
{
    int64_t count = 1;
    for (int64_t extent : shape)
        count *= extent;
    return count;
}

} // namespace

at::Tensor sampleToTensor(const Sample& sample)
{
    const int64_t count = elementCount(sample.shape);
    if (sample.modality == Modality::Image) {
        if (static_cast<int64_t>(sample.pixels.size()) != count)
            throw Error("sample: " + std::to_string(sample.pixels.size()) + " pixel values do not fill shape " +
                        shapeText(sample.shape));
        return at::from_blob(const_cast<float*>(sample.pixels.data()), sample.shape, at::kFloat).clone();
    }
    if (static_cast<int64_t>(sample.tokens.size()) != count)
        throw Error("sample: " + std::to_string(sample.tokens.size()) + " tokens do not fill shape " +
                    shapeText(sample.shape));
    return at::from_blob(const_cast<int32_t*>(sample.tokens.data()), sample.shape, at::kInt).to(at::kLong);
}

TensorBatch makeBatch(const Dataset& dataset, const std::vector<std::size_t>& indices)
{
    if (indices.empty())
        throw Error(dataset.name() + ": an empty batch was requested");
    std::vector<at::Tensor> inputs;
    std::vector<int64_t> labels;
    inputs.reserve(indices.size());
    labels.reserve(indices.size());
    std::vector<int64_t> firstShape;
    for (std::size_t index : indices) {
        if (index >= dataset.size())
            throw Error(dataset.name() + ": item " + std::to_string(index) + " is out of range (size " +
                        std::to_string(dataset.size()) + ")");
        Sample sample = dataset.sample(index);
        if (inputs.empty())
            firstShape = sample.shape;
        else if (sample.shape != firstShape)
            throw Error(dataset.name() + ": item " + std::to_string(index) + " has shape " + shapeText(sample.shape) +
                        " but the batch started with " + shapeText(firstShape));
        inputs.push_back(sampleToTensor(sample));
        labels.push_back(sample.label);
    }
    TensorBatch batch;
    batch.inputs = at::stack(inputs);
    batch.labels = at::tensor(labels, at::kLong);
    return batch;
}

} // namespace mimo
