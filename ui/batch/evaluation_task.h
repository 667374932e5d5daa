#pragma once
// A batch evaluation in the background (core's runBatch): models over one dataset at several
// N, reporting everything so far after every batch. Stop keeps what finished; an error in one
// model stays with that model and the next runs. It runs on its own thread (not the explorer's
// compute thread), so the slots stay live. The throughput tab and the Batch Evaluation dialog
// each own one.
#include "core/explore/batch_evaluation.h"
#include "ui/inside/throughput_view.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <algorithm>
#include <functional>
#include <memory>

class QThread;

class EvaluationTask : public QObject {
    Q_OBJECT
public:
    explicit EvaluationTask(QObject* parent = nullptr);
    ~EvaluationTask() override; // stops and waits

    // Starts unless one is running or the config cannot run (validateBatchConfig); returns
    // false then, with the reason in `problem` when given.
    bool start(const mimo::BatchConfig& config, QString* problem = nullptr);
    void stop();
    bool running() const;       // true until finished() has been emitted
    // The latest partial result while running, the whole one after finished().
    const mimo::BatchResult& result() const { return result_; }
    // The least time between two progress replies (50 ms: the table and plots redraw at most 20
    // times a second). 0 replies after every batch; for the next start().
    void setProgressInterval(int milliseconds) { progressIntervalMs_ = std::max(milliseconds, 0); }
    // Runs on the worker thread after each progress reply has been queued, before the next
    // batch. Tests hold the worker there, so that what the window does with a reply (a Cancel
    // click) happens at a known point of the run instead of racing it. For the next start().
    void setAfterProgressOnWorker(std::function<void(const mimo::BatchResult&)> hook) { afterProgress_ = std::move(hook); }

Q_SIGNALS:
    // `text`: core's "model: 1200 of 2000 items" and, once core has measured it, the time left. Replies are throttled to a few per second; finished() brings the whole result.
    void progressed(const mimo::BatchResult& partial, double fraction, const QString& text);
    // Also after a stop (result.cancelled) or when models failed (their `error`).
    void finished(const mimo::BatchResult& result);

private:
    mimo::BatchResult result_;
    bool running_ = false;      // from start() until finished() is emitted
    QThread* thread_ = nullptr;
    std::shared_ptr<std::atomic<bool>> cancel_;
    int progressIntervalMs_ = 50;
    std::function<void(const mimo::BatchResult&)> afterProgress_;
};

// One curve per model with rows, for ThroughputView::setSeries; models sharing a card name
// are told apart by their file names.
QList<CurveSeries> curveSeries(const mimo::BatchResult& result);

// One line per failed model, naming its file: "broken.pt: not a model file".
QStringList modelErrors(const mimo::BatchResult& result);

// One line per dataset with unreadable items, as the evaluation skipped them: "K unreadable items
// skipped: FILE: REASON; ..." (models evaluated on the same dataset share their line).
QStringList unreadableLines(const mimo::BatchResult& result);

// "about 12 s left", "about 3 min left", "about 2 h 5 min left".
QString timeLeftText(double seconds);
