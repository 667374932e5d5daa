#pragma once
// Byte-level text classification as in LRA Text: a user's TSV file of "label<TAB>text" lines,
// each text read as its UTF-8 bytes, token = byte + 1 (so 0 stays padding), truncated or
// padded to a fixed length. Labels are integers 0..K-1, or words (sorted into class indices).
#include "core/data/dataset.h"

#include <cstddef>
#include <string>
#include <vector>

namespace mimo {

inline constexpr int64_t kByteVocabulary = 257; // 256 byte values + padding
inline constexpr std::size_t kLraTextLength = 1000;

struct TextExample {
    std::string text;
    std::string label; // as written in the file
};

// An optional header "label<TAB>text" is skipped. Throws DataError(path, "line N: ...") for a
// missing or empty file, a line without a tab, an empty label or text, or no examples at all.
std::vector<TextExample> readTextTsv(const std::string& path);

std::vector<int32_t> byteTokens(const std::string& text, std::size_t length);
std::string textFromTokens(const std::vector<int32_t>& tokens); // padding dropped

class TextTsvDataset : public Dataset {
public:
    TextTsvDataset(const std::vector<TextExample>& examples, std::size_t length, std::string name);
    static TextTsvDataset fromFile(const std::string& path, std::size_t length = kLraTextLength);

    std::string name() const override { return name_; }
    std::size_t size() const override { return texts_.size(); }
    Modality modality() const override { return Modality::Sequence; }
    std::vector<int64_t> sampleShape() const override { return {static_cast<int64_t>(length_)}; }
    Sample sample(std::size_t index) const override;
    int64_t label(std::size_t index) const override;
    const std::vector<std::string>& classNames() const override { return classNames_; }
    int64_t vocabularySize() const override { return kByteVocabulary; }

private:
    std::string name_;
    std::size_t length_;
    std::vector<std::string> texts_;
    std::vector<int64_t> labels_;
    std::vector<std::string> classNames_;
};

} // namespace mimo
