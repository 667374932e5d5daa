#include "ui/batch/batch_evaluation_dialog.h"

#include "core/errors.h"
#include "ui/batch/batch_evaluation_form.h"
#include "ui/batch/batch_results_table.h"
#include "ui/batch/evaluation_task.h"
#include "ui/widgets/counted.h"
#include "ui/window/dialog_directories.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

BatchEvaluationDialog::BatchEvaluationDialog(QWidget* parent) : QDialog(parent), task_(new EvaluationTask(this))
{
    setWindowTitle(tr("Batch Evaluation"));
    setModal(false);
    form_ = new BatchEvaluationForm;
    start_ = new QPushButton(tr("Start"));
    start_->setObjectName(QStringLiteral("start"));
    start_->setDefault(true);
    cancel_ = new QPushButton(tr("Cancel"));
    cancel_->setObjectName(QStringLiteral("cancel"));
    cancel_->setToolTip(tr("Stop after the current batch; the rows finished stay"));
    progress_ = new QProgressBar;
    progress_->setRange(0, 1000);
    progress_->setTextVisible(false);
    eta_ = new QLabel;
    auto* run = new QHBoxLayout;
    run->addWidget(start_);
    run->addWidget(cancel_);
    run->addWidget(progress_, 1);
    run->addWidget(eta_, 2);
    message_ = new QLabel;
    message_->setObjectName(QStringLiteral("message"));
    message_->setWordWrap(true);
    message_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    table_ = new BatchResultsTable;

    exportCsv_ = new QPushButton(tr("Export CSV…"));
    exportCsv_->setObjectName(QStringLiteral("exportCsv"));
    exportJson_ = new QPushButton(tr("Export JSON…"));
    exportJson_->setObjectName(QStringLiteral("exportJson"));
    auto* close = new QPushButton(tr("Close"));
    close->setAutoDefault(false);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(exportCsv_);
    bottom->addWidget(exportJson_);
    bottom->addStretch(1);
    bottom->addWidget(close);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(form_);
    layout->addLayout(run);
    layout->addWidget(message_);
    layout->addWidget(table_, 1);
    layout->addLayout(bottom);

    connect(start_, &QPushButton::clicked, this, &BatchEvaluationDialog::start);
    connect(cancel_, &QPushButton::clicked, this, &BatchEvaluationDialog::cancel);
    connect(exportCsv_, &QPushButton::clicked, this, [this] { exportWithDialog(true); });
    connect(exportJson_, &QPushButton::clicked, this, [this] { exportWithDialog(false); });
    connect(close, &QPushButton::clicked, this, &QDialog::close); // a run goes on; the status bar shows it
    connect(task_, &EvaluationTask::progressed, this, &BatchEvaluationDialog::showProgress);
    connect(task_, &EvaluationTask::finished, this, &BatchEvaluationDialog::showFinished);
    showRunning(false);
    resize(960, 680);
}

// --- Running --------------------------------------------------------------------------------

bool BatchEvaluationDialog::start()
{
    if (task_->running()) {
        showMessage(tr("An evaluation is running: cancel it or wait for it to finish."));
        return false;
    }
    mimo::BatchConfig config;
    QString problem;
    if (!form_->read(&config, &problem) || !task_->start(config, &problem)) {
        showMessage(problem);
        return false;
    }
    form_->remember();
    result_ = mimo::BatchResult{};
    result_.config = config;
    table_->setResult(result_);
    progress_->setValue(0);
    eta_->setText(tr("Starting…"));
    showMessage(QString());
    showRunning(true);
    Q_EMIT resultChanged();
    Q_EMIT progressed(0.0, tr("Batch evaluation starting…"));
    return true;
}

void BatchEvaluationDialog::cancel()
{
    if (!task_->running())
        return;
    task_->stop();
    eta_->setText(tr("Cancelling after the current batch…"));
}

void BatchEvaluationDialog::showRunning(bool running)
{
    form_->setRunning(running);
    start_->setEnabled(!running);
    cancel_->setEnabled(running);
    progress_->setVisible(running);
    eta_->setVisible(running);
    exportCsv_->setEnabled(!result_.models.empty());
    exportJson_->setEnabled(!result_.models.empty());
}

void BatchEvaluationDialog::showProgress(const mimo::BatchResult& partial, double fraction, const QString& text)
{
    result_ = partial;
    table_->setResult(result_);
    progress_->setValue(int(std::lround(1000.0 * std::clamp(fraction, 0.0, 1.0))));
    eta_->setText(text);
    exportCsv_->setEnabled(!result_.models.empty());
    exportJson_->setEnabled(!result_.models.empty());
    Q_EMIT resultChanged();
    Q_EMIT progressed(fraction, text);
}

void BatchEvaluationDialog::showFinished(const mimo::BatchResult& result)
{
    result_ = result;
    table_->setResult(result_);
    showRunning(false);
    const QString seconds = QString::number(result.seconds, 'f', 1);
    QString summary = result.cancelled ? tr("Cancelled after %1 s; the rows finished are kept.").arg(seconds)
                                       : tr("Done in %1 s.").arg(seconds);
    const QStringList errors = modelErrors(result);
    if (!errors.isEmpty())
        summary += QLatin1Char(' ') + counted(errors.size(), tr("1 model could not be evaluated:"),
                                                        tr("%1 models could not be evaluated:"))
                   + QLatin1Char('\n') + errors.join(QLatin1Char('\n'));
    const QStringList unreadable = unreadableLines(result);
    if (!unreadable.isEmpty())
        summary += QLatin1Char('\n') + unreadable.join(QLatin1Char('\n'));
    showMessage(summary);
    Q_EMIT resultChanged();
    Q_EMIT progressed(1.0, result.cancelled ? tr("Batch evaluation cancelled") : tr("Batch evaluation done"));
}

bool BatchEvaluationDialog::setResult(const mimo::BatchResult& result)
{
    if (task_->running())
        return false;
    result_ = result;
    table_->setResult(result_);
    showRunning(false);
    Q_EMIT resultChanged();
    return true;
}

void BatchEvaluationDialog::showMessage(const QString& text) { message_->setText(text); }

QString BatchEvaluationDialog::message() const { return message_->text(); }

// --- Export ---------------------------------------------------------------------------------

bool BatchEvaluationDialog::writeExport(const QString& path, const std::string& bytes)
{
    const QString shown = QDir::toNativeSeparators(path);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        showMessage(tr("Could not write %1: %2").arg(shown, file.errorString()));
        return false;
    }
    if (file.write(bytes.data(), qint64(bytes.size())) != qint64(bytes.size()) || !file.commit()) {
        showMessage(tr("Could not write %1: %2").arg(shown, file.errorString()));
        return false;
    }
    showMessage(tr("Wrote %1").arg(shown));
    return true;
}

bool BatchEvaluationDialog::exportCsv(const QString& path)
{
    try {
        return writeExport(path, mimo::batchResultToCsv(result_));
    } catch (const std::exception& error) {
        showMessage(tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), QString::fromStdString(mimo::userErrorText(error))));
        return false;
    }
}

bool BatchEvaluationDialog::exportJson(const QString& path)
{
    try {
        return writeExport(path, mimo::batchResultToJson(result_));
    } catch (const std::exception& error) {
        showMessage(tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), QString::fromStdString(mimo::userErrorText(error))));
        return false;
    }
}

void BatchEvaluationDialog::exportWithDialog(bool csv)
{
    const QString suffix = csv ? QStringLiteral(".csv") : QStringLiteral(".json");
    QString path = QFileDialog::getSaveFileName(
        this, csv ? tr("Export Results as CSV") : tr("Export Results as JSON"),
        QDir(dialogDirectory("export")).filePath(QStringLiteral("batch-evaluation") + suffix),
        csv ? tr("CSV files (*.csv)") : tr("JSON files (*.json)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += suffix;
    rememberDirectory("export", path);
    csv ? exportCsv(path) : exportJson(path);
}
