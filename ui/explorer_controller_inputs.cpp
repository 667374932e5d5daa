// The controller's input requests: files, folders, typed or pasted inputs and dataset samples
// are prepared for the model on the compute thread; only inputs that prepared fill slots.
#include "ui/controller_jobs.h"

#include "core/errors.h"

#include <QFileInfo>
#include <QPointer>

#include <algorithm>

using namespace mimo;
using controller_jobs::prepareAll;
using controller_jobs::Prepared;
using controller_jobs::text;

void ExplorerController::openPaths(const QStringList& paths, int firstSlot)
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
        loadModel(modelPath);
    if (inputs.isEmpty())
        return;
    if (!hasModel_ && modelPath.isEmpty()) {
        emit problem(tr("No model"), tr("Load a model before adding inputs."));
        return;
    }
    std::vector<std::string> files;
    for (const auto& path : inputs)
        files.push_back(text(path));
    submit<PrepareReply>(
        tr("Reading %n input(s)", nullptr, int(files.size())),
        [files](ExplorerEngine& engine) {
            PrepareReply reply;
            const ModelInfo& info = engine.summary().info;
            std::vector<InputSource> sources;
            for (const auto& file : files) {
                if (classifyPath(file) == PathKind::Folder) {
                    std::vector<std::string> inFolder;
                    try {
                        inFolder = inputFilesInFolder(file, info);
                    } catch (const std::exception& error) {
                        reply.prepared.errors << QString::fromStdString(error.what());
                    }
                    if (inFolder.empty())
                        reply.prepared.errors << QString::fromStdString(file + ": no input this model can read in the folder");
                    for (const auto& item : inFolder) {
                        InputSource source;
                        source.path = item;
                        sources.push_back(source);
                    }
                } else {
                    InputSource source;
                    source.path = file;
                    sources.push_back(source);
                }
            }
            reply.offered = int(sources.size());
            Prepared prepared = prepareAll(sources, info);
            reply.prepared.inputs = std::move(prepared.inputs);
            reply.prepared.errors << prepared.errors;
            return reply;
        },
        [this, firstSlot](PrepareReply reply) {
            fillSlots(reply.prepared.inputs, firstSlot, reply.prepared.errors, reply.offered);
        },
        tr("Cannot read the input"));
}

void ExplorerController::setInputs(const std::vector<InputSource>& sources, int firstSlot)
{
    if (!hasModel_) {
        emit problem(tr("No model"), tr("Load a model before adding inputs."));
        return;
    }
    submit<PrepareReply>(
        tr("Preparing the input"),
        [sources](ExplorerEngine& engine) {
            PrepareReply reply;
            reply.prepared = prepareAll(sources, engine.summary().info);
            reply.offered = int(sources.size());
            return reply;
        },
        [this, firstSlot](PrepareReply reply) {
            fillSlots(reply.prepared.inputs, firstSlot, reply.prepared.errors, reply.offered);
        },
        tr("Cannot read the input"));
}

void ExplorerController::pickSamples(const QString& dataset, const SampleQuery& query, int firstSlot)
{
    if (!hasModel_)
        return;
    const std::string spec = text(dataset);
    submit<PrepareReply>(
        tr("Reading samples from %1").arg(dataset),
        [spec, query](ExplorerEngine& engine) {
            const ModelInfo& info = engine.summary().info;
            const auto data = openDataset(spec, dataOptionsForModel(info));
            std::vector<InputSource> sources;
            for (int64_t index : selectSamples(*data, query)) {
                InputSource source;
                source.origin = InputSource::Origin::DatasetSample;
                source.dataset = spec;
                source.index = index;
                sources.push_back(source);
            }
            PrepareReply reply;
            reply.prepared = prepareAll(sources, info);
            reply.offered = int(sources.size());
            return reply;
        },
        [this, firstSlot](PrepareReply reply) {
            fillSlots(reply.prepared.inputs, firstSlot, reply.prepared.errors, reply.offered);
        },
        tr("Cannot read the dataset"));
}

void ExplorerController::describeDataset(const QString& dataset, QObject* context,
                                         std::function<void(qint64, const QStringList&)> done)
{
    if (!hasModel_)
        return;
    const std::string spec = text(dataset);
    struct Description {
        qint64 size = 0;
        QStringList classes;
    };
    QPointer<QObject> guard(context);
    submit<Description>(
        tr("Opening %1").arg(dataset),
        [spec](ExplorerEngine& engine) {
            const auto data = openDataset(spec, dataOptionsForModel(engine.summary().info));
            Description description;
            description.size = qint64(data->size());
            for (const auto& name : data->classNames())
                description.classes << QString::fromStdString(name);
            return description;
        },
        [guard, done](Description description) {
            if (guard)
                done(description.size, description.classes);
        },
        tr("Cannot open the dataset"));
}

void ExplorerController::fillSlots(const std::vector<SlotInput>& inputs, int firstSlot, const QStringList& errors,
                                   int offered)
{
    if (!errors.isEmpty())
        emit problem(tr("Some inputs could not be used"), errors.join('\n'));
    if (inputs.empty() || !hasModel_)
        return;
    int slot = std::clamp(firstSlot, 0, n_ - 1);
    int placed = 0;
    for (const auto& input : inputs) {
        if (slot >= n_)
            break;
        slots_[size_t(slot++)] = input;
        ++placed;
    }
    if (placed < int(inputs.size()))
        emit info(tr("%1 of %2 inputs fill the slots from slot %3; raise N for more")
                      .arg(placed)
                      .arg(offered)
                      .arg(firstSlot + 1));
    stateEdited(placed == 1 ? tr("Input in slot %1").arg(std::clamp(firstSlot, 0, n_ - 1) + 1) : tr("%1 inputs").arg(placed));
}

void ExplorerController::clearSlot(int slot)
{
    if (slot < 0 || slot >= n_ || !slots_[size_t(slot)])
        return;
    slots_[size_t(slot)].reset();
    stateEdited(tr("Clear slot %1").arg(slot + 1));
}

