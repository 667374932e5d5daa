#include "ui/evaluation_task.h"

#include "core/errors.h"
#include "core/explore/explorer_inputs.h"
#include "core/model/model_info.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QThread>

EvaluationTask::EvaluationTask(QObject* parent) : QObject(parent) {}

EvaluationTask::~EvaluationTask()
{
    stop();
    if (thread_) {
        thread_->wait();
        delete thread_;
    }
}

bool EvaluationTask::running() const { return thread_ && thread_->isRunning(); }

void EvaluationTask::stop()
{
    if (cancel_)
        cancel_->store(true);
}

bool EvaluationTask::start(const EvaluationRequest& request, const QString& device)
{
    if (running())
        return false;
    if (thread_) {
        thread_->wait();
        delete thread_;
    }
    series_.clear();
    errors_.clear();
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    auto cancel = cancel_;
    // Replies are queued to this object on the GUI thread; the destructor waits for the thread,
    // so `this` outlives every reply the thread posts.
    thread_ = QThread::create([this, request, device, cancel]() {
        QList<CurveSeries> done; // models finished so far
        QStringList errors;
        QElapsedTimer clock;
        clock.start();
        const qint64 models = request.modelPaths.size();
        for (int m = 0; m < models && !cancel->load(); ++m) {
            const QString path = request.modelPaths[m];
            try {
                const auto info = mimo::readModelInfo(path.toStdString());
                const QString name = info.card.name.empty() ? QFileInfo(path).fileName()
                                                            : QString::fromStdString(info.card.name);
                mimo::EvalConfig config;
                config.ns.clear();
                for (int n : request.ns)
                    if (info.supportsN(n))
                        config.ns.push_back(n);
                if (config.ns.empty())
                    throw mimo::Error(path.toStdString() + ": serves none of the N asked for");
                config.batch = request.batch;
                config.limit = std::size_t(std::max(0, request.limit));
                config.device = device.toStdString();
                const auto data = mimo::openDataset(request.dataset.toStdString(), mimo::dataOptionsForModel(info));
                const auto report = mimo::evaluateModelFile(
                    path.toStdString(), data, config,
                    [&](const mimo::EvalReport& partial, std::size_t finished, std::size_t total) {
                        QList<CurveSeries> all = done;
                        all << CurveSeries{name, partial.rows};
                        const double fraction = (m + double(finished) / double(std::max<std::size_t>(total, 1))) / models;
                        const double elapsed = clock.elapsed() / 1000.0;
                        QString text = tr("%1: %2 of %3 items").arg(name).arg(finished).arg(total);
                        if (fraction > 0.02)
                            text += tr(", about %1 s left").arg(qRound(elapsed * (1 - fraction) / fraction));
                        const qint64 permille = qint64(1000 * fraction);
                        QMetaObject::invokeMethod(
                            this, [this, all, permille, text]() {
                                series_ = all;
                                emit progressed(all, permille, 1000, text);
                            },
                            Qt::QueuedConnection);
                    },
                    cancel.get());
                if (!report.rows.empty())
                    done << CurveSeries{name, report.rows};
            } catch (const std::exception& error) {
                errors << QString::fromStdString(error.what()); // the other models still run
            }
        }
        QMetaObject::invokeMethod(
            this, [this, done, errors, cancel]() {
                series_ = done;
                errors_ = errors;
                emit progressed(done, 1000, 1000, cancel->load() ? tr("Stopped") : tr("Done"));
                emit finished(cancel->load(), errors);
            },
            Qt::QueuedConnection);
    });
    thread_->start();
    return true;
}
