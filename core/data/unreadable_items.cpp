#include "core/data/unreadable_items.h"

#include "core/errors.h"

#include <algorithm>

namespace mimo {

bool UnreadableItems::add(UnreadableItem item)
{
    const auto at = std::lower_bound(sortedIndices_.begin(), sortedIndices_.end(), item.index);
    if (at != sortedIndices_.end() && *at == item.index)
        return false;
    sortedIndices_.insert(at, item.index);
    items_.push_back(std::move(item));
    return true;
}

bool UnreadableItems::add(std::size_t index, const DataError& error)
{
    return add(UnreadableItem{index, error.source(), error.problem()});
}

std::size_t UnreadableItems::merge(const UnreadableItems& other)
{
    std::size_t added = 0;
    for (const auto& item : other.items())
        if (add(item))
            ++added;
    return added;
}

bool UnreadableItems::contains(std::size_t index) const
{
    return std::binary_search(sortedIndices_.begin(), sortedIndices_.end(), index);
}

std::string unreadableReport(const std::vector<UnreadableItem>& items, std::size_t named, const std::string& what)
{
    if (items.empty())
        return {};
    const std::size_t count = items.size();
    std::string what1 = what;
    if (count == 1 && what1.size() > 1 && what1.back() == 's')
        what1.pop_back(); // "1 unreadable item skipped"
    std::string text = std::to_string(count) + " unreadable " + what1 + " skipped: ";
    const std::size_t shown = std::min(count, std::max<std::size_t>(named, 1));
    for (std::size_t i = 0; i < shown; ++i)
        text += (i ? "; " : "") + printableText(items[i].file, 512) + ": " + printableText(items[i].reason, 512);
    if (shown < count)
        text += "; and " + std::to_string(count - shown) + " more";
    return text;
}

} // namespace mimo
