#pragma once
// JSON form of the unreadable items an evaluation skipped (core/data/unreadable_items.h), as
// batch results keep them: [{"index": 3, "file": "cats/b.png", "reason": "..."}, ...].
// nlohmann_json is private to core: include this from core .cpp files only.
#include "core/data/unreadable_items.h"

#include <nlohmann/json.hpp>

#include <string>

namespace mimo::jsonforms {

nlohmann::json unreadableToJson(const UnreadableItems& items);
// Throws DataError(source, "<field>: <problem>") for a value that is not such a list.
UnreadableItems unreadableFromJson(const nlohmann::json& value, const std::string& source, const std::string& field);

} // namespace mimo::jsonforms
