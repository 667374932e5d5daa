#pragma once
// Evaluate > Batch Evaluation…: models (from the catalog or any .pt), a dataset and split, the
// N values, the keys, the batch-norm mode, batch size, device and an optional limit, run as a
// cancellable background task (progress bar and time left here, and for the main window's
// status bar). The results table fills as rows finish; Cancel keeps them; a model that fails
// gets a row naming its problem and the others still run. Export as CSV or JSON. The choices
// are remembered between sessions (QSettings). Non-modal: the explorer stays usable meanwhile.
#include "core/explore/batch_evaluation.h"

#include <QDialog>
#include <QString>
#include <QStringList>

#include <vector>

class BatchEvaluationForm;
class BatchResultsTable;
class EvaluationTask;
class QLabel;
class QProgressBar;
class QPushButton;

class BatchEvaluationDialog : public QDialog {
    Q_OBJECT
public:
    explicit BatchEvaluationDialog(QWidget* parent = nullptr);

    EvaluationTask* task() const { return task_; }
    BatchResultsTable* table() const { return table_; }
    const mimo::BatchResult& result() const { return result_; }
    // Restoring a session: fills the table (and emits resultChanged). Refused (false) while a
    // run is going on: its results are not thrown away.
    bool setResult(const mimo::BatchResult& result);

    // The models, dataset and settings of the next run.
    BatchEvaluationForm* form() const { return form_; }

    // What the buttons do, callable directly (tests, scripts): false with the reason shown in
    // the dialog when the form is invalid, a run is going on, or the file cannot be written.
    bool start();
    void cancel();
    bool exportCsv(const QString& path);
    bool exportJson(const QString& path);
    QString message() const;        // the line under the form: problems, then the outcome

Q_SIGNALS:
    // `fraction` of the work done; 1.0 with a summary when the run ended.
    void progressed(double fraction, const QString& text);
    // The result changed: a batch finished, the run ended, or setResult.
    void resultChanged();

private:
    void exportWithDialog(bool csv);
    bool writeExport(const QString& path, const std::string& bytes);
    void showRunning(bool running);
    void showProgress(const mimo::BatchResult& partial, double fraction, const QString& text);
    void showFinished(const mimo::BatchResult& result);
    void showMessage(const QString& text);

    EvaluationTask* task_ = nullptr;
    mimo::BatchResult result_;
    BatchEvaluationForm* form_ = nullptr;
    QPushButton* start_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* eta_ = nullptr;
    QLabel* message_ = nullptr;
    BatchResultsTable* table_ = nullptr;
    QPushButton* exportCsv_ = nullptr;
    QPushButton* exportJson_ = nullptr;
};
