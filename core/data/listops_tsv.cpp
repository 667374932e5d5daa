// ListOps TSV files (LRA's basic_train/val/test.tsv layout) and ListOpsDataset.
#include "core/data/binary_file.h"
#include "core/data/listops.h"

#include "core/errors.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace mimo::listops {
namespace {

const char* const kHeader = "Source\tTarget";

std::string shortened(const std::string& text) {
    constexpr std::size_t kShown = 60;
    return text.size() > kShown ? text.substr(0, kShown) + "..." : text;
}

std::string baseName(const std::string& path) {
    const std::size_t slash = path.find_last_of("/\\");
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Strict: optional sign and decimal digits only, so "3.0" or "3a" are rejected rather
// than silently read as 3.
bool parseInteger(const std::string& text, long long& value) {
    std::size_t i = text[0] == '-' || text[0] == '+' ? 1 : 0;
    if (i == text.size()) return false;
    value = 0;
    for (; i < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
        if (value < 1'000'000'000) value = value * 10 + (text[i] - '0'); // saturates; still out of range
    }
    if (text[0] == '-') value = -value;
    return true;
}

int parseLabel(std::string field, const std::string& path, const std::string& where) {
    const auto first = field.find_first_not_of(' ');
    const auto last = field.find_last_not_of(' ');
    field = first == std::string::npos ? std::string() : field.substr(first, last - first + 1);
    if (field.empty()) throw DataError(path, where + ": the label is missing");
    long long value = 0;
    if (!parseInteger(field, value))
        throw DataError(path, where + ": label '" + shortened(field) + "' is not an integer");
    if (value < 0 || value > 9)
        throw DataError(path, where + ": label " + field + " is outside 0..9");
    return static_cast<int>(value);
}

} // namespace

void writeTsv(const std::string& path, const std::vector<Example>& examples, LineEnding ending) {
    std::error_code ignored;
    if (std::filesystem::is_directory(path, ignored))
        throw DataError(path, "is a folder; name the file to write in it, e.g. " +
                                  (std::filesystem::path(path) / "listops.tsv").string());
    for (std::size_t i = 0; i < examples.size(); ++i) {
        const Example& e = examples[i];
        if (e.source.find_first_of("\t\r\n") != std::string::npos)
            throw DataError(path, "example " + std::to_string(i) + ": the source contains a tab or a line break");
        if (e.label < 0 || e.label > 9)
            throw DataError(path, "example " + std::to_string(i) + ": label " + std::to_string(e.label) +
                                      " is outside 0..9");
    }
    const std::string partial = path + ".partial";
    {
        std::ofstream out(partial, std::ios::binary | std::ios::trunc);
        if (!out) throw Error(path + ": cannot create " + partial);
        const char* const end = ending == LineEnding::Crlf ? "\r\n" : "\n";
        out << kHeader << end;
        for (const Example& e : examples) out << e.source << '\t' << e.label << end;
        out.flush();
        if (!out) {
            out.close();
            std::remove(partial.c_str());
            throw Error(path + ": writing failed (disk full?)");
        }
    }
    // rename() replaces an existing file in one step; anything else in the way (a folder
    // made meanwhile, a file we may not replace) stays as it is, and so does the written copy's
    // absence: nothing of the user's is removed to make room.
    if (std::rename(partial.c_str(), path.c_str()) != 0) {
        std::remove(partial.c_str());
        throw Error(path + ": cannot move the written file into place");
    }
}

std::vector<Example> readTsv(const std::string& path, bool verifyLabels) {
    refuseSpecialFile(path, kMaxTsvBytes, "ListOps TSV file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw DataError(path, "cannot open the file (missing or unreadable)");
    std::vector<Example> out;
    std::string line;
    std::size_t lineNumber = 0;
    while (std::getline(in, line)) {
        ++lineNumber;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        const std::string where = "line " + std::to_string(lineNumber);
        if (lineNumber == 1) {
            if (line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3); // UTF-8 byte order mark
            if (line != kHeader)
                throw DataError(path, "line 1: expected the header 'Source<TAB>Target', found '" + shortened(line) + "'");
            continue;
        }
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        const std::size_t tab = line.find('\t');
        if (tab == std::string::npos)
            throw DataError(path, where + ": no tab between the source and the label");
        Example example;
        example.source = line.substr(0, tab);
        example.label = parseLabel(line.substr(tab + 1), path, where);
        int value = 0;
        try {
            value = evaluate(example.source, path);
        } catch (const DataError& e) {
            throw DataError(path, where + ": the source is not a ListOps expression: " + e.problem());
        }
        if (verifyLabels && value != example.label)
            throw DataError(path, where + ": label " + std::to_string(example.label) +
                                      " disagrees with the expression, which evaluates to " + std::to_string(value));
        out.push_back(std::move(example));
    }
    if (in.bad()) throw DataError(path, "read error after line " + std::to_string(lineNumber));
    if (lineNumber == 0) throw DataError(path, "the file is empty");
    return out;
}

ListOpsDataset::ListOpsDataset(const std::vector<Example>& examples, std::size_t length, std::string name)
    : name_(std::move(name)), length_(length) {
    if (length_ == 0) throw Error(name_ + ": the sequence length must be positive");
    tokens_.reserve(examples.size());
    labels_.reserve(examples.size());
    for (std::size_t i = 0; i < examples.size(); ++i) {
        const std::string where = "example " + std::to_string(i);
        if (examples[i].label < 0 || examples[i].label > 9)
            throw DataError(name_, where + ": label " + std::to_string(examples[i].label) + " is outside 0..9");
        const std::vector<int32_t> ids = tokenize(examples[i].source, name_ + " " + where);
        tokens_.emplace_back(ids.begin(), ids.end()); // ids < 16 fit a byte
        labels_.push_back(examples[i].label);
    }
}

ListOpsDataset ListOpsDataset::fromTsv(const std::string& path, std::size_t length) {
    return ListOpsDataset(readTsv(path), length, baseName(path));
}

void ListOpsDataset::checkIndex(std::size_t index) const {
    if (index >= labels_.size())
        throw Error(name_ + ": index " + std::to_string(index) + " is out of range (size " +
                    std::to_string(labels_.size()) + ")");
}

Sample ListOpsDataset::sample(std::size_t index) const {
    checkIndex(index);
    Sample s;
    s.modality = Modality::Sequence;
    s.shape = sampleShape();
    const std::vector<uint8_t>& ids = tokens_[index];
    s.tokens.assign(ids.begin(), ids.begin() + std::ptrdiff_t(std::min(ids.size(), length_)));
    s.tokens.resize(length_, kPadId);
    s.label = labels_[index];
    return s;
}

int ListOpsDataset::group(std::size_t index) const {
    checkIndex(index);
    return treeDepth(std::vector<int32_t>(tokens_[index].begin(), tokens_[index].end()));
}

int64_t ListOpsDataset::label(std::size_t index) const {
    checkIndex(index);
    return labels_[index];
}

const std::vector<std::string>& ListOpsDataset::classNames() const {
    static const std::vector<std::string> names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    return names;
}

std::string ListOpsDataset::text(std::size_t index) const {
    checkIndex(index);
    return detokenize(std::vector<int32_t>(tokens_[index].begin(), tokens_[index].end()));
}

} // namespace mimo::listops
