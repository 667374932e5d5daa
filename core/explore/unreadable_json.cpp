#include "core/explore/unreadable_json.h"

#include "core/errors.h"
#include "core/numbers.h"

namespace mimo::jsonforms {

using nlohmann::json;

json unreadableToJson(const UnreadableItems& items)
{
    json out = json::array();
    for (const auto& item : items.items())
        out.push_back({{"index", item.index}, {"file", item.file}, {"reason", item.reason}});
    return out;
}

UnreadableItems unreadableFromJson(const json& value, const std::string& source, const std::string& field)
{
    if (!value.is_array())
        throw DataError(source, field + ": must be a list of {index, file, reason}");
    UnreadableItems items;
    for (const auto& entry : value) {
        const auto index = entry.is_object() && entry.contains("index") ? wholeNumber<std::size_t>(entry["index"])
                                                                         : std::nullopt;
        if (!index || !entry.contains("file") || !entry["file"].is_string() || !entry.contains("reason") ||
            !entry["reason"].is_string())
            throw DataError(source, field + "[]: needs index (a whole number), file and reason (text)");
        items.add(UnreadableItem{*index, entry["file"].get<std::string>(), entry["reason"].get<std::string>()});
    }
    return items;
}

} // namespace mimo::jsonforms
