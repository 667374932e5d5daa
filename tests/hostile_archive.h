#pragma once
// Torch archives written by hand, so a test can make each one wrong in exactly one way: the
// pickle opcodes, the tensor records, the storage records and the zip directory. The
// unchanged archive of a model must load (hostile_files' baseline), so every refusal comes
// from the one change. torch and zlib headers: tests only.
#include "core/model/model_card.h"
#include "core/model/weights_checksum.h"

#include <ATen/ATen.h>
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mimo::testing {

inline void putLittle(std::string& out, uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out += char((value >> (8 * i)) & 0xff);
}

inline void putLittleAt(std::string& out, std::size_t at, uint64_t value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out[at + std::size_t(i)] = char((value >> (8 * i)) & 0xff);
}

struct ZipRecord {
    std::string name; // under the archive's top folder, e.g. "data.pkl"
    std::string bytes;
};

// A stored (uncompressed) zip with every record under "archive/" and a last record "version",
// as torch::pickle_save writes it (LibTorch's reader wants that record, so the same files can
// show what it did with them). `patchDirectory` may change the central directory bytes.
inline std::string zipArchive(std::vector<ZipRecord> records,
                              const std::function<void(std::string&)>& patchDirectory = {})
{
    records.push_back({"version", "3\n"});
    std::string out, directory;
    for (const auto& record : records) {
        const std::string name = "archive/" + record.name;
        const auto crc = uint32_t(crc32(0L, reinterpret_cast<const Bytef*>(record.bytes.data()), uInt(record.bytes.size())));
        const auto offset = out.size();
        std::string common;
        putLittle(common, 20, 2); // version needed
        putLittle(common, 0, 2);  // flags
        putLittle(common, 0, 2);  // stored
        putLittle(common, 0, 4);  // time, date
        putLittle(common, crc, 4);
        putLittle(common, record.bytes.size(), 4);
        putLittle(common, record.bytes.size(), 4);
        putLittle(common, name.size(), 2);
        putLittle(common, 0, 2); // extra
        out += "PK\x03\x04" + common + name + record.bytes;
        directory += "PK\x01\x02";
        putLittle(directory, 20, 2); // version made by
        directory += common;
        putLittle(directory, 0, 2); // comment
        putLittle(directory, 0, 4); // disk, internal attributes
        putLittle(directory, 0, 4); // external attributes
        putLittle(directory, offset, 4);
        directory += name;
    }
    if (patchDirectory)
        patchDirectory(directory);
    const auto directoryOffset = out.size();
    out += directory;
    out += "PK\x05\x06";
    putLittle(out, 0, 4);
    putLittle(out, records.size(), 2);
    putLittle(out, records.size(), 2);
    putLittle(out, directory.size(), 4);
    putLittle(out, directoryOffset, 4);
    putLittle(out, 0, 2);
    return out;
}

// Pickle protocol 2 opcodes, written one call at a time.
class PickleWriter {
public:
    PickleWriter() { out_ = "\x80\x02"; }
    PickleWriter& raw(const std::string& bytes)
    {
        out_ += bytes;
        return *this;
    }
    PickleWriter& text(const std::string& value)
    {
        out_ += 'X';
        putLittle(out_, value.size(), 4);
        out_ += value;
        return *this;
    }
    PickleWriter& integer(int64_t value)
    {
        if (value >= INT32_MIN && value <= INT32_MAX) {
            out_ += 'J';
            putLittle(out_, uint64_t(value), 4);
        } else {
            out_ += "\x8a\x08";
            putLittle(out_, uint64_t(value), 8);
        }
        return *this;
    }
    PickleWriter& global(const std::string& module, const std::string& name)
    {
        out_ += "c" + module + "\n" + name + "\n";
        return *this;
    }
    PickleWriter& integers(const std::vector<int64_t>& values)
    {
        out_ += '(';
        for (int64_t v : values)
            integer(v);
        out_ += 't';
        return *this;
    }
    std::string finish() const { return out_ + "."; }

private:
    std::string out_;
};

// One tensor record of a model archive and its storage record, as a test may change them.
struct TensorRecord {
    std::string storageType = "FloatStorage";
    std::string key;
    int64_t numel = 0;
    int64_t offset = 0;
    std::vector<int64_t> sizes;
    std::vector<int64_t> strides;
    std::string bytes; // the storage record
};

inline std::vector<int64_t> contiguousStrides(const std::vector<int64_t>& sizes)
{
    std::vector<int64_t> strides(sizes.size(), 1);
    for (std::size_t i = sizes.size(); i-- > 1;)
        strides[i - 1] = strides[i] * sizes[i];
    return strides;
}

// A model file as saveConvModel/saveFormerModel write it, from its parts; `mutate` changes a
// tensor's record before it is written, `checksum` replaces the computed one (empty: none).
struct ModelArchive {
    std::string format = "mimo-explorer-model";
    std::string config;
    std::string card = toJson(ModelCard{});
    int64_t formatVersion = 2;
    std::map<std::string, at::Tensor> tensors;
    std::optional<std::string> checksum;
    std::map<std::string, std::function<void(TensorRecord&)>> mutate;
    std::vector<ZipRecord> extraRecords;

    std::string build() const
    {
        PickleWriter p;
        p.raw("}(");
        p.text("format").text(format);
        p.text("format_version").integer(formatVersion);
        p.text("config").text(config);
        p.text("card").text(card);
        p.text("state_dict").raw("}(");
        std::vector<ZipRecord> records;
        int key = 0;
        for (const auto& [name, tensor] : tensors) {
            const at::Tensor values = tensor.contiguous();
            TensorRecord r;
            r.storageType = values.scalar_type() == at::kLong ? "LongStorage" : "FloatStorage";
            r.key = std::to_string(key++);
            r.numel = values.numel();
            r.sizes = values.sizes().vec();
            r.strides = contiguousStrides(r.sizes);
            r.bytes.assign(static_cast<const char*>(values.data_ptr()), values.nbytes());
            const std::string record = "data/" + r.key; // a changed key names a record that is not there
            if (mutate.count(name))
                mutate.at(name)(r);
            p.text(name).global("torch._utils", "_rebuild_tensor_v2").raw("((");
            p.text("storage").global("torch", r.storageType).text(r.key).text("cpu").integer(r.numel).raw("tQ");
            p.integer(r.offset).integers(r.sizes).integers(r.strides);
            p.raw("\x89").global("collections", "OrderedDict").raw(")Rt").raw("R");
            records.push_back({record, r.bytes});
        }
        p.raw("u");
        if (!checksum || !checksum->empty())
            p.text("weights_sha256").text(checksum ? *checksum : weightsChecksum(tensors));
        p.raw("u");
        records.insert(records.begin(), ZipRecord{"data.pkl", p.finish()});
        records.insert(records.end(), extraRecords.begin(), extraRecords.end());
        return zipArchive(records);
    }
};

// An archive holding only the pickle `pickle`: enough for every refusal of the pickle reader.
inline std::string pickleArchive(const std::string& pickle) { return zipArchive({{"data.pkl", pickle}}); }

} // namespace mimo::testing
