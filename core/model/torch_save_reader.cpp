#include "core/model/torch_save_reader.h"

#include "core/model/torch_archive.h"
#include "core/errors.h"

namespace mimo {
namespace {

using Kind = PickleValue::Kind;

// Nested dictionaries deeper than a checkpoint's {'model_state_dict': {...}} are not weights.
constexpr int kMaxKeyPathDepth = 4;

void collect(const PickleValue& dict, const std::string& prefix, std::map<std::string, at::Tensor>& out, int depth)
{
    if (depth > kMaxKeyPathDepth)
        return;
    for (const auto& [key, value] : dict.entries) {
        if (!key->is(Kind::Text))
            continue;
        const std::string name = prefix.empty() ? key->text : prefix + "/" + key->text;
        if (value->is(Kind::Tensor))
            out[name] = value->tensor;
        else if (value->is(Kind::Dict))
            collect(*value, name, out, depth + 1);
    }
}

} // namespace

std::map<std::string, at::Tensor> readTorchSaveTensors(const std::string& path)
{
    const PickleValuePtr root = readTorchArchive(path, kMaxCheckpointBytes, "checkpoint", TensorData::Read);
    if (!root->is(Kind::Dict))
        throw DataError(path, "the checkpoint does not hold a dictionary");
    std::map<std::string, at::Tensor> tensors;
    collect(*root, "", tensors, 0);
    return tensors;
}

} // namespace mimo
