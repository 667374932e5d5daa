#include "ui/batch/evaluation_task.h"

#include "core/errors.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QHash>
#include <QThread>

#include <algorithm>
#include <cmath>

namespace {

QString modelName(const mimo::BatchModelResult& model)
{
    return model.name.empty() ? QFileInfo(QString::fromStdString(model.path)).fileName()
                              : QString::fromStdString(model.name);
}

// runBatch records failures per model and should not throw; if it does anyway, what finished
// stays and every model that did not is marked with the reason.
mimo::BatchResult withFailure(mimo::BatchResult partial, const mimo::BatchConfig& config, const std::string& reason)
{
    partial.config = config;
    if (partial.models.size() >= config.models.size() && !partial.models.empty()) {
        if (partial.models.back().error.empty())
            partial.models.back().error = reason;
        return partial;
    }
    for (std::size_t i = partial.models.size(); i < config.models.size(); ++i) {
        mimo::BatchModelResult failed;
        failed.path = config.models[i];
        failed.name = QFileInfo(QString::fromStdString(failed.path)).fileName().toStdString();
        failed.dataset = config.dataset;
        failed.error = reason;
        partial.models.push_back(failed);
    }
    return partial;
}

} // namespace

QString timeLeftText(double seconds)
{
    const long long total = std::llround(std::max(0.0, seconds));
    if (total < 90)
        return EvaluationTask::tr("about %1 s left").arg(total);
    const long long minutes = (total + 30) / 60;
    if (minutes < 90)
        return EvaluationTask::tr("about %1 min left").arg(minutes);
    return EvaluationTask::tr("about %1 h %2 min left").arg(minutes / 60).arg(minutes % 60);
}

EvaluationTask::EvaluationTask(QObject* parent) : QObject(parent) {}

EvaluationTask::~EvaluationTask()
{
    stop();
    if (thread_) {
        thread_->wait();
        delete thread_;
    }
}

bool EvaluationTask::running() const { return running_; }

void EvaluationTask::stop()
{
    if (cancel_)
        cancel_->store(true);
}

bool EvaluationTask::start(const mimo::BatchConfig& config, QString* problem)
{
    if (running_) {
        if (problem)
            *problem = tr("An evaluation is already running.");
        return false;
    }
    try {
        mimo::validateBatchConfig(config);
    } catch (const std::exception& error) {
        if (problem)
            *problem = QString::fromStdString(mimo::userErrorText(error));
        return false;
    }
    if (thread_) {
        thread_->wait();
        delete thread_;
        thread_ = nullptr;
    }
    result_ = mimo::BatchResult{};
    result_.config = config;
    running_ = true;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    auto cancel = cancel_;
    // Replies are queued to this object on the GUI thread; the destructor waits for the thread,
    // and Qt drops events posted to a deleted object, so no reply reaches a dead `this`.
    thread_ = QThread::create([this, config, cancel, interval = qint64(progressIntervalMs_), hook = afterProgress_]() {
        QElapsedTimer clock;
        clock.start();
        qint64 lastReply = -interval;
        mimo::BatchResult lastPartial;
        auto report = [&](const mimo::BatchResult& partial, double fraction, const std::string& text) {
            const qint64 now = clock.elapsed();
            if (now - lastReply < interval)
                return;
            lastReply = now;
            lastPartial = partial;
            QString message = QString::fromStdString(text);
            if (message.isEmpty() && !partial.models.empty())
                message = modelName(partial.models.back());
            // Core measures the time left from the rate of the work left; none until it can.
            if (fraction < 1.0 && partial.secondsLeft > 0.0)
                message += (message.isEmpty() ? QString() : QStringLiteral(", ")) + timeLeftText(partial.secondsLeft);
            QMetaObject::invokeMethod(
                this, [this, partial, fraction, message]() {
                    result_ = partial;
                    Q_EMIT progressed(result_, fraction, message);
                },
                Qt::QueuedConnection);
            if (hook)
                hook(partial);
        };
        mimo::BatchResult result;
        try {
            result = mimo::runBatch(config, report, cancel.get());
        } catch (const std::exception& error) {
            result = withFailure(lastPartial, config, mimo::userErrorText(error));
        }
        QMetaObject::invokeMethod(
            this, [this, result]() {
                result_ = result;
                running_ = false;
                Q_EMIT finished(result_);
            },
            Qt::QueuedConnection);
    });
    thread_->start();
    return true;
}

QList<CurveSeries> curveSeries(const mimo::BatchResult& result)
{
    QHash<QString, int> uses;
    for (const auto& model : result.models)
        ++uses[modelName(model)];
    QList<CurveSeries> series;
    for (const auto& model : result.models) {
        if (model.report.rows.empty())
            continue;
        QString name = modelName(model);
        if (uses.value(name) > 1)
            name += QStringLiteral(" (%1)").arg(QFileInfo(QString::fromStdString(model.path)).fileName());
        series << CurveSeries{name, model.report.rows, QString::fromStdString(mimo::speedCaution(model.report))};
    }
    return series;
}

QStringList modelErrors(const mimo::BatchResult& result)
{
    QStringList lines;
    for (const auto& model : result.models) {
        if (model.error.empty())
            continue;
        const QString error = QString::fromStdString(model.error);
        const QString file = QFileInfo(QString::fromStdString(model.path)).fileName();
        lines << (file.isEmpty() || error.contains(file) ? error : QStringLiteral("%1: %2").arg(file, error));
    }
    return lines;
}

QStringList unreadableLines(const mimo::BatchResult& result)
{
    QStringList lines;
    for (const auto& model : result.models) {
        const QString line = QString::fromStdString(mimo::unreadableReport(model.report.unreadable));
        if (!line.isEmpty() && !lines.contains(line))
            lines << line;
    }
    return lines;
}
