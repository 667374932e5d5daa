#include "ui/controller/input_requests.h"

#include "core/errors.h"
#include "core/explore/explorer_engine.h"
#include "core/explore/explorer_inputs.h"
#include "ui/controller/explorer_controller.h"
#include "ui/controller/job_runner.h"
#include "ui/controller/model_loading.h"
#include "ui/widgets/counted.h"

#include <QPointer>

using namespace mimo;

namespace {
std::string text(const QString& value) { return value.toStdString(); }
} // namespace

struct InputRequests::Prepared {
    PreparedInputs inputs;
    int offered = 0; // inputs found (a folder counts its files)
};

InputRequests::InputRequests(ExplorerController& controller, JobRunner& jobs)
    : QObject(&controller), controller_(controller), jobs_(jobs)
{
}

bool InputRequests::needsModel()
{
    if (controller_.hasModel())
        return false;
    Q_EMIT problem(tr("No model"), tr("Load a model before adding inputs."));
    return true;
}

void InputRequests::prepare(const QString& what, const QString& failureTitle,
                            std::function<std::vector<InputSource>(ExplorerEngine&, QStringList& errors)> sources,
                            int firstSlot, bool live)
{
    jobs_.submit<Prepared>(
        what,
        [sources](ExplorerEngine& engine) {
            Prepared reply;
            QStringList errors;
            const std::vector<InputSource> found = sources(engine, errors);
            reply.offered = int(found.size());
            reply.inputs = prepareInputs(found, engine.summary().info);
            reply.inputs.errors = errors + reply.inputs.errors;
            return reply;
        },
        [this, firstSlot, live](Prepared reply) {
            controller_.fillSlots(reply.inputs.inputs, firstSlot, reply.inputs.errors, reply.offered, live);
        },
        [this, failureTitle](const QString& message) { Q_EMIT problem(failureTitle, message); });
}

void InputRequests::openPaths(const QStringList& paths, int firstSlot)
{
    QStringList inputs;
    QString modelPath;
    for (const auto& path : paths) {
        if (classifyPath(text(path)) == PathKind::Model && modelPath.isEmpty())
            modelPath = path;
        else if (classifyPath(text(path)) != PathKind::Model)
            inputs << path;
    }
    if (!modelPath.isEmpty())
        controller_.loadModel(modelPath);
    if (inputs.isEmpty() || (modelPath.isEmpty() && needsModel()))
        return;
    std::vector<std::string> files;
    for (const auto& path : inputs)
        files.push_back(text(path));
    prepare(
        counted(qint64(files.size()), tr("Reading 1 input"), tr("Reading %1 inputs")), tr("Cannot read the input"),
        [files](ExplorerEngine& engine, QStringList& errors) {
            std::vector<InputSource> sources;
            for (const auto& file : files) {
                if (classifyPath(file) != PathKind::Folder) {
                    sources.push_back(InputSource{});
                    sources.back().path = file;
                    continue;
                }
                std::vector<std::string> inFolder;
                try {
                    inFolder = inputFilesInFolder(file, engine.summary().info);
                } catch (const std::exception& error) {
                    errors << QString::fromStdString(mimo::userErrorText(error));
                }
                if (inFolder.empty())
                    errors << QString::fromStdString(file + ": no input this model can read in the folder");
                for (const auto& item : inFolder) {
                    sources.push_back(InputSource{});
                    sources.back().path = item;
                }
            }
            return sources;
        },
        firstSlot);
}

void InputRequests::setInputs(const std::vector<InputSource>& sources, int firstSlot)
{
    if (needsModel())
        return;
    prepare(
        tr("Preparing the input"), tr("Cannot read the input"),
        [sources](ExplorerEngine&, QStringList&) { return sources; }, firstSlot);
}

void InputRequests::setLiveInput(const InputSource& source, int slot)
{
    if (needsModel())
        return;
    prepare(
        tr("Preparing the live input"), tr("Cannot use the live input"),
        [source](ExplorerEngine&, QStringList&) { return std::vector<InputSource>{source}; }, slot, true);
}

void InputRequests::pickSamples(const QString& dataset, const SampleQuery& query, int firstSlot)
{
    if (!controller_.hasModel())
        return;
    const std::string spec = text(dataset);
    prepare(
        tr("Reading samples from %1").arg(dataset), tr("Cannot read the dataset"),
        [spec, query](ExplorerEngine& engine, QStringList&) {
            const auto data = openDataset(spec, dataOptionsForModel(engine.summary().info));
            std::vector<InputSource> sources;
            for (int64_t index : selectSamples(*data, query)) {
                InputSource source;
                source.origin = InputSource::Origin::DatasetSample;
                source.dataset = spec;
                source.index = index;
                sources.push_back(source);
            }
            return sources;
        },
        firstSlot);
}

void InputRequests::describeDataset(const QString& dataset, QObject* context,
                                    std::function<void(qint64, const QStringList&)> done)
{
    if (!controller_.hasModel())
        return;
    const std::string spec = text(dataset);
    using Description = std::pair<qint64, QStringList>;
    QPointer<QObject> guard(context);
    jobs_.submit<Description>(
        tr("Opening %1").arg(dataset),
        [spec](ExplorerEngine& engine) {
            const auto data = openDataset(spec, dataOptionsForModel(engine.summary().info));
            Description description{qint64(data->size()), {}};
            for (const auto& name : data->classNames())
                description.second << QString::fromStdString(name);
            return description;
        },
        [guard, done](Description description) {
            if (guard)
                done(description.first, description.second);
        },
        [this](const QString& message) { Q_EMIT problem(tr("Cannot open the dataset"), message); });
}
