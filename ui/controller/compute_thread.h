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
                // A GPU that fails leaves the model on the CPU, and the message says so.
                const std::string fellBack = engine_->fallBackToCpu(error);
                if (!fellBack.empty())
                    Q_EMIT deviceFellBack(QStringLiteral("cpu"));
                const QString message = QString::fromStdString(fellBack.empty() ? mimo::userErrorText(error) : fellBack);
                QMetaObject::invokeMethod(receiver, [failure, message]() { failure(message); }, Qt::QueuedConnection);
            }
        }, Qt::QueuedConnection);
    }

Q_SIGNALS:
    // The model moved to `device` after its GPU failed (emitted on the compute thread, before the
    // failed job's message reaches its receiver).
    void deviceFellBack(const QString& device);

private:
    QThread thread_;
    QObject* worker_ = nullptr; // lives in thread_: jobs are queued events to it
    std::unique_ptr<mimo::ExplorerEngine> engine_;
};
