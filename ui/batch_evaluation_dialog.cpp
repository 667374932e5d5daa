// The Batch Evaluation dialog: its models, the run and the export of its results. The form
// (dataset, keys, settings, reading it as a config) is in batch_evaluation_form.cpp.
#include "ui/batch_evaluation_dialog.h"

#include "ui/batch_results_table.h"
#include "ui/dataset_choice.h"
#include "ui/dialog_directories.h"
#include "ui/evaluation_task.h"
#include "ui/n_list.h"

#include "core/data/dataset_spec.h"
#include "core/vsa/key_family.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <cmath>


BatchEvaluationDialog::BatchEvaluationDialog(QWidget* parent) : QDialog(parent), task_(new EvaluationTask(this))
{
    setWindowTitle(tr("Batch Evaluation"));
    setModal(false);
    buildForm();
    setDevices({QStringLiteral("cpu")}, QStringLiteral("cpu"));
    loadSettings();
    connect(task_, &EvaluationTask::progressed, this, &BatchEvaluationDialog::showProgress);
    connect(task_, &EvaluationTask::finished, this, &BatchEvaluationDialog::showFinished);
    showRunning(false);
    resize(960, 680);
}

// --- Models ---------------------------------------------------------------------------------

void BatchEvaluationDialog::addModelItem(const QString& name, const QString& path, const QString& tip, bool checked)
{
    auto* item = new QListWidgetItem(name.isEmpty() ? QFileInfo(path).fileName() : name);
    item->setData(Qt::UserRole, path);
    item->setToolTip(tip.isEmpty() ? path : tip);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(checked ? Qt::Checked : Qt::Unchecked);
    const QSignalBlocker blocker(models_);
    models_->addItem(item);
}

void BatchEvaluationDialog::setCatalog(const std::vector<mimo::ModelListing>& models)
{
    QStringList checked;
    for (int i = 0; i < models_->count(); ++i)
        if (models_->item(i)->checkState() == Qt::Checked)
            checked << models_->item(i)->data(Qt::UserRole).toString();
    QStringList listed;
    {
        const QSignalBlocker blocker(models_);
        models_->clear();
    }
    for (const auto& model : models) {
        const QString path = QString::fromStdString(model.path);
        QStringList ns;
        for (int n : model.supportedN())
            ns << QString::number(n);
        const QString tip = tr("%1\n%2\nN = %3").arg(path, QString::fromStdString(model.describe()), ns.join(", "));
        addModelItem(QString::fromStdString(model.card.name), path, tip, checked.contains(path));
        listed << path;
    }
    for (const QString& path : addedFiles_)
        if (!listed.contains(path))
            addModelItem(QString(), path, path, checked.contains(path));
}

void BatchEvaluationDialog::setCurrentModel(const QString& path)
{
    if (path.isEmpty())
        return;
    auto find = [this](const QString& wanted) -> QListWidgetItem* {
        for (int i = 0; i < models_->count(); ++i)
            if (models_->item(i)->data(Qt::UserRole).toString() == wanted)
                return models_->item(i);
        return nullptr;
    };
    if (!find(path)) {
        addedFiles_ << path;
        addModelItem(QString(), path, path, false);
    }
    const QSignalBlocker blocker(models_);
    if (!autoChecked_.isEmpty() && autoChecked_ != path)
        if (QListWidgetItem* previous = find(autoChecked_))
            previous->setCheckState(Qt::Unchecked);
    find(path)->setCheckState(Qt::Checked);
    autoChecked_ = path;
}

void BatchEvaluationDialog::addModelFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(this, tr("Add Model Files"), dialogDirectory("models"),
                                                            tr("Model files (*.pt);;All files (*)"));
    if (files.isEmpty())
        return;
    rememberDirectory("models", files.front());
    for (const QString& file : files) {
        const QString path = QFileInfo(file).absoluteFilePath();
        bool listed = false;
        for (int i = 0; i < models_->count(); ++i) {
            if (models_->item(i)->data(Qt::UserRole).toString() == path) {
                models_->item(i)->setCheckState(Qt::Checked);
                listed = true;
            }
        }
        if (!listed) {
            addedFiles_ << path;
            addModelItem(QString(), path, path, true);
        }
    }
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
    if (!readForm(&config, &problem) || !task_->start(config, &problem)) {
        showMessage(problem);
        return false;
    }
    saveSettings();
    preferredDevice_ = QString::fromStdString(config.device);
    result_ = mimo::BatchResult{};
    result_.config = config;
    table_->setResult(result_);
    progress_->setValue(0);
    eta_->setText(tr("Starting…"));
    showMessage(QString());
    showRunning(true);
    emit resultChanged();
    emit progressed(0.0, tr("Batch evaluation starting…"));
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
    for (QWidget* widget : std::initializer_list<QWidget*>{models_, addModels_, datasetKind_, spec_, ns_, keys_, bn_,
                                                            batch_, device_, limit_, start_})
        widget->setEnabled(!running);
    if (running) {
        browse_->setEnabled(false);
        split_->setEnabled(false);
        pixels_->setEnabled(false);
        family_->setEnabled(false);
        seed_->setEnabled(false);
    } else {
        showDatasetKind();
        showKeysKind();
    }
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
    emit resultChanged();
    emit progressed(fraction, text);
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
        summary += QLatin1Char(' ') + tr("%n model(s) could not be evaluated:", nullptr, int(errors.size()))
                   + QLatin1Char('\n') + errors.join(QLatin1Char('\n'));
    showMessage(summary);
    emit resultChanged();
    emit progressed(1.0, result.cancelled ? tr("Batch evaluation cancelled") : tr("Batch evaluation done"));
}

bool BatchEvaluationDialog::setResult(const mimo::BatchResult& result)
{
    if (task_->running())
        return false;
    result_ = result;
    table_->setResult(result_);
    showRunning(false);
    emit resultChanged();
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
        showMessage(tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), QString::fromStdString(error.what())));
        return false;
    }
}

bool BatchEvaluationDialog::exportJson(const QString& path)
{
    try {
        return writeExport(path, mimo::batchResultToJson(result_));
    } catch (const std::exception& error) {
        showMessage(tr("Could not write %1: %2").arg(QDir::toNativeSeparators(path), QString::fromStdString(error.what())));
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
