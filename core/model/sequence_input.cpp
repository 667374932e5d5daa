#include "core/model/sequence_input.h"

#include "core/data/binary_file.h"
#include "core/data/image_preprocess.h"
#include "core/data/listops.h"
#include "core/data/text_tsv.h"
#include "core/errors.h"

#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>

namespace mimo {
namespace {

// One input sequence: at most 65536 tokens of a few bytes each.
constexpr uint64_t kMaxSequenceFileBytes = uint64_t(16) << 20;

void checkLength(const MimoFormerConfig& config, const std::vector<int32_t>& tokens, const std::string& source)
{
    if (tokens.empty())
        throw DataError(source, "the sequence is empty");
    if (static_cast<int64_t>(tokens.size()) > config.maxLength)
        throw DataError(source, "the sequence has " + std::to_string(tokens.size()) + " tokens but the model reads at most " +
                                    std::to_string(config.maxLength));
}

} // namespace

std::vector<int32_t> sequenceFromText(const MimoFormerConfig& config, const std::string& text, const std::string& source)
{
    std::vector<int32_t> tokens;
    if (config.inputKind == "listops") {
        tokens = listops::tokenize(text, source);
    } else if (config.inputKind == "text") {
        if (text.empty())
            throw DataError(source, "the text is empty");
        for (const char byte : text)
            tokens.push_back(int32_t(static_cast<unsigned char>(byte)) + 1);
    } else if (config.inputKind == "pixels") {
        throw DataError(source, "this model reads images as pixel sequences: give an image file, not text");
    } else {
        std::istringstream in(text);
        std::string word;
        while (in >> word) {
            try {
                size_t used = 0;
                const long id = std::stol(word, &used);
                if (used != word.size())
                    throw std::invalid_argument(word);
                if (id < 0 || id >= config.vocabularySize)
                    throw DataError(source, "token " + std::to_string(tokens.size() + 1) + " is " + word +
                                                ", outside the vocabulary [0, " + std::to_string(config.vocabularySize) + ")");
                tokens.push_back(int32_t(id));
            } catch (const std::logic_error&) {
                throw DataError(source, "token " + std::to_string(tokens.size() + 1) + " ('" + word + "') is not a number");
            }
        }
    }
    checkLength(config, tokens, source);
    return tokens;
}

ImageInputSpec pixelSequenceSpec(const MimoFormerConfig& config)
{
    ImageInputSpec spec;
    spec.channels = 1;
    spec.height = config.imageHeight;
    spec.width = config.imageWidth;
    spec.invert = InvertMode::IfLightBackground;
    return spec;
}

std::vector<int32_t> sequenceFromImage(const MimoFormerConfig& config, const PreparedImage& image, const std::string& source)
{
    if (config.inputKind != "pixels")
        throw DataError(source, "this model reads " + config.inputKind + ", not images");
    std::vector<int32_t> tokens(image.display.size());
    for (size_t i = 0; i < tokens.size(); ++i)
        tokens[i] = static_cast<int32_t>(image.display[i] * 255.0f + 0.5f);
    checkLength(config, tokens, source);
    return tokens;
}

std::vector<int32_t> sequenceFromFile(const MimoFormerConfig& config, const std::string& path)
{
    if (config.inputKind == "pixels")
        return sequenceFromImage(config, prepareImageFile(path, pixelSequenceSpec(config)), path);
    refuseSpecialFile(path, kMaxSequenceFileBytes, "sequence file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw DataError(path, "cannot open the file");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (config.inputKind != "text") // a trailing newline is not part of an expression
        while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
            text.pop_back();
    return sequenceFromText(config, text, path);
}

std::string sequenceToText(const MimoFormerConfig& config, const std::vector<int32_t>& tokens)
{
    std::string text;
    if (config.inputKind == "listops") {
        std::vector<int32_t> known;
        for (int32_t t : tokens)
            if (t > 0 && t < listops::kVocabularySize)
                known.push_back(t);
        return listops::detokenize(known);
    }
    if (config.inputKind == "text") {
        for (int32_t t : tokens)
            if (t > 0)
                text += t <= 256 ? static_cast<char>(t - 1) : '?';
        return text;
    }
    for (int32_t t : tokens)
        text += (text.empty() ? "" : " ") + std::to_string(t);
    return text;
}

std::vector<std::string> tokenLabels(const MimoFormerConfig& config, const std::vector<int32_t>& tokens)
{
    std::vector<std::string> labels;
    labels.reserve(tokens.size());
    for (size_t i = 0; i < tokens.size(); ++i) {
        const int32_t t = tokens[i];
        if (config.inputKind == "pixels" && config.imageWidth > 0) {
            labels.push_back(std::to_string(i / size_t(config.imageWidth)) + "," +
                             std::to_string(i % size_t(config.imageWidth)));
        } else if (t == 0) {
            labels.push_back("<pad>");
        } else if (config.inputKind == "listops" && t < listops::kVocabularySize) {
            labels.push_back(listops::vocabulary()[size_t(t)]);
        } else if (config.inputKind == "text" && t <= 256) {
            const unsigned char byte = static_cast<unsigned char>(t - 1);
            if (byte == ' ')
                labels.push_back("\u2423"); // ␣: a space that can be seen
            else if (byte > ' ' && byte < 0x7f)
                labels.push_back(std::string(1, char(byte)));
            else {
                char hex[8];
                std::snprintf(hex, sizeof hex, "0x%02x", byte);
                labels.push_back(hex);
            }
        } else {
            labels.push_back(std::to_string(t));
        }
    }
    return labels;
}

} // namespace mimo
