#include "core/eval/eval_counts.h"

#include "core/errors.h"
#include "core/eval/eval_shards.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace mimo {

void fillAccuracy(EvalReport& report, const EvalCounts& counts)
{
    const std::size_t classes = counts.classCount.size();
    for (std::size_t k = 0; k < report.rows.size(); ++k) {
        auto& row = report.rows[k];
        row.accuracy = row.count ? double(row.correct) / double(row.count) : 0.0;
        std::tie(row.ciLow, row.ciHigh) = wilsonInterval(row.correct, row.count);
        row.perGroup.clear();
        for (const auto& [key, group] : counts.groups[k])
            row.perGroup.push_back(group);
        row.perClassAccuracy.assign(classes, 0.0);
        for (std::size_t c = 0; c < classes; ++c)
            row.perClassAccuracy[c] =
                counts.classCount[c] ? double(counts.classCorrect[k][c]) / double(counts.classCount[c]) : 0.0;
    }
}

namespace {

// The unreadable items of every rank, each once, in rank order.
void gatherUnreadable(EvalShards& shards, UnreadableItems& unreadable)
{
    nlohmann::json mine = nlohmann::json::array();
    for (const auto& item : unreadable.items())
        mine.push_back({item.index, item.file, item.reason});
    for (const std::string& text : shards.gather(mine.dump())) {
        try {
            for (const auto& item : nlohmann::json::parse(text))
                unreadable.add(UnreadableItem{item.at(0).get<std::size_t>(), item.at(1).get<std::string>(),
                                              item.at(2).get<std::string>()});
        } catch (const nlohmann::json::exception& error) {
            throw Error("evaluation: another rank sent its unreadable items garbled: " + libraryErrorText(error.what()));
        }
    }
}

} // namespace

bool combineShards(EvalShards& shards, EvalReport& report, EvalCounts& counts, bool failedHere)
{
    const std::size_t kinds = report.rows.size(), classes = counts.classCount.size();
    // The groups every rank saw: one slot per group from 0 to the largest of any rank.
    std::vector<int64_t> largest{-1, report.cancelled ? 1 : 0, failedHere ? 1 : 0};
    for (const auto& groups : counts.groups)
        for (const auto& [key, group] : groups)
            largest[0] = std::max<int64_t>(largest[0], key);
    shards.max(largest);
    if (largest[2] > 0)
        return true;
    if (largest[0] > 1'000'000)
        throw Error("evaluation: a rank counted group " + std::to_string(largest[0]) + ", more than one process can");
    const std::size_t groupSlots = std::size_t(largest[0] + 1);

    std::vector<int64_t> packed;
    packed.reserve(classes + kinds * (2 + classes + 2 * groupSlots));
    for (std::size_t c = 0; c < classes; ++c)
        packed.push_back(int64_t(counts.classCount[c]));
    for (std::size_t k = 0; k < kinds; ++k) {
        packed.push_back(int64_t(report.rows[k].count));
        packed.push_back(int64_t(report.rows[k].correct));
        for (std::size_t c = 0; c < classes; ++c)
            packed.push_back(int64_t(counts.classCorrect[k][c]));
        for (std::size_t g = 0; g < groupSlots; ++g) {
            const auto found = counts.groups[k].find(int(g));
            packed.push_back(found == counts.groups[k].end() ? 0 : int64_t(found->second.count));
            packed.push_back(found == counts.groups[k].end() ? 0 : int64_t(found->second.correct));
        }
    }
    shards.sum(packed);

    std::size_t at = 0;
    const auto next = [&] { return std::size_t(packed[at++]); };
    for (std::size_t c = 0; c < classes; ++c)
        counts.classCount[c] = next();
    for (std::size_t k = 0; k < kinds; ++k) {
        report.rows[k].count = next();
        report.rows[k].correct = next();
        for (std::size_t c = 0; c < classes; ++c)
            counts.classCorrect[k][c] = next();
        counts.groups[k].clear();
        for (std::size_t g = 0; g < groupSlots; ++g) {
            GroupAccuracy group{int(g), next(), 0};
            group.correct = next();
            if (group.count > 0)
                counts.groups[k][int(g)] = group;
        }
    }
    gatherUnreadable(shards, report.unreadable);
    report.cancelled = largest[1] > 0;
    report.ranks = shards.size();
    fillAccuracy(report, counts);
    return false;
}

} // namespace mimo
