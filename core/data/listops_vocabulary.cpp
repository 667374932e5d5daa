#include "core/data/listops_vocabulary.h"

#include "core/data/binary_file.h"
#include "core/errors.h"
#include "core/numbers.h"

#include <fstream>
#include <map>

namespace mimo::listops {
namespace {

// A vocabulary of 15 tokens is a few hundred bytes; a larger file is not one.
constexpr uint64_t kMaxVocabularyBytes = uint64_t(1) << 20;

int32_t ourId(const std::string& token)
{
    if (token == "X")
        return kCloseId;
    const auto& names = vocabulary();
    for (std::size_t id = 1; id < names.size(); ++id)
        if (names[id] == token)
            return int32_t(id);
    return -1;
}

} // namespace

std::array<int32_t, kVocabularySize> readRunVocabulary(const std::string& path, int idLimit)
{
    requireRegularFile(path);
    requireFileSizeAtMost(path, kMaxVocabularyBytes, "ListOps vocabulary (token<TAB>id per line)");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw DataError(path, "cannot open the vocabulary file");
    std::array<int32_t, kVocabularySize> theirs{};
    std::map<int32_t, std::string> used;
    int lineNumber = 0;
    for (std::string line; std::getline(in, line);) {
        ++lineNumber;
        const std::string where = "line " + std::to_string(lineNumber) + ": ";
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos)
            continue;
        const auto tab = line.find('\t');
        if (tab == std::string::npos || tab == 0)
            throw DataError(path, where + "expected token<TAB>id, got '" + line + "'");
        const std::string token = line.substr(0, tab);
        if (token.front() == '<' && token.back() == '>')
            continue; // <pad>, <oov>: not tokens of an expression
        const int32_t ours = ourId(token);
        if (ours < 0)
            throw DataError(path, where + "'" + token + "' is not a ListOps token ([MIN [MAX [MED [SM ] X 0..9)");
        const auto id = parseWholeNumber<int32_t>(line.substr(tab + 1));
        if (!id || *id < 1 || *id >= idLimit)
            throw DataError(path, where + "the id of '" + token + "' must be a whole number in 1.." +
                                      std::to_string(idLimit - 1) + " (0 is padding; the model has " +
                                      std::to_string(idLimit) + " embeddings)");
        if (theirs[std::size_t(ours)] != 0)
            throw DataError(path, where + "'" + token + "' is listed twice (X and ] are the same token)");
        const auto clash = used.find(*id);
        if (clash != used.end())
            throw DataError(path, where + "id " + std::to_string(*id) + " is given to both '" + clash->second +
                                      "' and '" + token + "'");
        used[*id] = token;
        theirs[std::size_t(ours)] = *id;
    }
    std::string missing;
    for (int32_t id = 1; id < kVocabularySize; ++id)
        if (theirs[std::size_t(id)] == 0)
            missing += (missing.empty() ? "" : " ") + vocabulary()[std::size_t(id)];
    if (!missing.empty())
        throw DataError(path, "no id for " + missing + ": the vocabulary must list all 15 ListOps tokens");
    return theirs;
}

} // namespace mimo::listops
