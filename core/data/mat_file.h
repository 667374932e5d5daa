#pragma once
// MATLAB .mat files read through Debian's libmatio (no MAT parser of our own): the few
// variables a dataset needs, each checked for class, shape and size before its data is read.
// Everything unexpected is a DataError naming the file and the variable; what matio itself
// complains about goes into that message instead of onto the terminal. matio stays out of
// this header.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mimo {

struct MatVariableInfo {
    std::string name;
    std::string className; // as MATLAB names it: "uint8", "double", "struct", ...
    bool numeric = false;  // a numeric (or logical) array, not a struct, cell, char or sparse one
    bool complex = false;
    std::vector<uint64_t> dims;
    // The product of dims, or UINT64_MAX when it does not fit.
    uint64_t elementCount() const;
    // "32x32x3x73257"
    std::string shapeText() const;
};

class MatFile {
public:
    // Opens `path` read-only; throws DataError(path, ...) when it is missing, not a regular file,
    // larger than maxBytes (checked before anything is read) or not a MAT file matio reads.
    MatFile(const std::string& path, uint64_t maxBytes);
    ~MatFile();
    MatFile(const MatFile&) = delete;
    MatFile& operator=(const MatFile&) = delete;

    const std::string& path() const { return path_; }
    // The names of the variables the file holds, in file order.
    std::vector<std::string> variableNames();
    // The header of `name`, without its data; DataError naming the variables the file does hold
    // when it has no `name`.
    MatVariableInfo info(const std::string& name);
    // The whole of `name`, which must be a real uint8 array of at most maxElements elements, in
    // MATLAB's column-major order.
    std::vector<uint8_t> readUInt8(const std::string& name, uint64_t maxElements);
    // The whole of `name`, a real numeric array of any class (at most maxElements), as doubles.
    std::vector<double> readNumbers(const std::string& name, uint64_t maxElements);

private:
    struct Handle;
    std::string path_;
    std::unique_ptr<Handle> handle_;
};

} // namespace mimo
