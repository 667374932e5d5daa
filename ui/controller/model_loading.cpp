#include "ui/controller/model_loading.h"

#include "core/errors.h"
#include "core/explore/example_choice.h"
#include "core/explore/explorer_engine.h"
#include "core/explore/explorer_inputs.h"
#include "core/explore/sample_sources.h"

#include <QObject>

using namespace mimo;

PreparedInputs prepareInputs(const std::vector<InputSource>& sources, const ModelInfo& model)
{
    PreparedInputs out;
    const DataOptions options = dataOptionsForModel(model);
    for (const auto& source : sources) {
        try {
            out.inputs.push_back({source, prepareInput(source, model, options)});
        } catch (const std::exception& error) {
            out.errors << QString::fromStdString(mimo::userErrorText(error));
        }
    }
    return out;
}

ModelLoadReply loadForExplorer(ExplorerEngine& engine, const ModelLoadPlan& plan)
{
    if (plan.file.empty())
        throw Error("the session names no model");
    ModelLoadReply reply;
    reply.summary = engine.load(plan.file, plan.device);
    const ModelInfo& info = reply.summary.info;
    try { // examples are a courtesy: the model is loaded whatever happens to them
        // Three candidates a slot, of different classes first; those the model gets right alone win.
        const auto candidates =
            prepareInputs(exampleSources(info, 3 * info.largestN(), plan.examplesDirectory), info).inputs;
        std::vector<PreparedInput> prepared;
        for (const auto& candidate : candidates)
            prepared.push_back(candidate.prepared);
        for (std::size_t i : preferRightAlone(engine, prepared, std::size_t(info.largestN())))
            reply.examples.push_back(candidates[i]);
        reply.sampleDataset = QString::fromStdString(defaultSampleDataset(info, plan.examplesDirectory));
    } catch (const std::exception&) {
        reply.examples.clear();
    }
    if (plan.n) {
        reply.n = *plan.n;
        if (!info.supportsN(*plan.n)) {
            reply.problems << QObject::tr("N=%1 is not served by %2; N=%3 is used")
                                  .arg(*plan.n)
                                  .arg(QString::fromStdString(plan.file))
                                  .arg(info.largestN());
            reply.n = info.largestN();
        }
    }
    const DataOptions options = dataOptionsForModel(info);
    reply.inputs.assign(size_t(info.largestN()), std::nullopt);
    for (size_t i = 0; i < plan.inputs.size() && i < reply.inputs.size(); ++i) {
        const auto& source = plan.inputs[i];
        if (!source || (!plan.session && source->origin == InputSource::Origin::DatasetSample))
            continue;
        try {
            reply.inputs[i] = SlotInput{*source, prepareInput(*source, info, options)};
        } catch (const std::exception& error) {
            if (plan.session)
                reply.problems << QObject::tr("slot %1: %2").arg(i + 1).arg(QString::fromStdString(mimo::userErrorText(error)));
        }
    }
    if (plan.keys) {
        const int n = reply.n.value_or(info.largestN());
        reply.keys = *plan.keys;
        try {
            reply.similarity = engine.keySimilarity(*plan.keys, n);
        } catch (const std::exception& error) {
            reply.problems << QObject::tr("keys: %1; the trained keys are used").arg(QString::fromStdString(mimo::userErrorText(error)));
            reply.keys = KeyChoice{};
            reply.similarity = engine.keySimilarity(reply.keys, n);
        }
    }
    return reply;
}
