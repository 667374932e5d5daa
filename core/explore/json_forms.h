#pragma once
// JSON forms of the explorer's plain data, shared by batch configs/results and session files.
// nlohmann_json is private to core: include this from core .cpp files only.
#include "core/explore/batch_evaluation.h"
#include "core/explore/explorer_types.h"

#include <nlohmann/json.hpp>

#include <string>

namespace mimo::jsonforms {

// Readers throw DataError(source, "<field>: <problem>").
nlohmann::json keysToJson(const KeyChoice& keys);
KeyChoice keysFromJson(const nlohmann::json& value, const std::string& source);

nlohmann::json inputToJson(const InputSource& input);
InputSource inputFromJson(const nlohmann::json& value, const std::string& source);

nlohmann::json configToJson(const BatchConfig& config);
BatchConfig configFromJson(const nlohmann::json& value, const std::string& source, const std::string& baseDir);

nlohmann::json resultToJson(const BatchResult& result);
BatchResult resultFromJson(const nlohmann::json& value, const std::string& source);

} // namespace mimo::jsonforms
