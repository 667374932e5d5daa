#pragma once
// Sends the controller's jobs to the compute thread and keeps count of those in flight, so the
// window can show that it is busy and with what. Replies and failures come back on the GUI
// thread; a failure reaches the caller's handler, which decides whether and how to report it.
#include "ui/controller/compute_thread.h"

#include <QObject>
#include <QString>

#include <functional>
#include <utility>

class JobRunner : public QObject {
    Q_OBJECT
public:
    explicit JobRunner(ComputeThread& compute, QObject* parent = nullptr) : QObject(parent), compute_(compute) {}

    bool busy() const { return inFlight_ > 0; }

    // job(engine) on the compute thread; then reply(result) or failed(message) on this
    // object's thread. `what` says what is computing ("Loading model.pt") while it does.
    template <class Result>
    void submit(const QString& what, std::function<Result(mimo::ExplorerEngine&)> job,
                std::function<void(Result)> reply, std::function<void(const QString&)> failed)
    {
        ++inFlight_;
        Q_EMIT busyChanged(true, what);
        compute_.submit<Result>(
            std::move(job), this,
            [this, reply = std::move(reply)](Result result) {
                --inFlight_;
                reply(std::move(result));
                Q_EMIT busyChanged(busy(), QString());
            },
            [this, failed = std::move(failed)](const QString& message) {
                --inFlight_;
                if (failed)
                    failed(message);
                Q_EMIT busyChanged(busy(), QString());
            });
    }

Q_SIGNALS:
    // A job started (`what` names it) or one ended (`what` is empty; busy says whether others run).
    void busyChanged(bool busy, const QString& what);

private:
    ComputeThread& compute_;
    int inFlight_ = 0;
};
