#include "core/model/tensor_layout.h"

#include "core/errors.h"

#include <map>

namespace mimo {
namespace {

std::string listText(const std::vector<int64_t>& values)
{
    std::string text = "[";
    for (std::size_t i = 0; i < values.size(); ++i)
        text += (i ? ", " : "") + std::to_string(values[i]);
    return text + "]";
}

} // namespace

void checkTensorLayout(const std::vector<int64_t>& sizes, const std::vector<int64_t>& strides, int64_t offset,
                       int64_t storageNumel, const std::string& source)
{
    const std::string tensor = "a tensor of sizes " + listText(sizes) + ", strides " + listText(strides) +
                               " and storage offset " + std::to_string(offset);
    const auto fail = [&](const std::string& problem) { throw DataError(source, tensor + " " + problem); };
    if (sizes.size() != strides.size())
        fail("has " + std::to_string(sizes.size()) + " sizes but " + std::to_string(strides.size()) + " strides");
    if (sizes.size() > std::size_t(kMaxTensorDims))
        fail("has more than " + std::to_string(kMaxTensorDims) + " dimensions");
    if (offset < 0)
        fail("starts before its storage (negative offset)");
    int64_t numel = 1;
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        if (sizes[i] < 0 || strides[i] < 0)
            fail("has a negative size or stride");
        if (__builtin_mul_overflow(numel, sizes[i], &numel))
            fail("has more elements than can be counted");
    }
    if (numel == 0) {
        if (offset > storageNumel)
            fail("starts past the end of its storage of " + std::to_string(storageNumel) + " elements");
        return;
    }
    int64_t last = offset; // the furthest element the tensor reads
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        int64_t step = 0;
        if (__builtin_mul_overflow(sizes[i] - 1, strides[i], &step) || __builtin_add_overflow(last, step, &last))
            fail("reaches further than can be counted");
    }
    if (last >= storageNumel)
        fail("reads element " + std::to_string(last) + " of a storage of " + std::to_string(storageNumel) +
             " elements (damaged or hostile file)");
    // Only overlapping strides give more elements than the storage holds; a state dict never
    // has them, and a view that repeats its storage could ask for any amount of memory.
    if (numel > storageNumel)
        fail("has more elements than its storage of " + std::to_string(storageNumel) + " (overlapping strides)");
}

at::ScalarType storageScalarType(const std::string& global, const std::string& source)
{
    static const std::map<std::string, at::ScalarType> types{
        {"torch.FloatStorage", at::kFloat},       {"torch.DoubleStorage", at::kDouble},
        {"torch.HalfStorage", at::kHalf},         {"torch.BFloat16Storage", at::kBFloat16},
        {"torch.LongStorage", at::kLong},         {"torch.IntStorage", at::kInt},
        {"torch.ShortStorage", at::kShort},       {"torch.CharStorage", at::kChar},
        {"torch.ByteStorage", at::kByte},         {"torch.BoolStorage", at::kBool}};
    const auto it = types.find(global);
    if (it == types.end())
        throw DataError(source, "a tensor storage has the unsupported type '" + global.substr(0, 80) +
                                    "' (float, double, half, bfloat16, integer and bool storages are read)");
    return it->second;
}

} // namespace mimo
