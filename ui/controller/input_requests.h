#pragma once
// Inputs for the slots: files, folders, typed or pasted inputs and dataset samples are read and
// prepared for the loaded model on the compute thread; only inputs that prepared reach the
// slots (ExplorerController::fillSlots), and each one that did not is named in a problem.
#include "core/explore/sample_sources.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <vector>

namespace mimo {
class ExplorerEngine;
}
class ExplorerController;
class JobRunner;

class InputRequests : public QObject {
    Q_OBJECT
public:
    InputRequests(ExplorerController& controller, JobRunner& jobs);

    // Model files load; image or sequence files and folders fill the slots from firstSlot on.
    void openPaths(const QStringList& paths, int firstSlot);
    void setInputs(const std::vector<mimo::InputSource>& sources, int firstSlot);
    // A frame of a camera or video for `slot`: prepared as any image, and one undo step for the
    // whole run of frames rather than one per frame.
    void setLiveInput(const mimo::InputSource& source, int slot);
    void pickSamples(const QString& dataset, const mimo::SampleQuery& query, int firstSlot);
    // The size and class names of a dataset, for a dialog that offers its items; `done` runs
    // only while `context` lives.
    void describeDataset(const QString& dataset, QObject* context,
                         std::function<void(qint64 size, const QStringList& classes)> done);

Q_SIGNALS:
    void problem(const QString& title, const QString& message);

private:
    struct Prepared;
    void prepare(const QString& what, const QString& failureTitle,
                 std::function<std::vector<mimo::InputSource>(mimo::ExplorerEngine&, QStringList& errors)> sources,
                 int firstSlot, bool live = false);
    bool needsModel();

    ExplorerController& controller_;
    JobRunner& jobs_;
};
