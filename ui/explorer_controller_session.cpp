// The controller's undo states and sessions: the state as plain data, and back.
#include "ui/explorer_controller.h"

#include "core/errors.h"
#include "ui/compute_thread.h"
#include "ui/controller_jobs.h"

#include <QFileInfo>

using namespace mimo;
using controller_jobs::text;

struct ExplorerController::SessionReply {
    ModelSummary summary;
    std::vector<SlotInput> examples;
    QString sampleDataset;
    std::vector<std::optional<SlotInput>> inputs;
    int n = 1;
    KeyChoice keys;
    TensorView similarity;
    QStringList problems; // what of the session could not be restored
};

bool EditState::sameAs(const EditState& other) const
{
    if (n != other.n || keys != other.keys || inputs.size() != other.inputs.size())
        return false;
    for (size_t i = 0; i < inputs.size(); ++i) {
        if (inputs[i].has_value() != other.inputs[i].has_value())
            return false;
        if (inputs[i] && !sameInput(inputs[i]->source, other.inputs[i]->source))
            return false;
    }
    return true;
}

EditState ExplorerController::editState() const { return EditState{n_, keys_, slots_}; }

void ExplorerController::restoreEditState(const EditState& state)
{
    if (!hasModel_ || state.inputs.size() != slots_.size() || !model_.info.supportsN(state.n))
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
        requestKeySimilarity(); // a run brings it too; this keeps the heatmap in step meanwhile
}

SessionData ExplorerController::sessionData() const
{
    SessionData session;
    if (!hasModel_)
        return session;
    session.modelPath = model_.path;
    session.device = model_.device;
    session.n = n_;
    session.keys = keys_;
    for (const auto& slot : slotInputs())
        session.inputs.push_back(slot ? std::optional<InputSource>(slot->source) : std::nullopt);
    return session;
}

void ExplorerController::openSession(const SessionData& session, const QString& source)
{
    // One spelling per file, as loadModel: the model list recognises a bundled model.
    const QFileInfo modelFile(QString::fromStdString(session.modelPath));
    const std::string file = modelFile.exists() ? text(modelFile.canonicalFilePath()) : session.modelPath;
    std::string device = session.device.empty() ? "auto" : session.device;
    if (!devices_.contains(QString::fromStdString(device)))
        device = "auto"; // saved where there was a GPU
    const std::string examplesDir = text(examplesDirectory_);
    loading_ = true;
    ++generation_;
    submit<SessionReply>(
        tr("Opening %1").arg(QFileInfo(source).fileName()),
        [session, file, device, examplesDir](ExplorerEngine& engine) {
            if (file.empty())
                throw Error("the session names no model");
            SessionReply reply;
            reply.summary = engine.load(file, device);
            const ModelInfo& info = reply.summary.info;
            try {
                reply.examples = controller_jobs::prepareAll(exampleSources(info, info.largestN(), examplesDir), info).inputs;
                reply.sampleDataset = QString::fromStdString(defaultSampleDataset(info, examplesDir));
            } catch (const std::exception&) {
                reply.examples.clear();
            }
            reply.n = session.n;
            if (!info.supportsN(reply.n)) {
                reply.problems << QObject::tr("N=%1 is not served by %2; N=%3 is used").arg(session.n).arg(QString::fromStdString(file)).arg(info.largestN());
                reply.n = info.largestN();
            }
            const DataOptions options = dataOptionsForModel(info);
            reply.inputs.assign(size_t(info.largestN()), std::nullopt);
            for (size_t i = 0; i < session.inputs.size() && i < reply.inputs.size(); ++i) {
                if (!session.inputs[i])
                    continue;
                try {
                    reply.inputs[i] = SlotInput{*session.inputs[i], prepareInput(*session.inputs[i], info, options)};
                } catch (const std::exception& error) {
                    reply.problems << QObject::tr("slot %1: %2").arg(i + 1).arg(QString::fromStdString(error.what()));
                }
            }
            reply.keys = session.keys;
            try {
                reply.similarity = engine.keySimilarity(session.keys, reply.n);
            } catch (const std::exception& error) {
                reply.problems << QObject::tr("keys: %1; the trained keys are used").arg(QString::fromStdString(error.what()));
                reply.keys = KeyChoice{};
                reply.similarity = engine.keySimilarity(reply.keys, reply.n);
            }
            return reply;
        },
        [this, source](SessionReply reply) { applySession(reply, source); },
        tr("Cannot open the session"),
        [this](const QString&) {
            loading_ = false;
            emit catalogChanged();
            requestRun();
        });
}

void ExplorerController::applySession(const SessionReply& reply, const QString& source)
{
    loading_ = false;
    hasModel_ = true;
    model_ = reply.summary;
    sampleDataset_ = reply.sampleDataset;
    examples_ = reply.examples;
    result_.reset();
    activations_.reset();
    interference_.reset();
    attention_.reset();
    n_ = reply.n;
    keys_ = reply.keys;
    keySimilarity_ = reply.similarity;
    slots_ = reply.inputs;
    lastEdit_ = editState();
    emit historyReset();
    emit modelChanged();
    emit keySimilarityChanged();
    if (!reply.problems.isEmpty())
        emit problem(tr("Parts of the session could not be restored"),
                     tr("%1:\n%2").arg(source, reply.problems.join('\n')));
    emit sessionOpened(source);
    stateEdited();
}
