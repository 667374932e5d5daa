#include "core/model/zip_archive.h"

#include "core/data/binary_file.h"
#include "core/errors.h"

#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <vector>

namespace mimo {
namespace {

constexpr uint32_t kEndSignature = 0x06054b50;
constexpr uint32_t kZip64EndSignature = 0x06064b50;
constexpr uint32_t kZip64LocatorSignature = 0x07064b50;
constexpr uint32_t kCentralSignature = 0x02014b50;
constexpr uint32_t kLocalSignature = 0x04034b50;
constexpr uint64_t kEndBytes = 22;
constexpr uint64_t kCentralBytes = 46;
constexpr uint64_t kLocalBytes = 30;
constexpr uint64_t kLongestComment = 0xffff;

uint64_t littleEndian(const uint8_t* bytes, int count)
{
    uint64_t value = 0;
    for (int i = count - 1; i >= 0; --i)
        value = (value << 8) | bytes[i];
    return value;
}

// Reads fields of a byte buffer without ever indexing past its end.
class Fields {
public:
    Fields(const std::vector<uint8_t>& bytes, uint64_t start, uint64_t end) : bytes_(bytes), at_(start), end_(end) {}
    bool fits(uint64_t count) const { return at_ <= end_ && count <= end_ - at_; }
    uint64_t take(int count)
    {
        const uint64_t value = littleEndian(bytes_.data() + at_, count);
        at_ += uint64_t(count);
        return value;
    }
    std::string text(uint64_t count)
    {
        std::string value(reinterpret_cast<const char*>(bytes_.data() + at_), count);
        at_ += count;
        return value;
    }
    void skip(uint64_t count) { at_ += count; }
    uint64_t at() const { return at_; }

private:
    const std::vector<uint8_t>& bytes_;
    uint64_t at_;
    uint64_t end_;
};

} // namespace

ZipArchive::ZipArchive(const std::string& path, uint64_t maxFileBytes, std::string what)
    : path_(path), what_(std::move(what))
{
    std::error_code error;
    if (!std::filesystem::exists(std::filesystem::symlink_status(path, error)))
        fail("cannot open the " + what_ + ": no such file");
    requireRegularFile(path);
    fileBytes_ = std::filesystem::file_size(path, error);
    if (error)
        fail("cannot read the size of the " + what_);
    if (fileBytes_ == 0)
        fail("the " + what_ + " is empty");
    if (fileBytes_ > maxFileBytes)
        fail("the " + what_ + " is " + std::to_string(fileBytes_) + " bytes, more than the " +
             std::to_string(maxFileBytes) + " this program reads (docs/file-safety.md)");
    in_.open(path, std::ios::binary);
    if (!in_)
        fail("cannot open the " + what_ + " for reading");
    char magic[2] = {0, 0};
    in_.read(magic, 2);
    if (magic[0] != 'P' || magic[1] != 'K')
        fail("not a readable " + what_ + " (not the zip archive torch.save writes; another format or damaged)");
    readDirectory();
    locateData();
}

void ZipArchive::fail(const std::string& problem) const { throw DataError(path_, problem); }

void ZipArchive::readAt(uint64_t offset, void* destination, uint64_t count, const std::string& part) const
{
    if (offset > fileBytes_ || count > fileBytes_ - offset)
        fail(part + " lies past the end of the file (truncated " + what_ + "?)");
    in_.clear();
    in_.seekg(std::streamoff(offset));
    auto* out = static_cast<char*>(destination);
    for (uint64_t done = 0; done < count;) {
        const auto chunk = std::streamsize(std::min<uint64_t>(count - done, uint64_t(1) << 30));
        in_.read(out + done, chunk);
        if (in_.gcount() != chunk)
            fail("read error in " + part + " (the file changed or is truncated)");
        done += uint64_t(chunk);
    }
}

void ZipArchive::readDirectory()
{
    if (fileBytes_ < kEndBytes)
        fail("the " + what_ + " is truncated (" + std::to_string(fileBytes_) + " bytes, no zip directory)");
    const uint64_t tailBytes = std::min<uint64_t>(fileBytes_, kEndBytes + kLongestComment);
    std::vector<uint8_t> tail(tailBytes);
    readAt(fileBytes_ - tailBytes, tail.data(), tailBytes, "the zip directory");
    uint64_t end = tailBytes - kEndBytes + 1;
    while (end-- > 0 && littleEndian(tail.data() + end, 4) != kEndSignature) {
    }
    if (end > tailBytes)
        fail("the " + what_ + " is truncated or not a zip archive (no end of the zip directory)");
    Fields eocd(tail, end + 4, tailBytes);
    eocd.skip(6);
    uint64_t entries = eocd.take(2);
    uint64_t directoryBytes = eocd.take(4);
    uint64_t directoryOffset = eocd.take(4);
    const uint64_t endOffset = fileBytes_ - tailBytes + end;
    if (entries == 0xffff || directoryBytes == 0xffffffff || directoryOffset == 0xffffffff) {
        // Zip64: the real values are in a second record, found through the locator just before.
        if (end < 20 || littleEndian(tail.data() + end - 20, 4) != kZip64LocatorSignature)
            fail("the zip directory of the " + what_ + " is damaged (zip64 locator missing)");
        const uint64_t recordOffset = littleEndian(tail.data() + end - 20 + 8, 8);
        std::vector<uint8_t> record(56);
        if (recordOffset > endOffset || endOffset - recordOffset < 56)
            fail("the zip directory of the " + what_ + " is damaged (zip64 record outside the file)");
        readAt(recordOffset, record.data(), 56, "the zip64 directory record");
        if (littleEndian(record.data(), 4) != kZip64EndSignature)
            fail("the zip directory of the " + what_ + " is damaged (zip64 record signature)");
        entries = littleEndian(record.data() + 32, 8);
        directoryBytes = littleEndian(record.data() + 40, 8);
        directoryOffset = littleEndian(record.data() + 48, 8);
    }
    if (entries == 0)
        fail("the " + what_ + " is an empty zip archive");
    if (entries > kMaxZipEntries)
        fail("the zip directory lists " + std::to_string(entries) + " records, more than the " +
             std::to_string(kMaxZipEntries) + " this program reads");
    if (directoryOffset > endOffset || directoryBytes > endOffset - directoryOffset ||
        directoryBytes < entries * kCentralBytes)
        fail("the zip directory of the " + what_ + " does not fit in the file (truncated or damaged)");
    directoryOffset_ = directoryOffset;

    std::vector<uint8_t> directory(directoryBytes);
    readAt(directoryOffset, directory.data(), directoryBytes, "the zip directory");
    Fields at(directory, 0, directoryBytes);
    std::string top;
    for (uint64_t i = 0; i < entries; ++i) {
        const std::string entry = "zip directory entry " + std::to_string(i);
        if (!at.fits(kCentralBytes) || at.take(4) != kCentralSignature)
            fail(entry + " is damaged (truncated " + what_ + "?)");
        at.skip(4);
        const uint64_t flags = at.take(2);
        const uint64_t method = at.take(2);
        at.skip(4);
        Record r;
        r.crc = uint32_t(at.take(4));
        uint64_t compressed = at.take(4);
        uint64_t size = at.take(4);
        const uint64_t nameBytes = at.take(2), extraBytes = at.take(2), commentBytes = at.take(2);
        at.skip(8);
        r.headerOffset = at.take(4);
        if (nameBytes == 0 || nameBytes > kMaxZipNameBytes || !at.fits(nameBytes + extraBytes + commentBytes))
            fail(entry + " has a damaged name");
        const std::string name = at.text(nameBytes);
        const uint64_t extraEnd = at.at() + extraBytes;
        while (at.at() + 4 <= extraEnd) { // zip64 sizes replace the saturated 32-bit ones, in order
            const uint64_t id = at.take(2), length = at.take(2);
            const uint64_t fieldEnd = at.at() + length;
            if (fieldEnd > extraEnd)
                fail("record '" + name + "' has a damaged extra field");
            if (id == 0x0001) {
                for (uint64_t* value : {&size, &compressed, &r.headerOffset})
                    if (*value == 0xffffffff && at.at() + 8 <= fieldEnd)
                        *value = at.take(8);
            }
            at.skip(fieldEnd - at.at());
        }
        at.skip(extraEnd - at.at() + commentBytes);
        if (flags & 0x1)
            fail("record '" + name + "' is encrypted");
        if (method == 0 && compressed != size)
            fail("record '" + name + "' is stored but lists two sizes (damaged zip directory)");
        // A compressed record is listed, so that an archive can be recognised by its records
        // (LibTorch's TorchScript archives compress their code), but never read (record()).
        r.method = method;
        r.size = compressed; // its extent in the file
        const auto slash = name.find('/');
        const std::string folder = slash == std::string::npos ? std::string() : name.substr(0, slash);
        if (i == 0)
            top = folder;
        if (folder.empty() || folder != top)
            fail("record '" + name + "' is not in the archive's one top folder '" + top +
                 "' (not a torch archive)");
        if (!records_.emplace(name.substr(slash + 1), r).second)
            fail("record '" + name + "' appears twice in the zip directory");
    }
}

void ZipArchive::locateData()
{
    // Each record's header and data must lie before the directory and end before the next
    // record begins, so no byte of the file is read as part of two records.
    std::vector<std::pair<const std::string*, Record*>> byOffset;
    for (auto& [name, r] : records_)
        byOffset.emplace_back(&name, &r);
    std::sort(byOffset.begin(), byOffset.end(),
              [](const auto& a, const auto& b) { return a.second->headerOffset < b.second->headerOffset; });
    uint64_t previousEnd = 0;
    for (auto& [name, r] : byOffset) {
        const std::string part = "record '" + *name + "'";
        if (r->headerOffset < previousEnd)
            fail(part + " overlaps another record (damaged or hostile zip directory)");
        if (r->headerOffset > directoryOffset_ || directoryOffset_ - r->headerOffset < kLocalBytes)
            fail(part + " lies outside the file's data (truncated or damaged)");
        uint8_t header[kLocalBytes];
        readAt(r->headerOffset, header, kLocalBytes, part);
        if (littleEndian(header, 4) != kLocalSignature)
            fail(part + " has a damaged header (truncated or damaged)");
        r->dataOffset = r->headerOffset + kLocalBytes + littleEndian(header + 26, 2) + littleEndian(header + 28, 2);
        if (r->dataOffset > directoryOffset_ || r->size > directoryOffset_ - r->dataOffset)
            fail(part + " of " + std::to_string(r->size) + " bytes runs past the end of the data (truncated?)");
        previousEnd = r->dataOffset + r->size;
    }
}

const ZipArchive::Record& ZipArchive::record(const std::string& name) const
{
    const auto it = records_.find(name);
    if (it == records_.end())
        fail("the " + what_ + " lacks the record '" + name + "' (truncated or damaged)");
    if (it->second.method != 0)
        fail("record '" + name + "' is compressed (method " + std::to_string(it->second.method) +
             "); torch archives store records uncompressed");
    return it->second;
}

uint64_t ZipArchive::size(const std::string& name) const { return record(name).size; }

void ZipArchive::read(const std::string& name, void* destination) const
{
    const Record& r = record(name);
    readAt(r.dataOffset, destination, r.size, "record '" + name + "'");
    uLong crc = crc32(0L, Z_NULL, 0);
    const auto* bytes = static_cast<const Bytef*>(destination);
    for (uint64_t done = 0; done < r.size;) {
        const auto chunk = uInt(std::min<uint64_t>(r.size - done, uint64_t(1) << 30));
        crc = crc32(crc, bytes + done, chunk);
        done += chunk;
    }
    if (uint32_t(crc) != r.crc)
        fail("record '" + name + "' is damaged: its CRC-32 does not match the one the zip directory lists");
}

} // namespace mimo
