#pragma once
// The vocabulary an official ListOps run numbered its tokens with (LRA's tfds encoder draws the
// ids from a set, so every run has its own; docs/mimonets.md 7.1), read from a text file of
// "token<TAB>id" lines, as a map onto this program's ids (listops.h).
#include <array>
#include <cstdint>
#include <string>

#include "core/data/listops.h"

namespace mimo::listops {

// theirs[ourId] is the id the run used for the token this program numbers ourId; theirs[0] = 0
// (padding). Every one of the 15 tokens ([MIN [MAX [MED [SM, ] or X, the digits 0..9) must be
// listed once with a distinct id in 1..idLimit-1; lines of special tokens in angle brackets
// (<pad>, <oov>) and blank lines are skipped, CRLF is accepted. Throws DataError(path, "line N:
// ...") for anything else: an unknown token, a malformed or repeated id, a missing token.
std::array<int32_t, kVocabularySize> readRunVocabulary(const std::string& path, int idLimit);

} // namespace mimo::listops
