#include "core/explore/key_file.h"

#include "core/data/binary_file.h"
#include "core/errors.h"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace mimo {

int64_t TensorView::numel() const
{
    int64_t count = 1;
    for (int64_t size : shape)
        count *= size;
    return shape.empty() ? 0 : count;
}

std::string KeyChoice::describe() const
{
    switch (kind) {
    case Kind::Trained:
        return "trained keys";
    case Kind::Family:
        return keyFamilyName(family) + " keys, seed " + std::to_string(seed);
    case Kind::Permutation: {
        std::string order;
        for (int p : permutation)
            order += (order.empty() ? "" : " ") + std::to_string(p);
        return "trained keys permuted (" + order + ")";
    }
    case Kind::Values:
        return "keys from " + (sourceName.empty() ? std::string("values") : sourceName);
    }
    return "keys";
}

bool KeyChoice::operator==(const KeyChoice& other) const
{
    if (kind != other.kind)
        return false;
    switch (kind) {
    case Kind::Trained:
        return true;
    case Kind::Family:
        return family == other.family && seed == other.seed;
    case Kind::Permutation:
        return permutation == other.permutation;
    case Kind::Values:
        return rows == other.rows && cols == other.cols && values == other.values;
    }
    return false;
}

namespace {

// 64 keys of D = 65536 as text fit well below this; more is not a key file.
constexpr uint64_t kMaxKeyFileBytes = uint64_t(64) << 20;

} // namespace

KeyChoice readKeyFile(const std::string& path)
{
    refuseSpecialFile(path, kMaxKeyFileBytes, "key file");
    std::ifstream in(path);
    if (!in)
        throw DataError(path, "cannot open the key file");
    KeyChoice keys;
    keys.kind = KeyChoice::Kind::Values;
    keys.sourceName = path;
    std::string line;
    int lineNumber = 0;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (const auto hash = line.find('#'); hash != std::string::npos)
            line.erase(hash);
        for (char& c : line)
            if (c == ',' || c == ';' || c == '\t' || c == '\r')
                c = ' ';
        std::istringstream words(line);
        std::string word;
        int count = 0;
        while (words >> word) {
            size_t used = 0;
            float value = 0;
            try {
                value = std::stof(word, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used != word.size() || !std::isfinite(value))
                throw DataError(path, "line " + std::to_string(lineNumber) + ": '" + word + "' is not a finite number");
            keys.values.push_back(value);
            ++count;
        }
        if (count == 0)
            continue;
        if (keys.rows > 0 && count != keys.cols)
            throw DataError(path, "line " + std::to_string(lineNumber) + " has " + std::to_string(count) +
                                      " values, the lines before it " + std::to_string(keys.cols));
        keys.cols = count;
        ++keys.rows;
    }
    if (keys.rows == 0)
        throw DataError(path, "no keys found (expected one key per line, numbers separated by spaces or commas)");
    return keys;
}

void writeKeyFile(const std::string& path, const TensorView& keys, const std::string& comment)
{
    if (keys.shape.size() != 2 || int64_t(keys.values.size()) != keys.numel())
        throw Error("writeKeyFile: keys must be a [rows, cols] tensor");
    const std::string side = path + ".part";
    {
        std::ofstream out(side);
        if (!out)
            throw DataError(path, "cannot write the key file");
        if (!comment.empty())
            out << "# " << comment << '\n';
        char number[32];
        for (int64_t r = 0; r < keys.shape[0]; ++r) {
            for (int64_t c = 0; c < keys.shape[1]; ++c) {
                std::snprintf(number, sizeof number, "%.9g", double(keys.values[size_t(r * keys.shape[1] + c)]));
                out << (c ? " " : "") << number;
            }
            out << '\n';
        }
        if (!out.flush())
            throw DataError(path, "could not write all of the key file (disk full?)");
    }
    if (std::rename(side.c_str(), path.c_str()) != 0) {
        std::remove(side.c_str());
        throw DataError(path, "cannot replace the file");
    }
}

} // namespace mimo
