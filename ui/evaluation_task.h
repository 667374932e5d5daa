#pragma once
// An accuracy-throughput evaluation in the background: each model in turn over one dataset,
// every N interleaved batch by batch (core's evaluateModelFile), reporting the rows so far after
// every batch. Stop keeps what finished; an error in one model is reported and the next runs.
// It runs on its own thread (not the explorer's compute thread), so the slots stay live.
#include "ui/throughput_view.h"

#include <QObject>

#include <atomic>
#include <memory>

class QThread;

class EvaluationTask : public QObject {
    Q_OBJECT
public:
    explicit EvaluationTask(QObject* parent = nullptr);
    ~EvaluationTask() override; // stops and waits

    // Starts unless one is running (returns false then). `device` as core names it.
    bool start(const EvaluationRequest& request, const QString& device);
    void stop();
    bool running() const;
    const QList<CurveSeries>& series() const { return series_; }
    QStringList errors() const { return errors_; }

signals:
    void progressed(const QList<CurveSeries>& series, qint64 done, qint64 total, const QString& text);
    void finished(bool stopped, const QStringList& errors);

private:
    QList<CurveSeries> series_;
    QStringList errors_;
    QThread* thread_ = nullptr;
    std::shared_ptr<std::atomic<bool>> cancel_;
};
