#include "core/model/model_card.h"

#include "core/errors.h"
#include "core/numbers.h"

#include <nlohmann/json.hpp>

#include <cstdio>

namespace mimo {
namespace {

using nlohmann::json;

json accuracyJson(const std::map<int, double>& accuracy)
{
    json out = json::object();
    for (const auto& [n, value] : accuracy)
        out[std::to_string(n)] = value;
    return out;
}

std::map<int, double> accuracyFromJson(const json& in)
{
    std::map<int, double> out;
    for (const auto& [key, value] : in.items()) {
        const auto n = parseWholeNumber<int>(key);
        if (!n || *n < 1)
            throw Error("model card: an accuracy is given for N = '" + key + "', not a whole number of 1 or more");
        out[*n] = value.get<double>();
    }
    return out;
}

json groupsJson(const ModelCard& card)
{
    json groups = json::array();
    for (const auto& record : card.testAccuracyByGroup)
        groups.push_back({{"group", record.group}, {"count", record.count}, {"accuracy", accuracyJson(record.accuracy)}});
    return json{{"kind", card.groupKind}, {"groups", groups}};
}

template <typename Number>
Number wholeField(const json& in, const char* field)
{
    const auto value = wholeNumber<Number>(in.at(field));
    if (!value)
        throw Error(std::string("model card: a group's '") + field + "' must be a whole number, got " +
                    jsonValueText(in.at(field)));
    return *value;
}

void groupsFromJson(const json& in, ModelCard& card)
{
    card.groupKind = in.value("kind", "");
    for (const auto& group : in.at("groups")) {
        GroupAccuracyRecord record;
        record.group = wholeField<int>(group, "group");
        record.count = wholeField<unsigned long long>(group, "count");
        record.accuracy = accuracyFromJson(group.at("accuracy"));
        card.testAccuracyByGroup.push_back(record);
    }
}

std::string percent(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f %%", 100.0 * value);
    return buffer;
}

// A row per group, a column per N, as mimo eval prints them.
std::string groupsMarkdown(const ModelCard& card)
{
    const std::string kind = card.groupKind.empty() ? "group" : card.groupKind;
    std::string md = "\n## Test accuracy by " + kind + "\n\n| " + kind + " | items |";
    std::string rule = "|---|---|";
    for (const auto& [n, value] : card.testAccuracy) {
        md += " N=" + std::to_string(n) + " |";
        rule += "---|";
    }
    md += "\n" + rule + "\n";
    for (const auto& record : card.testAccuracyByGroup) {
        md += "| " + std::to_string(record.group) + " | " + std::to_string(record.count) + " |";
        for (const auto& column : card.testAccuracy) {
            const auto found = record.accuracy.find(column.first);
            md += " " + (found == record.accuracy.end() ? std::string("-") : percent(found->second)) + " |";
        }
        md += "\n";
    }
    return md;
}

} // namespace

std::string toJson(const ModelCard& card)
{
    json curve = json::array();
    for (const auto& record : card.curve)
        curve.push_back({{"epoch", record.epoch},
                         {"train_loss", record.trainLoss},
                         {"test_accuracy", accuracyJson(record.testAccuracy)},
                         {"elapsed_seconds", record.elapsedSeconds}});
    json out{{"name", card.name},
             {"dataset", card.dataset},
             {"class_names", card.classNames},
             {"training_command", card.trainingCommand},
             {"seed", card.seed},
             {"training_seconds", card.trainingSeconds},
             {"training_hardware", card.trainingHardware},
             {"test_accuracy", accuracyJson(card.testAccuracy)},
             {"evaluation", card.evaluation},
             {"curve", curve},
             {"project_version", card.projectVersion},
             {"notes", card.notes}};
    if (!card.testAccuracyByGroup.empty())
        out["test_accuracy_by_group"] = groupsJson(card);
    return out.dump(2);
}

ModelCard modelCardFromJson(const std::string& text)
{
    ModelCard card;
    try {
        const json in = json::parse(text);
        card.name = in.value("name", "");
        card.dataset = in.value("dataset", "");
        card.classNames = in.value("class_names", std::vector<std::string>{});
        card.trainingCommand = in.value("training_command", "");
        if (in.contains("seed")) {
            const auto seed = wholeNumber<unsigned long long>(in.at("seed"));
            if (!seed)
                throw Error("model card: field 'seed' must be a whole number of 0 or more, got " +
                            jsonValueText(in.at("seed")));
            card.seed = *seed;
        }
        card.trainingSeconds = in.value("training_seconds", 0.0);
        card.trainingHardware = in.value("training_hardware", "");
        if (in.contains("test_accuracy"))
            card.testAccuracy = accuracyFromJson(in.at("test_accuracy"));
        card.evaluation = in.value("evaluation", "");
        if (in.contains("test_accuracy_by_group"))
            groupsFromJson(in.at("test_accuracy_by_group"), card);
        for (const auto& record : in.value("curve", json::array())) {
            EpochRecord r;
            r.epoch = record.value("epoch", 0.0);
            r.trainLoss = record.value("train_loss", 0.0);
            if (record.contains("test_accuracy"))
                r.testAccuracy = accuracyFromJson(record.at("test_accuracy"));
            r.elapsedSeconds = record.value("elapsed_seconds", 0.0);
            card.curve.push_back(r);
        }
        card.projectVersion = in.value("project_version", "");
        card.notes = in.value("notes", "");
    } catch (const Error&) {
        throw;
    } catch (const std::exception& error) {
        throw Error(std::string("model card: ") + error.what());
    }
    return card;
}

std::string toMarkdown(const ModelCard& card, const std::string& architecture)
{
    std::string md = "# " + card.name + "\n\n";
    md += "- Architecture: " + architecture + "\n";
    md += "- Dataset: " + card.dataset + "\n";
    md += "- Seed: " + std::to_string(card.seed) + "\n";
    char buffer[128];
    std::snprintf(buffer, sizeof buffer, "%.1f min", card.trainingSeconds / 60.0);
    md += "- Training time: " + std::string(buffer) + " on " + card.trainingHardware + "\n";
    md += "- Project version: " + card.projectVersion + "\n\n";
    md += "Training command (from the repository root):\n\n    " + card.trainingCommand + "\n\n";
    md += "## Test accuracy\n\n" + card.evaluation + "\n\n| N | accuracy |\n|---|---|\n";
    for (const auto& [n, value] : card.testAccuracy)
        md += "| " + std::to_string(n) + " | " + percent(value) + " |\n";
    if (!card.testAccuracyByGroup.empty())
        md += groupsMarkdown(card);
    if (!card.curve.empty()) {
        md += "\n## Learning curve\n\n| epoch | train loss | test accuracy | elapsed |\n|---|---|---|---|\n";
        for (const auto& r : card.curve) {
            std::string acc;
            for (const auto& [n, value] : r.testAccuracy)
                acc += (acc.empty() ? "" : ", ") + std::string("N=") + std::to_string(n) + " " + percent(value);
            std::snprintf(buffer, sizeof buffer, "| %.2f | %.4f | ", r.epoch, r.trainLoss);
            md += buffer + acc;
            std::snprintf(buffer, sizeof buffer, " | %.1f min |\n", r.elapsedSeconds / 60.0);
            md += buffer;
        }
    }
    if (!card.notes.empty())
        md += "\n## Notes\n\n" + card.notes + "\n";
    return md;
}

std::string provenance(const ModelCard& card, const std::string& path)
{
    std::string accuracy;
    for (const auto& [n, value] : card.testAccuracy)
        accuracy += (accuracy.empty() ? "" : ", ") + std::string("N=") + std::to_string(n) + " " + percent(value);
    return path + " (" + (card.name.empty() ? "unnamed" : card.name) + "; " +
           (accuracy.empty() ? "no test accuracy in its card" : "test accuracy " + accuracy) + ")";
}

} // namespace mimo
