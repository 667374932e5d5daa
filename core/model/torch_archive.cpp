#include "core/model/torch_archive.h"

#include "core/errors.h"
#include "core/model/zip_archive.h"

#include <ATen/ATen.h>

#include <new>
#include <vector>

namespace mimo {
namespace {

at::Tensor loadStorage(const ZipArchive& archive, const std::string& key, at::ScalarType dtype, int64_t numel,
                       TensorData data)
{
    const std::string record = "data/" + key;
    const uint64_t present = archive.size(record);
    const auto elementBytes = uint64_t(c10::elementSize(dtype));
    uint64_t declared = 0;
    if (__builtin_mul_overflow(uint64_t(numel), elementBytes, &declared) || declared != present)
        throw DataError(archive.path(), "storage record " + record + " holds " + std::to_string(present) +
                                            " bytes but its tensor record declares " + std::to_string(numel) + " " +
                                            std::string(c10::toString(dtype)) + " elements (damaged file)");
    if (data == TensorData::LayoutOnly)
        return {};
    at::Tensor storage = at::empty({numel}, at::TensorOptions().dtype(dtype));
    archive.read(record, storage.data_ptr());
    return storage;
}

} // namespace

PickleValuePtr readTorchArchive(const std::string& path, uint64_t maxFileBytes, const std::string& what,
                                TensorData data)
{
    try {
        const ZipArchive archive(path, maxFileBytes, what);
        const uint64_t pickleBytes = archive.size("data.pkl");
        if (pickleBytes > kMaxArchivePickleBytes)
            throw DataError(path, "its data.pkl is " + std::to_string(pickleBytes) + " bytes, more than the " +
                                      std::to_string(kMaxArchivePickleBytes) + " this program reads");
        std::vector<uint8_t> pickle(pickleBytes);
        archive.read("data.pkl", pickle.data());
        const StorageLoader loader = [&](const std::string& key, at::ScalarType dtype, int64_t numel) {
            return loadStorage(archive, key, dtype, numel, data);
        };
        return readPickle(pickle.data(), pickle.size(), path, loader);
    } catch (const std::bad_alloc&) {
        throw DataError(path, "not enough memory to read this " + what);
    } catch (const c10::Error&) {
        // Allocation failures of LibTorch; its text ("[enforce fail at ...]") means nothing to a user.
        throw DataError(path, "not enough memory to read this " + what);
    }
}

} // namespace mimo
