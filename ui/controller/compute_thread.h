#pragma once
// The one thread that computes for the window. It owns the ExplorerEngine (and with it the
// model); every job runs there, in the order submitted, and its reply runs on the receiver's
// thread (the GUI thread). The window never touches the engine itself.
#include "core/adaptive_threads.h"
#include "core/errors.h"
#include "core/explore/explorer_engine.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <exception>
#include <functional>
#include <memory>

class ComputeThread : public QObject {
    Q_OBJECT
public:
    explicit ComputeThread(QObject* parent = nullptr);
    // Stops after the job in flight; jobs not started are dropped and their replies never run.
    ~ComputeThread() override;

    // job(engine) on the compute thread, then reply(result) or failure(message) on the
    // receiver's thread. `receiver` must outlive this object or be its parent.
    template <class Result>
    void submit(std::function<Result(mimo::ExplorerEngine&)> job, QObject* receiver,
                std::function<void(Result)> reply, std::function<void(const QString&)> failure)
    {
        QMetaObject::invokeMethod(worker_, [this, job, receiver, reply, failure]() {
            try {
                mimo::adaptThreadsToLoad(); // the cores other programs leave free, measured between jobs
                Result result = job(*engine_);
                QMetaObject::invokeMethod(receiver, [reply, result]() { reply(result); }, Qt::QueuedConnection);
            } catch (const std::exception& error) {
                const QString message = QString::fromStdString(mimo::userErrorText(error));
                QMetaObject::invokeMethod(receiver, [failure, message]() { failure(message); }, Qt::QueuedConnection);
            }
        }, Qt::QueuedConnection);
    }

private:
    QThread thread_;
    QObject* worker_ = nullptr; // lives in thread_: jobs are queued events to it
    std::unique_ptr<mimo::ExplorerEngine> engine_;
};
