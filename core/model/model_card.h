#pragma once
// What a model file says about itself beyond its architecture: where it came from and how
// good it is. Plain data, JSON inside the file.
#include <map>
#include <string>
#include <vector>

namespace mimo {

struct EpochRecord {
    double epoch = 0.0;
    double trainLoss = 0.0;
    std::map<int, double> testAccuracy; // N -> accuracy in [0, 1]
    double elapsedSeconds = 0.0;
};

// The final test accuracy over the items of one group of the test data (a ListOps tree depth).
struct GroupAccuracyRecord {
    int group = 0;
    unsigned long long count = 0;       // test items in the group
    std::map<int, double> accuracy;     // N -> accuracy in [0, 1]
};

struct ModelCard {
    std::string name;
    std::string dataset;
    std::vector<std::string> classNames;
    std::string trainingCommand;
    unsigned long long seed = 0;
    double trainingSeconds = 0.0;
    std::string trainingHardware;
    std::map<int, double> testAccuracy; // N -> accuracy, running-statistics BN
    std::string evaluation;             // how testAccuracy was measured
    // The same final evaluation per group of the test data, when its items are grouped
    // (Dataset::group); groupKind says by what ("tree depth"), empty when they are not.
    std::string groupKind;
    std::vector<GroupAccuracyRecord> testAccuracyByGroup;
    std::vector<EpochRecord> curve;
    std::string projectVersion;
    std::string notes;
};

std::string toJson(const ModelCard& card);
ModelCard modelCardFromJson(const std::string& json); // throws mimo::Error
// A human-readable Markdown rendering, written next to bundled models.
std::string toMarkdown(const ModelCard& card, const std::string& architecture);
// "FILE (its name; test accuracy N=1 91.71 %, ...)": how another card names a model it used.
std::string provenance(const ModelCard& card, const std::string& path);

} // namespace mimo
