#include "core/data/mat_file.h"

#include "core/data/binary_file.h"
#include "core/data/mat_guard.h"
#include "core/errors.h"

#include <matio.h>

#include <cstring>
#include <limits>
#include <mutex>

namespace mimo {
namespace {

// matio reports problems through a log function (its default prints them, and older versions
// abort on a critical one). Ours keeps the latest message of the calling thread for the
// DataError that follows.
thread_local std::string lastMatioMessage;

void keepMessage(int /*level*/, char* message)
{
    lastMatioMessage = message ? message : "";
}

void installLogger()
{
    static std::once_flag once;
    std::call_once(once, [] { Mat_LogInitFunc("mimo", keepMessage); });
}

std::string matioSays()
{
    return lastMatioMessage.empty() ? std::string() : " (matio: " + lastMatioMessage + ")";
}

const char* className(matio_classes type)
{
    switch (type) {
    case MAT_C_CELL: return "cell";
    case MAT_C_STRUCT: return "struct";
    case MAT_C_OBJECT: return "object";
    case MAT_C_CHAR: return "char";
    case MAT_C_SPARSE: return "sparse";
    case MAT_C_DOUBLE: return "double";
    case MAT_C_SINGLE: return "single";
    case MAT_C_INT8: return "int8";
    case MAT_C_UINT8: return "uint8";
    case MAT_C_INT16: return "int16";
    case MAT_C_UINT16: return "uint16";
    case MAT_C_INT32: return "int32";
    case MAT_C_UINT32: return "uint32";
    case MAT_C_INT64: return "int64";
    case MAT_C_UINT64: return "uint64";
    case MAT_C_FUNCTION: return "function";
    default: return "unknown";
    }
}

// Bytes per element of a numeric class; 0 for anything else.
std::size_t elementBytes(matio_classes type)
{
    switch (type) {
    case MAT_C_DOUBLE:
    case MAT_C_INT64:
    case MAT_C_UINT64: return 8;
    case MAT_C_SINGLE:
    case MAT_C_INT32:
    case MAT_C_UINT32: return 4;
    case MAT_C_INT16:
    case MAT_C_UINT16: return 2;
    case MAT_C_INT8:
    case MAT_C_UINT8: return 1;
    default: return 0;
    }
}

struct VariableDeleter {
    void operator()(matvar_t* variable) const { Mat_VarFree(variable); }
};
using Variable = std::unique_ptr<matvar_t, VariableDeleter>;

MatVariableInfo describe(const matvar_t& variable, const std::string& name)
{
    MatVariableInfo info;
    info.name = name;
    info.className = className(variable.class_type);
    info.numeric = elementBytes(variable.class_type) > 0;
    info.complex = variable.isComplex != 0;
    if (variable.rank > 0 && variable.dims)
        for (int d = 0; d < variable.rank; ++d)
            info.dims.push_back(uint64_t(variable.dims[d]));
    return info;
}

template <typename T>
void widen(const void* data, uint64_t count, std::vector<double>& out)
{
    const auto* values = static_cast<const T*>(data);
    for (uint64_t i = 0; i < count; ++i)
        out.push_back(double(values[i]));
}

} // namespace

uint64_t MatVariableInfo::elementCount() const
{
    uint64_t count = dims.empty() ? 0 : 1;
    for (uint64_t d : dims) {
        if (d != 0 && count > std::numeric_limits<uint64_t>::max() / d)
            return std::numeric_limits<uint64_t>::max();
        count *= d;
    }
    return count;
}

std::string MatVariableInfo::shapeText() const
{
    std::string text;
    for (std::size_t d = 0; d < dims.size(); ++d)
        text += (d ? "x" : "") + std::to_string(dims[d]);
    return text.empty() ? "no dimensions" : text;
}

struct MatFile::Handle {
    mat_t* file = nullptr;
    ~Handle()
    {
        if (file)
            Mat_Close(file);
    }
};

MatFile::MatFile(const std::string& path, uint64_t maxBytes) : path_(path), handle_(std::make_unique<Handle>())
{
    installLogger();
    requireRegularFile(path);
    const uint64_t size = requireFileSizeAtMost(path, maxBytes, "MAT file");
    if (size == 0)
        throw DataError(path, "the file is empty");
    // Version 7.3 files are HDF5 and version 4 files another format; SVHN's are version 5, whose
    // structure is checked before matio sees the file.
    checkMat5Structure(path, size);
    lastMatioMessage.clear();
    handle_->file = Mat_Open(path.c_str(), MAT_ACC_RDONLY);
    if (!handle_->file || Mat_GetVersion(handle_->file) != MAT_FT_MAT5)
        throw DataError(path, "not a MATLAB version 5 .mat file that libmatio can read" + matioSays());
}

MatFile::~MatFile() = default;

std::vector<std::string> MatFile::variableNames()
{
    std::vector<std::string> names;
    lastMatioMessage.clear();
    if (Mat_Rewind(handle_->file) != 0)
        throw DataError(path_, "cannot go back to the first variable" + matioSays());
    // Bounded: a damaged file must not list variables for ever.
    for (int count = 0; count < 1000; ++count) {
        Variable variable(Mat_VarReadNextInfo(handle_->file));
        if (!variable)
            break;
        names.push_back(variable->name ? variable->name : "(unnamed)");
    }
    return names;
}

MatVariableInfo MatFile::info(const std::string& name)
{
    lastMatioMessage.clear();
    Variable variable(Mat_VarReadInfo(handle_->file, name.c_str()));
    if (!variable) {
        const std::string why = matioSays();
        std::string held;
        for (const auto& other : variableNames())
            held += (held.empty() ? "" : ", ") + other;
        throw DataError(path_, "no variable '" + name + "'" + why + "; the file holds " +
                                   (held.empty() ? std::string("no readable variables") : held));
    }
    return describe(*variable, name);
}

namespace {

// Reads `name` whole once its header has been checked: what was promised must be what came.
Variable readChecked(mat_t* file, const std::string& path, const MatVariableInfo& expected)
{
    lastMatioMessage.clear();
    Variable variable(Mat_VarRead(file, expected.name.c_str()));
    if (!variable || !variable->data)
        throw DataError(path, "cannot read the data of '" + expected.name + "' (" + expected.shapeText() +
                                  "): truncated or damaged" + matioSays());
    const MatVariableInfo got = describe(*variable, expected.name);
    const std::size_t size = elementBytes(variable->class_type);
    if (got.dims != expected.dims || got.className != expected.className || got.complex || size == 0 ||
        variable->data_size != int(size) || variable->nbytes != expected.elementCount() * size)
        throw DataError(path, "'" + expected.name + "' read as " + got.className + " " + got.shapeText() + " (" +
                                  std::to_string(variable->nbytes) + " bytes) but its header says " +
                                  expected.className + " " + expected.shapeText() + ": damaged" + matioSays());
    return variable;
}

void requireSize(const std::string& path, const MatVariableInfo& info, uint64_t maxElements)
{
    if (info.complex)
        throw DataError(path, "'" + info.name + "' is complex; expected real numbers");
    if (info.elementCount() > maxElements)
        throw DataError(path, "'" + info.name + "' has " + info.shapeText() + " elements, more than the " +
                                  std::to_string(maxElements) + " expected");
}

} // namespace

std::vector<uint8_t> MatFile::readUInt8(const std::string& name, uint64_t maxElements)
{
    const MatVariableInfo expected = info(name);
    if (expected.className != "uint8")
        throw DataError(path_, "'" + name + "' is of class " + expected.className + "; expected uint8");
    requireSize(path_, expected, maxElements);
    const Variable variable = readChecked(handle_->file, path_, expected);
    const auto* bytes = static_cast<const uint8_t*>(variable->data);
    return std::vector<uint8_t>(bytes, bytes + expected.elementCount());
}

std::vector<double> MatFile::readNumbers(const std::string& name, uint64_t maxElements)
{
    const MatVariableInfo expected = info(name);
    if (!expected.numeric)
        throw DataError(path_, "'" + name + "' is of class " + expected.className + "; expected a numeric array");
    requireSize(path_, expected, maxElements);
    const Variable variable = readChecked(handle_->file, path_, expected);
    const uint64_t count = expected.elementCount();
    std::vector<double> values;
    values.reserve(count);
    switch (variable->class_type) {
    case MAT_C_DOUBLE: widen<double>(variable->data, count, values); break;
    case MAT_C_SINGLE: widen<float>(variable->data, count, values); break;
    case MAT_C_INT8: widen<int8_t>(variable->data, count, values); break;
    case MAT_C_UINT8: widen<uint8_t>(variable->data, count, values); break;
    case MAT_C_INT16: widen<int16_t>(variable->data, count, values); break;
    case MAT_C_UINT16: widen<uint16_t>(variable->data, count, values); break;
    case MAT_C_INT32: widen<int32_t>(variable->data, count, values); break;
    case MAT_C_UINT32: widen<uint32_t>(variable->data, count, values); break;
    case MAT_C_INT64: widen<int64_t>(variable->data, count, values); break;
    case MAT_C_UINT64: widen<uint64_t>(variable->data, count, values); break;
    default: throw DataError(path_, "'" + name + "' is not numeric");
    }
    return values;
}

} // namespace mimo
