#include "ui/explorer_controller.h"

#include "core/errors.h"
#include "core/explore/key_file.h"
#include "ui/compute_thread.h"
#include "ui/controller_jobs.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPointer>

#include <algorithm>
#include <utility>

using namespace mimo;
using controller_jobs::prepareAll;
using controller_jobs::Prepared;
using controller_jobs::text;

struct ExplorerController::LoadReply {
    ModelSummary summary;
    std::vector<SlotInput> examples;
    std::vector<std::optional<SlotInput>> carried; // the previous slots, prepared for the new model
    QString sampleDataset;
};

ExplorerController::ExplorerController(QObject* parent)
    : QObject(parent), compute_(std::make_unique<ComputeThread>()),
      examplesDirectory_(QString::fromStdString(mimo::examplesDirectory(text(QCoreApplication::applicationDirPath()))))
{
}

ExplorerController::~ExplorerController()
{
    compute_.reset(); // stop the thread before this object's queued replies are discarded
}

void ExplorerController::setBusyMessage(const QString& what)
{
    emit busyChanged(busy(), busy() ? what : QString());
}

std::vector<std::optional<SlotInput>> ExplorerController::slotInputs() const
{
    return std::vector<std::optional<SlotInput>>(slots_.begin(), slots_.begin() + std::min<size_t>(slots_.size(), n_));
}

int ExplorerController::emptySlots() const
{
    const auto inUse = slotInputs();
    return int(std::count_if(inUse.begin(), inUse.end(), [](const auto& slot) { return !slot; }));
}

void ExplorerController::refreshCatalog(const QStringList& directories)
{
    std::vector<std::string> dirs;
    for (const auto& dir : directories)
        dirs.push_back(text(dir));
    struct Catalog {
        std::vector<ModelListing> models;
        std::vector<std::string> problems;
        std::vector<std::string> devices;
    };
    submit<Catalog>(
        tr("Looking for models"),
        [dirs](ExplorerEngine&) {
            Catalog catalog;
            catalog.models = listModels(dirs, &catalog.problems);
            catalog.devices = ExplorerEngine::availableDevices();
            return catalog;
        },
        [this](Catalog catalog) {
            catalog_ = std::move(catalog.models);
            catalogProblems_.clear();
            for (const auto& problem : catalog.problems)
                catalogProblems_ << QString::fromStdString(problem);
            devices_.clear();
            for (const auto& device : catalog.devices)
                devices_ << QString::fromStdString(device);
            emit catalogChanged();
        },
        tr("Model catalog"));
}

void ExplorerController::loadModel(const QString& path, const QString& device)
{
    // One spelling per file, so the model list recognises a bundled model opened by hand.
    const std::string file = text(QFileInfo(path).exists() ? QFileInfo(path).canonicalFilePath() : path);
    const std::string where = device.isEmpty() ? (hasModel_ ? model_.device : std::string("auto")) : text(device);
    const std::string examplesDir = text(examplesDirectory_);
    std::vector<std::optional<InputSource>> previous;
    for (const auto& slot : slots_)
        previous.push_back(slot ? std::optional<InputSource>(slot->source) : std::nullopt);
    loading_ = true;
    ++generation_; // whatever was asked for the previous model is stale from here on
    submit<LoadReply>(
        tr("Loading %1").arg(QFileInfo(path).fileName()),
        [file, where, examplesDir, previous](ExplorerEngine& engine) {
            LoadReply reply;
            reply.summary = engine.load(file, where);
            const ModelInfo& info = reply.summary.info;
            try { // examples are a courtesy: the model is loaded whatever happens to them
                reply.examples = prepareAll(exampleSources(info, info.largestN(), examplesDir), info).inputs;
                reply.sampleDataset = QString::fromStdString(defaultSampleDataset(info, examplesDir));
            } catch (const std::exception&) {
                reply.examples.clear();
            }
            // The user's own inputs follow to the new model where they fit it.
            const DataOptions options = dataOptionsForModel(info);
            for (const auto& source : previous) {
                std::optional<SlotInput> carried;
                const bool example = source && source->origin == InputSource::Origin::DatasetSample;
                if (source && !example) {
                    try {
                        carried = SlotInput{*source, prepareInput(*source, info, options)};
                    } catch (const std::exception&) {
                    }
                }
                reply.carried.push_back(carried);
            }
            return reply;
        },
        [this](LoadReply reply) { applyLoadedModel(reply); }, tr("Cannot load the model"),
        [this](const QString&) {
            loading_ = false;
            emit catalogChanged(); // the model list shows the model still loaded
            requestRun();          // the state edited meanwhile still runs
        });
}

void ExplorerController::applyLoadedModel(const LoadReply& reply)
{
    loading_ = false;
    hasModel_ = true;
    model_ = reply.summary;
    sampleDataset_ = reply.sampleDataset;
    examples_ = reply.examples;
    keys_ = KeyChoice{};
    result_.reset();
    activations_.reset();
    interference_.reset();
    attention_.reset();
    const auto supported = model_.info.supportedN();
    // Keep N when the new model serves it, else its largest N: superposition is the point.
    if (std::find(supported.begin(), supported.end(), n_) == supported.end() || n_ == 1)
        n_ = model_.info.largestN();
    slots_.assign(size_t(model_.info.largestN()), std::nullopt);
    for (size_t i = 0; i < slots_.size() && i < reply.carried.size(); ++i)
        slots_[i] = reply.carried[i];
    fillEmptySlotsFromExamples();
    lastEdit_ = editState(); // a new model starts a new history
    emit historyReset();
    emit modelChanged();
    emit info(tr("Loaded %1 on %2").arg(QString::fromStdString(model_.info.card.name.empty() ? model_.path : model_.info.card.name),
                                         QString::fromStdString(model_.device)));
    stateEdited();
}

void ExplorerController::fillEmptySlotsFromExamples()
{
    size_t next = 0;
    const auto used = [&](const SlotInput& example) {
        return std::any_of(slots_.begin(), slots_.end(), [&](const auto& slot) {
            return slot && slot->source.origin == example.source.origin && slot->source.dataset == example.source.dataset &&
                   slot->source.index == example.source.index && slot->source.path == example.source.path;
        });
    };
    for (int i = 0; i < n_ && size_t(i) < slots_.size(); ++i) {
        if (slots_[size_t(i)])
            continue;
        while (next < examples_.size() && used(examples_[next]))
            ++next;
        if (next < examples_.size())
            slots_[size_t(i)] = examples_[next++];
    }
}

void ExplorerController::setDevice(const QString& device)
{
    if (!hasModel_ || text(device) == model_.device)
        return;
    const std::string where = text(device);
    submit<ModelSummary>(
        tr("Moving the model to %1").arg(device),
        [where](ExplorerEngine& engine) {
            engine.setDevice(where);
            return engine.summary();
        },
        [this](ModelSummary summary) {
            model_ = summary;
            emit modelChanged();
            stateEdited();
        },
        tr("Cannot change the device"), [this](const QString&) { emit modelChanged(); });
}

void ExplorerController::setN(int n)
{
    if (!hasModel_ || n == n_)
        return;
    if (!model_.info.supportsN(n)) {
        emit problem(tr("N not served"), tr("%1: N=%2 is not served by this model.")
                                             .arg(QString::fromStdString(model_.path))
                                             .arg(n));
        return;
    }
    n_ = n;
    fillEmptySlotsFromExamples();
    stateEdited(tr("N = %1").arg(n));
}

void ExplorerController::setKeys(const KeyChoice& keys)
{
    if (!hasModel_)
        return;
    const int n = n_;
    submit<TensorView>(
        tr("Checking the keys"), [keys, n](ExplorerEngine& engine) { return engine.keySimilarity(keys, n); },
        [this, keys](TensorView similarity) {
            keys_ = keys;
            keySimilarity_ = similarity;
            emit keySimilarityChanged();
            stateEdited(tr("Keys: %1").arg(QString::fromStdString(keys.describe())));
        },
        tr("Cannot use these keys"), [this](const QString&) { emit stateChanged(); });
}

void ExplorerController::loadKeyFile(const QString& path)
{
    if (!hasModel_)
        return;
    const std::string file = text(path);
    const int n = n_;
    struct Loaded {
        KeyChoice keys;
        TensorView similarity;
    };
    submit<Loaded>(
        tr("Reading keys from %1").arg(QFileInfo(path).fileName()),
        [file, n](ExplorerEngine& engine) {
            Loaded loaded;
            loaded.keys = readKeyFile(file);
            loaded.similarity = engine.keySimilarity(loaded.keys, n);
            return loaded;
        },
        [this](Loaded loaded) {
            keys_ = loaded.keys;
            keySimilarity_ = loaded.similarity;
            emit keySimilarityChanged();
            stateEdited(tr("Keys: %1").arg(QString::fromStdString(loaded.keys.describe())));
        },
        tr("Cannot use this key file"), [this](const QString&) { emit stateChanged(); });
}

void ExplorerController::saveKeys(const QString& path)
{
    if (!hasModel_)
        return;
    const std::string file = text(path);
    const KeyChoice keys = keys_;
    const std::string comment = keys.describe() + " of " + model_.path;
    submit<bool>(
        tr("Saving keys"),
        [file, keys, comment](ExplorerEngine& engine) {
            writeKeyFile(file, engine.allKeys(keys), comment);
            return true;
        },
        [this, path](bool) { emit info(tr("Saved the keys to %1").arg(path)); }, tr("Cannot save the keys"));
}

void ExplorerController::setTourWanted(bool on)
{
    if (tourWanted_ == on)
        return;
    tourWanted_ = on;
    if (on && (!result_ || result_->tour.empty()))
        stateEdited();
}

void ExplorerController::stateEdited(const QString& what)
{
    ++generation_;
    if (!restoring_ && hasModel_) {
        EditState now = editState();
        if (!now.sameAs(lastEdit_)) {
            const EditState before = std::exchange(lastEdit_, now);
            emit edited(before, lastEdit_, what.isEmpty() ? tr("Inputs") : what);
        }
    }
    emit stateChanged();
    // A run brings the similarity of its keys; only a state that cannot run asks separately.
    if (emptySlots() > 0)
        requestKeySimilarity();
    requestRun();
}

void ExplorerController::requestKeySimilarity()
{
    if (!hasModel_ || !model_.keysAdjustable || loading_)
        return;
    const KeyChoice keys = keys_;
    const int n = n_;
    const quint64 generation = generation_;
    submit<TensorView>(
        tr("Comparing keys"), [keys, n](ExplorerEngine& engine) { return engine.keySimilarity(keys, n); },
        [this, generation](TensorView similarity) {
            if (generation != generation_)
                return; // N or keys changed meanwhile; a newer request follows
            keySimilarity_ = similarity;
            emit keySimilarityChanged();
        },
        tr("Keys"), {}, generation);
}

void ExplorerController::requestRun()
{
    if (!hasModel_ || emptySlots() > 0) {
        emit resultChanged(); // views show the result as out of date, or what is missing
        return;
    }
    if (runInFlight_ || loading_) {
        runPending_ = true;
        return;
    }
    dispatchRun();
}

RunRequest ExplorerController::currentRequest() const
{
    RunRequest request;
    request.n = n_;
    request.keys = keys_;
    request.topK = 3;
    request.withTour = tourWanted_;
    for (const auto& slot : slotInputs())
        request.inputs.push_back(slot->prepared);
    return request;
}

void ExplorerController::dispatchRun()
{
    if (!hasModel_ || emptySlots() > 0 || loading_)
        return; // still pending: the load's reply or the next edit asks again
    runPending_ = false;
    ++runsStarted_;
    const RunRequest request = currentRequest();
    const quint64 generation = generation_;
    runInFlight_ = true;
    setBusyMessage(tr("Running N=%1 on %2").arg(n_).arg(QString::fromStdString(model_.device)));
    compute_->submit<RunResult>(
        [request](ExplorerEngine& engine) { return engine.run(request); }, this,
        [this, generation](RunResult result) {
            runInFlight_ = false;
            if (generation == generation_) { // else stale: a newer state is waiting to run
                if (!result.keySimilarity.empty()) {
                    keySimilarity_ = result.keySimilarity;
                    emit keySimilarityChanged();
                }
                result_ = std::move(result);
                resultGeneration_ = generation;
                emit resultChanged();
                requestInspection();
            }
            if (runPending_)
                dispatchRun();
            setBusyMessage(runInFlight_ ? tr("Running N=%1").arg(n_) : QString());
        },
        [this, generation](const QString& message) {
            runInFlight_ = false;
            if (generation == generation_) {
                runError_ = message;
                runErrorGeneration_ = generation;
                emit problem(tr("The run failed"), message);
                emit resultChanged();
            }
            if (runPending_)
                dispatchRun();
            setBusyMessage({});
        });
}
