#pragma once
// Turning what a user typed, pasted or dropped into the token ids a sequence model reads, and
// back into something to show, according to the model's input kind (former_config.h).
// Plain data: the CLI and the GUI share it.
#include "core/data/image_preprocess.h"
#include "core/model/former_config.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mimo {

// listops: an expression (with or without parentheses); text: the UTF-8 bytes; pixels: not
// text (throws); tokens: space-separated ids. Unpadded. Throws DataError(source, ...) for an
// unknown token, an empty input or one longer than the model reads.
std::vector<int32_t> sequenceFromText(const MimoFormerConfig& config, const std::string& text, const std::string& source);

// pixels models: the image file as the model sees it (gray, resized to its image size,
// letterboxed, inverted when its background is light, as Fashion-MNIST is dark on black);
// other kinds: the file's text. Throws DataError(path, ...).
std::vector<int32_t> sequenceFromFile(const MimoFormerConfig& config, const std::string& path);

// pixels models: how an image becomes the sequence (gray, the model's image size, inverted when
// light on dark), and the tokens of an image prepared with that spec (gray values 0..255).
ImageInputSpec pixelSequenceSpec(const MimoFormerConfig& config);
std::vector<int32_t> sequenceFromImage(const MimoFormerConfig& config, const PreparedImage& image, const std::string& source);

// For display: the expression, the text (undecodable bytes as '?') or the ids.
std::string sequenceToText(const MimoFormerConfig& config, const std::vector<int32_t>& tokens);
// One short label per token, for the axes of an attention map: a ListOps symbol ("[MAX", "7"),
// a character (a space as "␣", other invisible or undecodable bytes as their hex code), the
// row and column of a pixel ("3,11"), or the id; padding as "<pad>".
std::vector<std::string> tokenLabels(const MimoFormerConfig& config, const std::vector<int32_t>& tokens);

} // namespace mimo
