#include "core/train/checkpoint_file.h"

#include "core/errors.h"
#include "core/model/torch_archive.h"
#include "core/model/weights_checksum.h"
#include "core/model/zip_archive.h"

#include <torch/serialize.h>

#include <new>
#include <utility>

namespace mimo {
namespace {

constexpr const char* kWhat = "training checkpoint";

using Kind = PickleValue::Kind;
using Fields = std::map<std::string, PickleValuePtr>;

// ---- writing

c10::impl::GenericDict anyDict() { return c10::impl::GenericDict(c10::StringType::get(), c10::AnyType::get()); }

c10::impl::GenericDict encodeOptimizer(const OptimizerState& optimizer)
{
    c10::List<int64_t> groupSizes;
    for (const int64_t size : optimizer.groupSizes)
        groupSizes.push_back(size);
    c10::impl::GenericList state(c10::DictType::create(c10::StringType::get(), c10::AnyType::get()));
    for (const ParameterState& parameter : optimizer.parameters) {
        auto entry = anyDict();
        entry.insert("group", parameter.group);
        entry.insert("index", parameter.index);
        if (parameter.step)
            entry.insert("step", *parameter.step);
        for (const auto& [name, tensor] : parameter.tensors)
            entry.insert(name, tensor.detach().to(at::kCPU));
        state.push_back(std::move(entry));
    }
    auto encoded = anyDict();
    encoded.insert("kind", optimizer.kind);
    encoded.insert("group_sizes", groupSizes);
    encoded.insert("state", state);
    return encoded;
}

// ---- reading: every field checked for presence and type, named in messages

[[noreturn]] void fail(const std::string& path, const std::string& problem) { throw DataError(path, problem); }

Fields fieldsOf(const PickleValue& value, const std::string& what, const std::string& path)
{
    if (!value.is(Kind::Dict))
        fail(path, what + " is not a dictionary");
    Fields fields;
    for (const auto& [key, entry] : value.entries) {
        if (!key->is(Kind::Text))
            fail(path, what + " has a key that is not text");
        if (!fields.emplace(key->text, entry).second)
            fail(path, what + " names '" + key->text + "' twice");
    }
    return fields;
}

const PickleValue& field(const Fields& fields, const std::string& key, Kind kind, const std::string& what,
                         const std::string& path)
{
    static const std::map<Kind, const char*> kindNames{{Kind::Int, "a whole number"}, {Kind::Text, "text"},
                                                       {Kind::List, "a list"},        {Kind::Dict, "a dictionary"},
                                                       {Kind::Tensor, "a tensor"}};
    const auto it = fields.find(key);
    if (it == fields.end())
        fail(path, what + " has no '" + key + "' entry");
    if (!it->second->is(kind))
        fail(path, "'" + key + "' in " + what + " is not " + kindNames.at(kind));
    return *it->second;
}

std::map<std::string, at::Tensor> decodeModel(const PickleValue& value, const std::string& path)
{
    std::map<std::string, at::Tensor> tensors;
    for (const auto& [name, tensor] : fieldsOf(value, "the model's tensors", path)) {
        if (!tensor->is(Kind::Tensor))
            fail(path, "the model's entry '" + name + "' is not a tensor");
        tensors[name] = tensor->tensor;
    }
    return tensors;
}

ParameterState decodeParameter(const PickleValue& value, std::size_t position, const std::string& path)
{
    const std::string what = "optimizer state entry " + std::to_string(position);
    const Fields fields = fieldsOf(value, what, path);
    ParameterState parameter;
    parameter.group = field(fields, "group", Kind::Int, what, path).integer;
    parameter.index = field(fields, "index", Kind::Int, what, path).integer;
    for (const auto& [name, entry] : fields) {
        if (name == "group" || name == "index")
            continue;
        if (name == "step")
            parameter.step = field(fields, "step", Kind::Int, what, path).integer;
        else
            parameter.tensors[name] = field(fields, name, Kind::Tensor, what, path).tensor;
    }
    return parameter;
}

OptimizerState decodeOptimizer(const PickleValue& value, const std::string& path)
{
    const std::string what = "the optimizer state";
    const Fields fields = fieldsOf(value, what, path);
    OptimizerState optimizer;
    optimizer.kind = field(fields, "kind", Kind::Text, what, path).text;
    for (const auto& size : field(fields, "group_sizes", Kind::List, what, path).items) {
        if (!size->is(Kind::Int) || size->integer < 0)
            fail(path, "the optimizer's group sizes are not whole numbers of 0 or more");
        optimizer.groupSizes.push_back(size->integer);
    }
    const auto& entries = field(fields, "state", Kind::List, what, path).items;
    for (std::size_t i = 0; i < entries.size(); ++i)
        optimizer.parameters.push_back(decodeParameter(*entries[i], i, path));
    return optimizer;
}

int64_t formatVersion(const Fields& root, const std::string& path)
{
    const std::string tag = field(root, "format", Kind::Text, "the checkpoint", path).text;
    if (tag != kCheckpointFormatTag)
        fail(path, "not a MIMO Explorer training checkpoint (format tag '" + tag + "')");
    const int64_t version = field(root, "format_version", Kind::Int, "the checkpoint", path).integer;
    if (version < 1)
        fail(path, "the checkpoint's format_version " + std::to_string(version) + " is not 1 or more");
    if (version > kCheckpointFormatVersion)
        fail(path, "written by a newer MIMO Explorer (checkpoint format version " + std::to_string(version) +
                       "; this version reads up to " + std::to_string(kCheckpointFormatVersion) +
                       "); delete it or pass --restart");
    return version;
}

CheckpointContents decode(const PickleValue& root, const std::string& path)
{
    if (!root.is(Kind::Dict))
        fail(path, "not a MIMO Explorer training checkpoint (the archive holds no dictionary)");
    const Fields fields = fieldsOf(root, "the checkpoint", path);
    formatVersion(fields, path);
    const std::string what = "the checkpoint";
    CheckpointContents contents;
    contents.trainer = field(fields, "trainer", Kind::Text, what, path).text;
    contents.model = decodeModel(field(fields, "model", Kind::Dict, what, path), path);
    contents.optimizer = decodeOptimizer(field(fields, "optimizer", Kind::Dict, what, path), path);
    contents.rng = field(fields, "rng", Kind::Tensor, what, path).tensor;
    const std::string& checksum = field(fields, "checksum", Kind::Text, what, path).text;
    if (checkpointChecksum(contents) != checksum)
        fail(path, "the checkpoint does not match its checksum: the file is damaged (flipped bits or an edited "
                   "tensor); delete it or pass --restart");
    return contents;
}

// Checkpoints of earlier versions: LibTorch's OutputArchive writes a TorchScript module, whose
// archive holds constants.pkl, which torch::pickle_save never writes.
void refuseEarlierFormat(const std::string& path)
{
    try {
        if (ZipArchive(path, kMaxTrainingCheckpointBytes, kWhat).has("constants.pkl"))
            fail(path, "this training checkpoint was written by an earlier version of MIMO Explorer, whose "
                       "checkpoints are no longer read; delete it or pass --restart");
    } catch (const std::bad_alloc&) {
        fail(path, "not enough memory to read this " + std::string(kWhat));
    }
}

at::Tensor textTensor(const std::string& text)
{
    return at::from_blob(const_cast<char*>(text.data()), {int64_t(text.size())}, at::kByte);
}

} // namespace

std::string checkpointChecksum(const CheckpointContents& contents)
{
    std::map<std::string, at::Tensor> tensors;
    tensors["trainer"] = textTensor(contents.trainer);
    for (const auto& [name, tensor] : contents.model)
        tensors["model/" + name] = tensor;
    const OptimizerState& optimizer = contents.optimizer;
    tensors["optimizer/kind"] = textTensor(optimizer.kind);
    tensors["optimizer/group_sizes"] = at::tensor(at::IntArrayRef(optimizer.groupSizes), at::kLong);
    for (std::size_t i = 0; i < optimizer.parameters.size(); ++i) {
        const ParameterState& parameter = optimizer.parameters[i];
        // By list position too, so that two entries for one parameter cannot hide each other.
        const std::string prefix = "optimizer/" + std::to_string(i) + "/" + std::to_string(parameter.group) + "/" +
                                   std::to_string(parameter.index) + "/";
        for (const auto& [name, tensor] : parameter.tensors)
            tensors[prefix + name] = tensor;
        if (parameter.step)
            tensors[prefix + "step"] = at::scalar_tensor(*parameter.step, at::kLong);
    }
    tensors["rng"] = contents.rng;
    return weightsChecksum(tensors);
}

std::vector<char> encodeCheckpoint(const CheckpointContents& contents, const std::string& checksum)
{
    c10::Dict<std::string, at::Tensor> model;
    for (const auto& [name, tensor] : contents.model)
        model.insert(name, tensor.detach().to(at::kCPU));
    auto root = anyDict();
    root.insert("format", std::string(kCheckpointFormatTag));
    root.insert("format_version", int64_t(kCheckpointFormatVersion));
    root.insert("trainer", contents.trainer);
    root.insert("model", model);
    root.insert("optimizer", encodeOptimizer(contents.optimizer));
    root.insert("rng", contents.rng);
    root.insert("checksum", checksum);
    return torch::pickle_save(root);
}

CheckpointContents readCheckpointFile(const std::string& path)
{
    refuseEarlierFormat(path);
    const PickleValuePtr root = readTorchArchive(path, kMaxTrainingCheckpointBytes, kWhat, TensorData::Read);
    try {
        return decode(*root, path);
    } catch (const std::bad_alloc&) {
        fail(path, "not enough memory to read this " + std::string(kWhat));
    } catch (const c10::Error&) {
        // The checksum converts tensors; LibTorch's failures here are allocation failures.
        fail(path, "not enough memory to read this " + std::string(kWhat));
    }
}

} // namespace mimo
