#include "core/eval/evaluation.h"

#include "core/eval/conv_evaluation.h"
#include "core/eval/former_evaluation.h"
#include "core/model/model_file.h"

namespace mimo {

EvalReport evaluateModelFile(const std::string& modelPath, const DatasetPtr& data, const EvalConfig& config,
                             EvalProgress progress, const std::atomic<bool>* cancel)
{
    auto loaded = loadModel(modelPath, config.device);
    auto report = loaded.isConv() ? evaluateConv(loaded.conv(), *data, config, std::move(progress), cancel)
                                  : evaluateFormer(loaded.former(), *data, config, std::move(progress), cancel);
    report.model = modelPath;
    return report;
}

} // namespace mimo
