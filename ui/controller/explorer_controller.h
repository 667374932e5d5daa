#pragma once
// The explorer's state (model, device, N, keys, the inputs in the slots, the latest result)
// and the rules that keep it consistent. Every computation is a job on the compute thread;
// answers come back here on the GUI thread. Runs follow "latest request wins": at most one
// run is in flight and one waits; a result is shown only if nothing changed since it was
// asked for. A request that fails (a bad file, keys of the wrong shape, a model that does not
// load) reports a problem and leaves the state as it was. Inputs are prepared by
// InputRequests, the inside views' data comes from InspectionRequests.
#include "core/explore/explorer_inputs.h"
#include "core/explore/session_file.h"
#include "core/model/model_catalog.h"
#include "ui/controller/latest_request_wins.h"
#include "ui/controller/slot_state.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

namespace mimo {
class ExplorerEngine;
}
class ComputeThread;
class InputRequests;
class InspectionRequests;
class JobRunner;
struct ModelLoadPlan;
struct ModelLoadReply;

class ExplorerController : public QObject {
    Q_OBJECT
public:
    explicit ExplorerController(QObject* parent = nullptr);
    ~ExplorerController() override;

    const std::vector<mimo::ModelListing>& catalog() const { return catalog_.models; }
    QStringList catalogProblems() const { return catalog_.problems; }
    QStringList devices() const { return catalog_.devices; }
    bool hasModel() const { return inUse_.has_value(); }
    bool loading() const { return loading_; }
    const mimo::ModelSummary& model() const; // an empty summary while there is none
    int n() const { return n_; }
    const mimo::KeyChoice& keys() const { return keys_; }
    const mimo::TensorView& keySimilarity() const { return keySimilarity_; }
    // The n() slots, empty where no input is set.
    std::vector<std::optional<SlotInput>> slotInputs() const;
    int emptySlots() const;
    // Bumps on every change of what a run depends on; answers carry the one they were asked for.
    quint64 stateGeneration() const { return generation_; }
    // What a run of the current state computes.
    mimo::RunRequest runRequest() const;
    // The latest result, and whether it belongs to the current state (else a newer run is on
    // its way and views show it as out of date).
    const mimo::RunResult* result() const { return result_ ? &*result_ : nullptr; }
    bool resultIsCurrent() const { return result_ && resultGeneration_ == generation_; }
    bool busy() const;
    quint64 runsStarted() const { return runsStarted_; } // runs sent to the compute thread so far
    QString examplesDirectory() const { return examplesDirectory_; }
    QString sampleDataset() const { return inUse_ ? inUse_->sampleDataset : QString(); }
    // Why the run of the current state failed ("" when it did not).
    QString runError() const { return runErrorGeneration_ == generation_ ? runError_ : QString(); }

    InputRequests& inputs() { return *inputs_; }
    InspectionRequests& inspections() { return *inspections_; }
    const InspectionRequests& inspections() const { return *inspections_; }

    void refreshCatalog(const QStringList& directories);
    void loadModel(const QString& path, const QString& device = {});
    void setDevice(const QString& device);
    void setN(int n);
    void setKeys(const mimo::KeyChoice& keys);
    void loadKeyFile(const QString& path);
    void saveKeys(const QString& path);
    // Prepared inputs into the slots from firstSlot on (InputRequests prepares them).
    // live: a camera or video frame (its edits merge into one undo step, liveEditText()).
    void fillSlots(const std::vector<SlotInput>& inputs, int firstSlot, const QStringList& errors, int offered,
                   bool live = false);
    static QString liveEditText(int slot);
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

Q_SIGNALS:
    void catalogChanged();
    void modelChanged();        // another model, or the same on another device
    void stateChanged();        // N, keys or inputs changed; a run follows when every slot is filled
    void resultChanged();
    void keySimilarityChanged();
    void busyChanged(bool busy, const QString& what);
    void problem(const QString& title, const QString& message);
    void info(const QString& message);
    // A user's edit of N, keys or inputs, from `before` to `after` (for the undo history).
    void edited(const EditState& before, const EditState& after, const QString& what);
    void sessionOpened(const QString& source);
    void historyReset();        // another model (or a session) was loaded: earlier edits no longer apply

private:
    void load(const ModelLoadPlan& plan, const QString& what, const QString& failureTitle, const QString& session);
    void applyLoad(const ModelLoadReply& reply, const QString& session);
    void fillEmptySlotsFromExamples();
    void applyKeys(const mimo::KeyChoice& keys, const mimo::TensorView& similarity);
    void stateEdited(const QString& what = {});
    void requestRun();
    bool startRun(quint64 generation);
    bool startKeyComparison(quint64 generation);
    template <class Result>
    void submit(const QString& what, std::function<Result(mimo::ExplorerEngine&)> job,
                std::function<void(Result)> reply, const QString& failureTitle,
                std::function<void(const QString&)> onFailure = {});

    std::unique_ptr<ComputeThread> compute_;
    JobRunner* jobs_ = nullptr;
    InputRequests* inputs_ = nullptr;
    InspectionRequests* inspections_ = nullptr;
    QString examplesDirectory_;
    struct Catalog {
        std::vector<mimo::ModelListing> models;
        QStringList problems;                  // files that looked like models and are not
        QStringList devices{QStringLiteral("cpu")};
    } catalog_;

    // What came with the model in use: what it is, its example inputs, the dataset to sample.
    struct ModelInUse {
        mimo::ModelSummary summary;
        QString sampleDataset;
        std::vector<SlotInput> examples;
    };
    std::optional<ModelInUse> inUse_;
    bool loading_ = false;
    int n_ = 1;
    mimo::KeyChoice keys_;
    mimo::TensorView keySimilarity_;
    std::vector<std::optional<SlotInput>> slots_; // the model's largest N; the first n_ are in use

    quint64 generation_ = 0;
    LatestRequestWins<quint64> runs_;
    LatestRequestWins<quint64> keyComparisons_; // only while a slot is empty: a run brings them
    std::optional<mimo::RunResult> result_;
    quint64 resultGeneration_ = 0;
    quint64 runsStarted_ = 0;
    bool tourWanted_ = false;
    QString runError_;
    quint64 runErrorGeneration_ = 0;
    EditState lastEdit_;           // the state the previous `edited` ended in
    bool restoring_ = false;
};
