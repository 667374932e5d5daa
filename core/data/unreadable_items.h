#pragma once
// Items of a dataset that could not be read, for the skip-and-report policy of datasets that
// decode items on demand (image folders, docs/file-safety.md): evaluation leaves them out of the
// accuracy, training replaces them with readable items of the same batch, and every command
// reports them the same way ("2 unreadable items skipped: a.png: ...; b.png: ..."). Plain data.
#include <cstddef>
#include <string>
#include <vector>

namespace mimo {

class DataError;

struct UnreadableItem {
    std::size_t index = 0; // in the dataset
    std::string file;      // the file (or source) the error names
    std::string reason;    // what is wrong with it

    bool operator==(const UnreadableItem& other) const
    {
        return index == other.index && file == other.file && reason == other.reason;
    }
};

class UnreadableItems {
public:
    // Records the item unless it is recorded already; true when it is new.
    bool add(UnreadableItem item);
    bool add(std::size_t index, const DataError& error);
    // Adds every item of `other` not recorded yet; returns how many were new.
    std::size_t merge(const UnreadableItems& other);

    bool contains(std::size_t index) const;
    bool empty() const { return items_.empty(); }
    std::size_t size() const { return items_.size(); }
    // In the order they were found.
    const std::vector<UnreadableItem>& items() const { return items_; }

    bool operator==(const UnreadableItems& other) const { return items_ == other.items_; }

private:
    std::vector<UnreadableItem> items_;
    std::vector<std::size_t> sortedIndices_; // for contains()
};

// "K unreadable items skipped: FILE: REASON; FILE: REASON; ... and M more" naming the first
// `named` items; "" when there are none. `what` replaces "items" ("training items").
std::string unreadableReport(const std::vector<UnreadableItem>& items, std::size_t named = 5,
                             const std::string& what = "items");
inline std::string unreadableReport(const UnreadableItems& items, std::size_t named = 5,
                                    const std::string& what = "items")
{
    return unreadableReport(items.items(), named, what);
}

} // namespace mimo
