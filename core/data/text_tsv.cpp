#include "core/data/text_tsv.h"

#include "core/data/binary_file.h"
#include "core/errors.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <stdexcept>

namespace mimo {
namespace {

bool allDigits(const std::string& text)
{
    return !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) { return c >= '0' && c <= '9'; });
}

std::string baseName(const std::string& path)
{
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

} // namespace

std::vector<TextExample> readTextTsv(const std::string& path)
{
    refuseSpecialFile(path, kMaxTsvBytes, "text TSV file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw DataError(path, "cannot open the text file (missing or unreadable)");
    std::vector<TextExample> examples;
    std::string line;
    std::size_t number = 0;
    bool sawContent = false;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (number == 1 && line.size() >= 3 && static_cast<unsigned char>(line[0]) == 0xEF &&
            static_cast<unsigned char>(line[1]) == 0xBB && static_cast<unsigned char>(line[2]) == 0xBF)
            line.erase(0, 3); // UTF-8 byte-order mark
        if (line.empty())
            continue;
        sawContent = true;
        const auto tab = line.find('\t');
        if (tab == std::string::npos)
            throw DataError(path, "line " + std::to_string(number) + ": no tab between the label and the text");
        TextExample example{line.substr(tab + 1), line.substr(0, tab)};
        if (examples.empty() && number <= 2 && example.label == "label")
            continue; // header
        if (example.label.empty())
            throw DataError(path, "line " + std::to_string(number) + ": the label is empty");
        if (example.text.empty())
            throw DataError(path, "line " + std::to_string(number) + ": the text is empty");
        examples.push_back(std::move(example));
    }
    if (!sawContent)
        throw DataError(path, "the text file is empty");
    if (examples.empty())
        throw DataError(path, "the text file has a header but no examples");
    return examples;
}

std::vector<int32_t> byteTokens(const std::string& text, std::size_t length)
{
    std::vector<int32_t> tokens(length, 0);
    for (std::size_t i = 0; i < length && i < text.size(); ++i)
        tokens[i] = static_cast<int32_t>(static_cast<unsigned char>(text[i])) + 1;
    return tokens;
}

std::string textFromTokens(const std::vector<int32_t>& tokens)
{
    std::string text;
    for (int32_t token : tokens) {
        if (token < 0 || token >= kByteVocabulary)
            throw Error("byte token " + std::to_string(token) + " is outside 0.." + std::to_string(kByteVocabulary - 1));
        if (token != 0)
            text += static_cast<char>(token - 1);
    }
    return text;
}

TextTsvDataset::TextTsvDataset(const std::vector<TextExample>& examples, std::size_t length, std::string name)
    : name_(std::move(name)), length_(length)
{
    if (length == 0)
        throw Error(name_ + ": the sequence length must be positive");
    // Integer labels are class indices; any other labels are class names, in sorted order.
    const bool numeric = std::all_of(examples.begin(), examples.end(), [](const TextExample& e) { return allDigits(e.label); });
    std::map<std::string, int64_t> index;
    if (numeric) {
        int64_t classes = 0;
        for (const auto& e : examples)
            classes = std::max<int64_t>(classes, std::stoll(e.label.substr(0, 12)) + 1);
        if (classes > 100000)
            throw Error(name_ + ": labels above 100000 are not class indices");
        for (int64_t c = 0; c < classes; ++c)
            classNames_.push_back(std::to_string(c));
    } else {
        for (const auto& e : examples)
            index.emplace(e.label, 0);
        for (auto& [label, id] : index) {
            id = static_cast<int64_t>(classNames_.size());
            classNames_.push_back(label);
        }
    }
    if (classNames_.size() < 2)
        throw Error(name_ + ": a classification task needs at least two classes, found " +
                    std::to_string(classNames_.size()));
    for (const auto& e : examples) {
        texts_.push_back(e.text);
        labels_.push_back(numeric ? std::stoll(e.label) : index.at(e.label));
    }
}

TextTsvDataset TextTsvDataset::fromFile(const std::string& path, std::size_t length)
{
    try {
        return TextTsvDataset(readTextTsv(path), length, baseName(path));
    } catch (const DataError&) {
        throw;
    } catch (const Error& error) {
        throw DataError(path, error.what());
    }
}

Sample TextTsvDataset::sample(std::size_t index) const
{
    if (index >= texts_.size())
        throw std::out_of_range(name_ + ": item " + std::to_string(index) + " is out of range");
    Sample sample;
    sample.modality = Modality::Sequence;
    sample.shape = {static_cast<int64_t>(length_)};
    sample.tokens = byteTokens(texts_[index], length_);
    sample.label = labels_[index];
    return sample;
}

int64_t TextTsvDataset::label(std::size_t index) const
{
    if (index >= labels_.size())
        throw std::out_of_range(name_ + ": item " + std::to_string(index) + " is out of range");
    return labels_[index];
}

} // namespace mimo
