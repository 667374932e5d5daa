#pragma once
// ListOps (Long Range Arena, docs/mimonets.md 7.1): generator, evaluator, tokenizer, TSV files
// and a Dataset over them. Plain C++17 so the CLI, the GUI and the tests share one definition.
#include "core/data/dataset.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mimo::listops {

// Token ids: 0 padding, digits 0..9 -> 1..10, [MIN 11, [MAX 12, [MED 13, [SM 14, ] (or X) 15.
// LRA's own ids come from a set and are arbitrary; any fixed bijection trains equally well.
constexpr int kVocabularySize = 16;
constexpr int32_t kPadId = 0;
constexpr int32_t kMinId = 11;
constexpr int32_t kMaxId = 12;
constexpr int32_t kMedId = 13;
constexpr int32_t kSumModId = 14;
constexpr int32_t kCloseId = 15;
constexpr std::size_t kLraSequenceLength = 2000;

struct Example {
    std::string source; // LRA TSV form, e.g. "( ( ( [MAX 2 ) 9 ) ] )"
    int label = 0;      // 0..9
};

// Defaults are LRA's. Length bounds are exclusive: a tree is kept iff
// minLength < length < maxLength, length being its token count.
struct GeneratorConfig {
    int maxDepth = 10;
    int maxArgs = 10;
    int minLength = 500;
    int maxLength = 2000;
    uint64_t seed = 0;
};

// Throws mimo::Error naming the offending field.
void validate(const GeneratorConfig& config);

// `count` distinct trees (distinct sources), in the order they were first drawn, with
// their labels. Deterministic for a given config on every platform (mt19937_64 and our
// own mapping to numbers). Throws mimo::Error for an invalid config, or when no new tree
// turns up within a large number of consecutive attempts (impossible length window, or
// fewer distinct trees exist than requested).
std::vector<Example> generate(const GeneratorConfig& config, std::size_t count);

// "( ( ( [MAX 2 ) 9 ) ] )" -> "[MAX 2 9 ]": drops parentheses, single spaces.
std::string compactForm(const std::string& source);
// The inverse: any valid expression (compact or not, `X` for `]`) in LRA TSV form, e.g.
// "[MAX 2 9 ]" -> "( ( ( [MAX 2 ) 9 ) ] )". Throws DataError like evaluate().
std::string lraForm(const std::string& expression, const std::string& sourceName = "<expression>");

// Value 0..9 of an expression, with or without parentheses; tokens are separated by
// whitespace and `X` may stand for `]`. MED of an even count truncates the mean of the two
// middle values (Python int(np.median)). Throws mimo::DataError(sourceName, ...) naming
// the problem and the 1-based token position.
int evaluate(const std::string& expression);
int evaluate(const std::string& expression, const std::string& sourceName);

// Ids of the tokens, parentheses dropped, no padding. Throws DataError on an unknown token.
std::vector<int32_t> tokenize(const std::string& source, const std::string& sourceName = "<text>");
// Space-separated tokens (compact form); padding is skipped. Throws mimo::Error on an id
// outside the vocabulary.
std::string detokenize(const std::vector<int32_t>& ids);
// Pads with 0 or cuts to exactly `length` ids.
std::vector<int32_t> padOrTruncate(std::vector<int32_t> ids, std::size_t length);
// The depth of a tree given as token ids: the deepest nesting of operators ("[MAX 2 9 ]" is
// 1, "[MAX 2 [MIN 3 4 ] ]" is 2; 0 for a lone digit). Padding and unknown ids are ignored.
int treeDepth(const std::vector<int32_t>& ids);

// Index = id; index 0 is "<pad>", index 15 is "]".
const std::vector<std::string>& vocabulary();

// Line endings of a written TSV: CRLF as the official LRA writer's files (Python's csv module)
// have them, so a generated file is byte-compatible with the official format; LF on request.
enum class LineEnding { Crlf, Lf };

// LRA TSV: header "Source\tTarget", then "source\tlabel" per line.
// Written to a side file then renamed over `path`, so readers never see half a file.
void writeTsv(const std::string& path, const std::vector<Example>& examples, LineEnding ending = LineEnding::Crlf);
// Throws DataError(path, "line N: ...") for any malformed content. Sources are always
// parsed; verifyLabels also requires each label to equal the evaluated expression.
// Accepts CRLF line endings; blank lines are skipped.
std::vector<Example> readTsv(const std::string& path, bool verifyLabels = true);

// Sequences of `length` token ids (padded with 0 or truncated), labels 0..9.
// Stores unpadded 8-bit ids, so the 96k-example LRA training set stays around 100 MB.
class ListOpsDataset : public mimo::Dataset {
public:
    explicit ListOpsDataset(const std::vector<Example>& examples,
                            std::size_t length = kLraSequenceLength,
                            std::string name = "ListOps");
    static ListOpsDataset fromTsv(const std::string& path,
                                  std::size_t length = kLraSequenceLength);

    std::string name() const override { return name_; }
    std::size_t size() const override { return labels_.size(); }
    Modality modality() const override { return Modality::Sequence; }
    std::vector<int64_t> sampleShape() const override { return {static_cast<int64_t>(length_)}; }
    Sample sample(std::size_t index) const override;
    int64_t label(std::size_t index) const override;
    const std::vector<std::string>& classNames() const override;
    int64_t vocabularySize() const override { return kVocabularySize; }
    int group(std::size_t index) const override; // the tree's depth (treeDepth), untruncated
    std::string groupKind() const override { return "tree depth"; }

    std::size_t sequenceLength() const { return length_; }
    // Compact, untruncated expression of an example, for display.
    std::string text(std::size_t index) const;

private:
    void checkIndex(std::size_t index) const;

    std::string name_;
    std::size_t length_;
    std::vector<std::vector<uint8_t>> tokens_;
    std::vector<int64_t> labels_;
};

} // namespace mimo::listops
