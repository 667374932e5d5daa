#pragma once
// The explorer's state (model, device, N, keys, the inputs in the slots, the latest result)
// and the rules that keep it consistent. Every computation is a job on the ComputeThread;
// answers come back here on the GUI thread. Runs follow "latest request wins": at most one
// run is in flight and one waits; a result is shown only if nothing changed since it was
// asked for. A request that fails (a bad file, keys of the wrong shape, a model that does not
// load) reports a problem and leaves the state as it was.
#include "core/explore/explorer_inputs.h"
#include "core/explore/inspection_types.h"
#include "core/explore/session_file.h"
#include "core/model/model_catalog.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class ComputeThread;
namespace mimo {
class ExplorerEngine;
}

// One slot's input: where it came from (so it can be prepared again for another model, or
// saved in a session) and what the model consumes.
struct SlotInput {
    mimo::InputSource source;
    mimo::PreparedInput prepared;
};

// What undo and redo restore: N, the keys and the inputs (the model's largest N of slots).
struct EditState {
    int n = 1;
    mimo::KeyChoice keys;
    std::vector<std::optional<SlotInput>> inputs;

    bool sameAs(const EditState& other) const; // same N, keys and input sources
};

class ExplorerController : public QObject {
    Q_OBJECT
public:
    explicit ExplorerController(QObject* parent = nullptr);
    ~ExplorerController() override;

    const std::vector<mimo::ModelListing>& catalog() const { return catalog_; }
    QStringList catalogProblems() const { return catalogProblems_; }
    QStringList devices() const { return devices_; }
    bool hasModel() const { return hasModel_; }
    const mimo::ModelSummary& model() const { return model_; }
    int n() const { return n_; }
    const mimo::KeyChoice& keys() const { return keys_; }
    const mimo::TensorView& keySimilarity() const { return keySimilarity_; }
    // The n() slots, empty where no input is set.
    std::vector<std::optional<SlotInput>> slotInputs() const;
    int emptySlots() const;
    // The latest result, and whether it belongs to the current state (else a newer run is on
    // its way and views show it as out of date).
    const mimo::RunResult* result() const { return result_ ? &*result_ : nullptr; }
    bool resultIsCurrent() const { return result_ && resultGeneration_ == generation_; }
    bool busy() const { return runInFlight_ || jobsInFlight_ > 0; }
    quint64 runsStarted() const { return runsStarted_; } // runs sent to the compute thread so far
    QString examplesDirectory() const { return examplesDirectory_; }
    QString sampleDataset() const { return sampleDataset_; }

    void refreshCatalog(const QStringList& directories);
    void loadModel(const QString& path, const QString& device = {});
    void setDevice(const QString& device);
    void setN(int n);
    void setKeys(const mimo::KeyChoice& keys);
    void loadKeyFile(const QString& path);
    void saveKeys(const QString& path);
    // Model files load; image or sequence files and folders fill the slots from firstSlot on.
    void openPaths(const QStringList& paths, int firstSlot);
    void setInputs(const std::vector<mimo::InputSource>& sources, int firstSlot);
    void pickSamples(const QString& dataset, const mimo::SampleQuery& query, int firstSlot);
    void describeDataset(const QString& dataset, QObject* context,
                         std::function<void(qint64 size, const QStringList& classes)> done);
    void clearSlot(int slot);
    // Undo / redo: the state as it is, and a return to an earlier one (no `edited` signal).
    EditState editState() const;
    void restoreEditState(const EditState& state);
    // Sessions: the model, device, N, keys and inputs as plain data, and opening one: the model
    // loads with the session's inputs, N and keys in one job. A model that does not load keeps
    // the current state; inputs or keys that no longer fit are reported and left out.
    mimo::SessionData sessionData() const;
    void openSession(const mimo::SessionData& session, const QString& source);

    // Runs also capture the guided tour's tensors while a view wants them.
    void setTourWanted(bool on);
    bool tourWanted() const { return tourWanted_; }

    // The "seeing inside" view on screen asks for its data; it is computed after every run
    // while wanted, for the same state (never for a stale one).
    enum class Inspection { None, Activations, Interference, Attention };
    void setInspection(Inspection which);
    Inspection inspection() const { return inspection_; }
    void setAttentionSelection(int slot, int layer, int head);
    const mimo::ActivationReport* activations() const { return activations_ ? &*activations_ : nullptr; }
    const mimo::InterferenceSummary* interference() const { return interference_ ? &*interference_ : nullptr; }
    const mimo::AttentionMaps* attentionMaps() const { return attention_ ? &*attention_ : nullptr; }
    // Whether the inspection shown belongs to the current state.
    bool inspectionIsCurrent() const { return inspectionGeneration_ == generation_ && inspectionKind_ == inspection_; }
    // Why the run of the current state failed ("" when it did not).
    QString runError() const { return runErrorGeneration_ == generation_ ? runError_ : QString(); }

signals:
    void catalogChanged();
    void modelChanged();        // another model, or the same on another device
    void stateChanged();        // N, keys or inputs changed; a run follows when every slot is filled
    void resultChanged();
    void keySimilarityChanged();
    void busyChanged(bool busy, const QString& what);
    void inspectionChanged();   // activations(), interference() or attentionMaps() changed
    void problem(const QString& title, const QString& message);
    void info(const QString& message);
    // A user's edit of N, keys or inputs, from `before` to `after` (for the undo history).
    void edited(const EditState& before, const EditState& after, const QString& what);
    void sessionOpened(const QString& source);
    void historyReset();        // another model (or a session) was loaded: earlier edits no longer apply

private:
    struct LoadReply;
    struct PrepareReply;
    struct SessionReply;
    template <class Result>
    void submit(const QString& what, std::function<Result(mimo::ExplorerEngine&)> job,
                std::function<void(Result)> reply, const QString& failureTitle,
                std::function<void(const QString&)> onFailure = {}, quint64 onlyForGeneration = 0);
    void applyLoadedModel(const LoadReply& reply);
    void fillSlots(const std::vector<SlotInput>& inputs, int firstSlot, const QStringList& errors, int offered);
    void fillEmptySlotsFromExamples();
    void stateEdited(const QString& what = {});
    void applySession(const SessionReply& reply, const QString& source);
    void requestKeySimilarity();
    void requestRun();
    void dispatchRun();
    mimo::RunRequest currentRequest() const;
    void requestInspection();
    void setBusyMessage(const QString& what);

    std::unique_ptr<ComputeThread> compute_;
    QString examplesDirectory_;
    std::vector<mimo::ModelListing> catalog_;
    QStringList catalogProblems_;
    QStringList devices_{QStringLiteral("cpu")};

    bool hasModel_ = false;
    bool loading_ = false;
    mimo::ModelSummary model_;
    QString sampleDataset_;
    int n_ = 1;
    mimo::KeyChoice keys_;
    mimo::TensorView keySimilarity_;
    std::vector<std::optional<SlotInput>> slots_; // the model's largest N; the first n_ are in use
    std::vector<SlotInput> examples_;

    quint64 generation_ = 0;       // bumps on every change of what a run depends on
    quint64 resultGeneration_ = 0;
    std::optional<mimo::RunResult> result_;
    bool runInFlight_ = false;
    bool runPending_ = false;
    quint64 runsStarted_ = 0;
    int jobsInFlight_ = 0;
    bool tourWanted_ = false;

    Inspection inspection_ = Inspection::None;
    int attentionSlot_ = 0, attentionLayer_ = 0, attentionHead_ = 0;
    std::optional<mimo::ActivationReport> activations_;
    std::optional<mimo::InterferenceSummary> interference_;
    std::optional<mimo::AttentionMaps> attention_;
    quint64 inspectionGeneration_ = 0;
    Inspection inspectionKind_ = Inspection::None; // what inspectionGeneration_ was computed for
    bool inspectionInFlight_ = false;
    bool inspectionPending_ = false;
    EditState lastEdit_;           // the state the previous `edited` ended in
    bool restoring_ = false;
    QString runError_;
    quint64 runErrorGeneration_ = 0;
};
