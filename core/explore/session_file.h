#pragma once
// A saved exploration: the model, device, N, keys, the inputs in the slots, the view settings
// and the batch results, as one JSON file. Inputs are kept as their sources: files by path
// (absolute, plus relative to the session file so a folder can be moved as a whole), dataset
// samples by spec and index, typed sequences as text, pasted images embedded (base64).
// Plain data: the GUI fills and applies it; core reads and writes it.
#include "core/explore/batch_evaluation.h"
#include "core/explore/explorer_types.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mimo {

struct SessionData {
    std::string modelPath;
    std::string device;                            // "cpu", "cuda" or "auto"
    int n = 1;
    KeyChoice keys;
    std::vector<std::optional<InputSource>> inputs; // one per slot in use; empty slots are nullopt
    std::map<std::string, std::string> view;        // view settings, by name (the GUI's own keys)
    std::optional<BatchResult> batch;

    bool operator==(const SessionData& other) const;
};

// `sessionPath` decides what relative paths are relative to. Throws DataError(path, problem)
// for unreadable files, invalid JSON, a newer format or a field of the wrong type.
std::string sessionToJson(const SessionData& session, const std::string& sessionPath);
SessionData sessionFromJson(const std::string& text, const std::string& sessionPath);
// Four pasted 12-megapixel RGBA images embedded in base64 take about 260 MB; a larger "session"
// is not one of ours, and parsing it would take several times its size in memory.
inline constexpr uint64_t kMaxSessionFileBytes = uint64_t(512) << 20;
SessionData readSessionFile(const std::string& path);
void writeSessionFile(const std::string& path, const SessionData& session); // atomic

bool sameInput(const InputSource& a, const InputSource& b);

} // namespace mimo
