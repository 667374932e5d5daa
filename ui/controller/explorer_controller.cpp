#include "ui/controller/explorer_controller.h"

#include "core/explore/key_file.h"
#include "ui/controller/compute_thread.h"
#include "ui/controller/input_requests.h"
#include "ui/controller/inspection_requests.h"
#include "ui/controller/job_runner.h"
#include "ui/controller/model_loading.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <algorithm>
#include <utility>

using namespace mimo;

namespace {

std::string text(const QString& value) { return value.toStdString(); }

// One spelling per file, so the model list recognises a bundled model opened by hand.
std::string canonicalModelPath(const QString& path)
{
    const QFileInfo file(path);
    return text(file.exists() ? file.canonicalFilePath() : path);
}

} // namespace

ExplorerController::ExplorerController(QObject* parent)
    : QObject(parent), compute_(std::make_unique<ComputeThread>()),
      examplesDirectory_(QString::fromStdString(mimo::examplesDirectory(text(QCoreApplication::applicationDirPath())))),
      runs_([this] { return generation_; }, [this](quint64 generation) { return startRun(generation); }),
      keyComparisons_([this] { return generation_; },
                      [this](quint64 generation) { return startKeyComparison(generation); })
{
    jobs_ = new JobRunner(*compute_, this);
    inputs_ = new InputRequests(*this, *jobs_);
    inspections_ = new InspectionRequests(*this, *jobs_);
    connect(jobs_, &JobRunner::busyChanged, this, &ExplorerController::busyChanged);
    connect(inputs_, &InputRequests::problem, this, &ExplorerController::problem);
    connect(inspections_, &InspectionRequests::problem, this, &ExplorerController::problem);
    connect(this, &ExplorerController::resultChanged, inspections_, &InspectionRequests::request);
    // Queued: the compute thread emits it. The Device box follows, and the state runs again there.
    connect(compute_.get(), &ComputeThread::deviceFellBack, this, [this](const QString& device) {
        if (!inUse_)
            return;
        inUse_->summary.device = text(device);
        Q_EMIT modelChanged();
        stateEdited();
    }, Qt::QueuedConnection);
}

ExplorerController::~ExplorerController()
{
    compute_.reset(); // stop the thread before this object's queued replies are discarded
}

bool ExplorerController::busy() const { return jobs_->busy(); }

const ModelSummary& ExplorerController::model() const
{
    static const ModelSummary none;
    return inUse_ ? inUse_->summary : none;
}

template <class Result>
void ExplorerController::submit(const QString& what, std::function<Result(ExplorerEngine&)> job,
                                std::function<void(Result)> reply, const QString& failureTitle,
                                std::function<void(const QString&)> onFailure)
{
    jobs_->submit<Result>(what, std::move(job), std::move(reply), [this, failureTitle, onFailure](const QString& message) {
        if (onFailure)
            onFailure(message);
        Q_EMIT problem(failureTitle, message);
    });
}

std::vector<std::optional<SlotInput>> ExplorerController::slotInputs() const
{
    const auto inUse = std::ptrdiff_t(std::min(slots_.size(), std::size_t(std::max(n_, 0))));
    return std::vector<std::optional<SlotInput>>(slots_.begin(), slots_.begin() + inUse);
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
    struct Found {
        std::vector<ModelListing> models;
        std::vector<std::string> problems;
        std::vector<std::string> devices;
    };
    submit<Found>(
        tr("Looking for models"),
        [dirs](ExplorerEngine&) {
            Found catalog;
            catalog.models = listModels(dirs, &catalog.problems);
            catalog.devices = ExplorerEngine::availableDevices();
            return catalog;
        },
        [this](Found catalog) {
            catalog_.models = std::move(catalog.models);
            catalog_.problems.clear();
            for (const auto& problem : catalog.problems)
                catalog_.problems << QString::fromStdString(problem);
            catalog_.devices.clear();
            for (const auto& device : catalog.devices)
                catalog_.devices << QString::fromStdString(device);
            Q_EMIT catalogChanged();
        },
        tr("Model catalog"));
}

void ExplorerController::loadModel(const QString& path, const QString& device)
{
    ModelLoadPlan plan;
    plan.file = canonicalModelPath(path);
    plan.device = device.isEmpty() ? (inUse_ ? inUse_->summary.device : std::string("auto")) : text(device);
    for (const auto& slot : slots_) // the user's own inputs follow to the new model where they fit
        plan.inputs.push_back(slot ? std::optional<InputSource>(slot->source) : std::nullopt);
    load(plan, tr("Loading %1").arg(QFileInfo(path).fileName()), tr("Cannot load the model"), {});
}

void ExplorerController::openSession(const SessionData& session, const QString& source)
{
    ModelLoadPlan plan;
    plan.file = session.modelPath.empty() ? std::string() : canonicalModelPath(QString::fromStdString(session.modelPath));
    plan.device = session.device.empty() ? "auto" : session.device;
    if (!catalog_.devices.contains(QString::fromStdString(plan.device)))
        plan.device = "auto"; // saved where there was a GPU
    plan.session = true;
    plan.inputs = session.inputs;
    plan.n = session.n;
    plan.keys = session.keys;
    load(plan, tr("Opening %1").arg(QFileInfo(source).fileName()), tr("Cannot open the session"), source);
}

void ExplorerController::load(const ModelLoadPlan& basePlan, const QString& what, const QString& failureTitle,
                              const QString& session)
{
    ModelLoadPlan plan = basePlan;
    plan.examplesDirectory = text(examplesDirectory_);
    loading_ = true;
    ++generation_; // whatever was asked for the previous model is stale from here on
    submit<ModelLoadReply>(
        what, [plan](ExplorerEngine& engine) { return loadForExplorer(engine, plan); },
        [this, session](ModelLoadReply reply) { applyLoad(reply, session); }, failureTitle,
        [this](const QString&) {
            loading_ = false;
            Q_EMIT catalogChanged(); // the model list shows the model still loaded
            requestRun();            // the state edited meanwhile still runs
        });
}

void ExplorerController::applyLoad(const ModelLoadReply& reply, const QString& session)
{
    loading_ = false;
    inUse_ = ModelInUse{reply.summary, reply.sampleDataset, reply.examples};
    result_.reset();
    inspections_->clear();
    slots_ = reply.inputs;
    if (reply.n) {
        n_ = *reply.n;
    } else if (!inUse_->summary.info.supportsN(n_) || n_ == 1) {
        n_ = inUse_->summary.info.largestN(); // else N stays: superposition is the point
    }
    keys_ = reply.keys;
    if (!reply.similarity.empty())
        keySimilarity_ = reply.similarity;
    if (session.isEmpty())
        fillEmptySlotsFromExamples();
    lastEdit_ = editState(); // a new model starts a new history
    Q_EMIT historyReset();
    Q_EMIT modelChanged();
    if (!reply.similarity.empty())
        Q_EMIT keySimilarityChanged();
    stateEdited();
    // Reported after the state is in place (the stamp of the new state), so the run that
    // follows succeeds without hiding what is missing.
    if (session.isEmpty())
        Q_EMIT info(tr("Loaded %1 on %2")
                        .arg(QString::fromStdString(inUse_->summary.info.card.name.empty() ? inUse_->summary.path : inUse_->summary.info.card.name),
                             QString::fromStdString(inUse_->summary.device)));
    else
        Q_EMIT sessionOpened(session);
    if (!reply.problems.isEmpty())
        Q_EMIT problem(tr("Parts of the session could not be restored"),
                       tr("%1:\n%2").arg(session, reply.problems.join('\n')));
}

void ExplorerController::fillEmptySlotsFromExamples()
{
    if (!inUse_)
        return;
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
        while (next < inUse_->examples.size() && used(inUse_->examples[next]))
            ++next;
        if (next < inUse_->examples.size())
            slots_[size_t(i)] = inUse_->examples[next++];
    }
}

void ExplorerController::setDevice(const QString& device)
{
    if (!inUse_ || text(device) == inUse_->summary.device)
        return;
    const std::string where = text(device);
    submit<ModelSummary>(
        tr("Moving the model to %1").arg(device),
        [where](ExplorerEngine& engine) {
            engine.setDevice(where);
            return engine.summary();
        },
        [this](ModelSummary summary) {
            inUse_->summary = summary;
            Q_EMIT modelChanged();
            stateEdited();
        },
        tr("Cannot change the device"), [this](const QString&) { Q_EMIT modelChanged(); });
}

void ExplorerController::setN(int n)
{
    if (!inUse_ || n == n_)
        return;
    if (!inUse_->summary.info.supportsN(n)) {
        Q_EMIT problem(tr("N not served"), tr("%1: N=%2 is not served by this model.")
                                               .arg(QString::fromStdString(inUse_->summary.path))
                                               .arg(n));
        return;
    }
    n_ = n;
    fillEmptySlotsFromExamples();
    stateEdited(tr("N = %1").arg(n));
}

void ExplorerController::applyKeys(const KeyChoice& keys, const TensorView& similarity)
{
    keys_ = keys;
    keySimilarity_ = similarity;
    Q_EMIT keySimilarityChanged();
    stateEdited(tr("Keys: %1").arg(QString::fromStdString(keys.describe())));
}

void ExplorerController::setKeys(const KeyChoice& keys)
{
    if (!inUse_)
        return;
    const int n = n_;
    submit<TensorView>(
        tr("Checking the keys"), [keys, n](ExplorerEngine& engine) { return engine.keySimilarity(keys, n); },
        [this, keys](TensorView similarity) { applyKeys(keys, similarity); }, tr("Cannot use these keys"),
        [this](const QString&) { Q_EMIT stateChanged(); });
}

void ExplorerController::loadKeyFile(const QString& path)
{
    if (!inUse_)
        return;
    const std::string file = text(path);
    const int n = n_;
    using Loaded = std::pair<KeyChoice, TensorView>;
    submit<Loaded>(
        tr("Reading keys from %1").arg(QFileInfo(path).fileName()),
        [file, n](ExplorerEngine& engine) {
            KeyChoice keys = readKeyFile(file);
            TensorView similarity = engine.keySimilarity(keys, n);
            return Loaded{std::move(keys), std::move(similarity)};
        },
        [this](Loaded loaded) { applyKeys(loaded.first, loaded.second); }, tr("Cannot use this key file"),
        [this](const QString&) { Q_EMIT stateChanged(); });
}

void ExplorerController::saveKeys(const QString& path)
{
    if (!inUse_)
        return;
    const std::string file = text(path);
    const KeyChoice keys = keys_;
    const std::string comment = keys.describe() + " of " + inUse_->summary.path;
    submit<bool>(
        tr("Saving keys"),
        [file, keys, comment](ExplorerEngine& engine) {
            writeKeyFile(file, engine.allKeys(keys), comment);
            return true;
        },
        [this, path](bool) { Q_EMIT info(tr("Saved the keys to %1").arg(path)); }, tr("Cannot save the keys"));
}

QString ExplorerController::liveEditText(int slot) { return tr("Live input in slot %1").arg(slot + 1); }

void ExplorerController::fillSlots(const std::vector<SlotInput>& inputs, int firstSlot, const QStringList& errors,
                                   int offered, bool live)
{
    const auto reportErrors = [&] {
        if (!errors.isEmpty())
            Q_EMIT problem(tr("Some inputs could not be used"), errors.join('\n'));
    };
    if (inputs.empty() || !inUse_) {
        reportErrors();
        return;
    }
    int slot = std::clamp(firstSlot, 0, n_ - 1);
    int placed = 0;
    for (const auto& input : inputs) {
        if (slot >= n_)
            break;
        slots_[size_t(slot++)] = input;
        ++placed;
    }
    if (placed < int(inputs.size()))
        Q_EMIT info(tr("%1 of %2 inputs fill the slots from slot %3; raise N for more")
                        .arg(placed)
                        .arg(offered)
                        .arg(firstSlot + 1));
    const int first = std::clamp(firstSlot, 0, n_ - 1);
    stateEdited(live ? liveEditText(first) : placed == 1 ? tr("Input in slot %1").arg(first + 1) : tr("%1 inputs").arg(placed));
    reportErrors(); // after the edit: the inputs that did fill the slots do not hide what failed
}

void ExplorerController::clearSlot(int slot)
{
    if (slot < 0 || slot >= n_ || !slots_[size_t(slot)])
        return;
    slots_[size_t(slot)].reset();
    stateEdited(tr("Clear slot %1").arg(slot + 1));
}

EditState ExplorerController::editState() const { return EditState{n_, keys_, slots_}; }

void ExplorerController::restoreEditState(const EditState& state)
{
    if (!inUse_ || state.inputs.size() != slots_.size() || !inUse_->summary.info.supportsN(state.n))
        return; // a state of another model: the history is reset when a model loads
    const bool keysChanged = state.keys != keys_;
    n_ = state.n;
    keys_ = state.keys;
    slots_ = state.inputs;
    lastEdit_ = state;
    restoring_ = true;
    stateEdited();
    restoring_ = false;
    if (keysChanged && emptySlots() == 0)
        keyComparisons_.request(); // a run brings them too; this keeps the heatmap in step meanwhile
}

SessionData ExplorerController::sessionData() const
{
    SessionData session;
    if (!inUse_)
        return session;
    session.modelPath = inUse_->summary.path;
    session.device = inUse_->summary.device;
    session.n = n_;
    session.keys = keys_;
    for (const auto& slot : slotInputs())
        session.inputs.push_back(slot ? std::optional<InputSource>(slot->source) : std::nullopt);
    return session;
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
    if (!restoring_ && inUse_) {
        EditState now = editState();
        if (!now.sameAs(lastEdit_)) {
            const EditState before = std::exchange(lastEdit_, now);
            Q_EMIT edited(before, lastEdit_, what.isEmpty() ? tr("Inputs") : what);
        }
    }
    Q_EMIT stateChanged();
    // A run brings the similarity of its keys; only a state that cannot run asks separately.
    if (emptySlots() > 0)
        keyComparisons_.request();
    requestRun();
}

bool ExplorerController::startKeyComparison(quint64 generation)
{
    if (!inUse_ || !inUse_->summary.keysAdjustable || loading_)
        return false;
    const KeyChoice keys = keys_;
    const int n = n_;
    jobs_->submit<TensorView>(
        tr("Comparing keys"), [keys, n](ExplorerEngine& engine) { return engine.keySimilarity(keys, n); },
        [this, generation](TensorView similarity) {
            keyComparisons_.deliver(generation, [&] {
                keySimilarity_ = std::move(similarity);
                Q_EMIT keySimilarityChanged();
            });
        },
        [this, generation](const QString& message) {
            keyComparisons_.fail(generation, [&] { Q_EMIT problem(tr("Keys"), message); });
        });
    return true;
}

void ExplorerController::requestRun()
{
    if (!inUse_ || emptySlots() > 0) {
        Q_EMIT resultChanged(); // views show the result as out of date, or what is missing
        return;
    }
    runs_.request();
}

RunRequest ExplorerController::runRequest() const
{
    RunRequest request;
    request.n = n_;
    request.keys = keys_;
    request.topK = 3;
    request.withTour = tourWanted_;
    for (const auto& slot : slotInputs())
        if (slot)
            request.inputs.push_back(slot->prepared);
    return request;
}

bool ExplorerController::startRun(quint64 generation)
{
    if (!inUse_ || emptySlots() > 0 || loading_)
        return false; // the load's reply or the next edit asks again
    ++runsStarted_;
    const RunRequest request = runRequest();
    jobs_->submit<RunResult>(
        tr("Running N=%1 on %2").arg(n_).arg(QString::fromStdString(inUse_->summary.device)),
        [request](ExplorerEngine& engine) { return engine.run(request); },
        [this, generation](RunResult result) {
            runs_.deliver(generation, [&] {
                if (!result.keySimilarity.empty()) {
                    keySimilarity_ = result.keySimilarity;
                    Q_EMIT keySimilarityChanged();
                }
                result_ = std::move(result);
                resultGeneration_ = generation;
                Q_EMIT resultChanged();
            });
        },
        [this, generation](const QString& message) {
            runs_.fail(generation, [&] {
                runError_ = message;
                runErrorGeneration_ = generation;
                Q_EMIT problem(tr("The run failed"), message);
                Q_EMIT resultChanged();
            });
        });
    return true;
}
