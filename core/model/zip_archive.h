#pragma once
// Read-only access to the uncompressed ("stored") zip archives that torch.save and
// torch::pickle_save write, checked before anything is allocated: the central directory must
// lie inside the file, every record must lie inside the file without overlapping another, and
// every record read is checked against its CRC-32 (LibTorch's own reader skips that check, so
// flipped bits in weights used to load silently). No torch here. Limits: docs/file-safety.md.
#include <cstdint>
#include <fstream>
#include <map>
#include <string>

namespace mimo {

// Beyond these a file is refused before its directory is read.
inline constexpr uint64_t kMaxZipEntries = 100000;
inline constexpr uint64_t kMaxZipNameBytes = 4096;

class ZipArchive {
public:
    // Opens `path` (a regular file of at most maxFileBytes bytes). `what` names the kind of
    // file in messages ("model file", "checkpoint"). Throws DataError(path, ...).
    ZipArchive(const std::string& path, uint64_t maxFileBytes, std::string what);

    const std::string& path() const { return path_; }
    uint64_t fileBytes() const { return fileBytes_; }

    // Records by name relative to the archive's one top folder ("archive/data.pkl" is
    // "data.pkl"), as PyTorch names them. Compressed records are listed here but refused by
    // size() and read().
    bool has(const std::string& name) const { return records_.count(name) != 0; }
    // Throws DataError naming the record when it is missing or compressed.
    uint64_t size(const std::string& name) const;
    // Reads the whole record into `destination` (exactly size(name) bytes) and checks its CRC-32.
    void read(const std::string& name, void* destination) const;

private:
    struct Record {
        uint64_t headerOffset = 0;
        uint64_t dataOffset = 0;
        uint64_t size = 0;
        uint32_t crc = 0;
        uint64_t method = 0; // 0: stored; any other is refused when the record is used
    };

    const Record& record(const std::string& name) const;
    void readAt(uint64_t offset, void* destination, uint64_t count, const std::string& part) const;
    void readDirectory();
    void locateData();
    [[noreturn]] void fail(const std::string& problem) const;

    std::string path_;
    std::string what_;
    uint64_t fileBytes_ = 0;
    uint64_t directoryOffset_ = 0;
    mutable std::ifstream in_;
    std::map<std::string, Record> records_;
};

} // namespace mimo
