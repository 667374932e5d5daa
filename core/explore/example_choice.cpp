#include "core/explore/example_choice.h"

#include "core/explore/explorer_engine.h"

#include <algorithm>

namespace mimo {

std::vector<std::size_t> preferRightAlone(ExplorerEngine& engine, const std::vector<PreparedInput>& candidates,
                                          std::size_t count)
{
    std::vector<std::size_t> right, wrong;
    for (std::size_t i = 0; i < candidates.size() && right.size() < count; ++i) {
        if (candidates[i].label < 0) {
            right.push_back(i);
            continue;
        }
        RunRequest request;
        request.n = 1;
        request.topK = 1;
        request.inputs = {candidates[i]};
        try {
            const RunResult result = engine.run(request);
            const auto& probabilities = result.aloneProbabilities.at(0);
            const auto best = std::max_element(probabilities.begin(), probabilities.end()) - probabilities.begin();
            (best == candidates[i].label ? right : wrong).push_back(i);
        } catch (const std::exception&) {
            // an input the model cannot run is no example
        }
    }
    std::vector<std::size_t> chosen = right;
    for (std::size_t i = 0; i < wrong.size() && chosen.size() < count; ++i)
        chosen.push_back(wrong[i]);
    return chosen;
}

} // namespace mimo
