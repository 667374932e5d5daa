#pragma once
// Evaluate > Batch Evaluation…: models (from the catalog or any .pt), a dataset and split, the
// N values, the keys, the batch-norm mode, batch size, device and an optional limit, run as a
// cancellable background task (progress bar and time left here, and for the main window's
// status bar). The results table fills as rows finish; Cancel keeps them; a model that fails
// gets a row naming its problem and the others still run. Export as CSV or JSON. The choices
// are remembered between sessions (QSettings). Non-modal: the explorer stays usable meanwhile.
#include "core/explore/batch_evaluation.h"
#include "core/model/model_catalog.h"

#include <QDialog>
#include <QHash>
#include <QString>
#include <QStringList>

#include <vector>

class BatchResultsTable;
class EvaluationTask;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSpinBox;

class BatchEvaluationDialog : public QDialog {
    Q_OBJECT
public:
    explicit BatchEvaluationDialog(QWidget* parent = nullptr);

    // The models offered; checks and files added by hand are kept.
    void setCatalog(const std::vector<mimo::ModelListing>& models);
    // The explorer's model: listed and checked (the previous current one is unchecked unless
    // someone chose it since).
    void setCurrentModel(const QString& path);
    // Devices as core names them ("cpu", "cuda", "auto"); the remembered choice wins over `current`.
    void setDevices(const QStringList& devices, const QString& current);

    EvaluationTask* task() const { return task_; }
    BatchResultsTable* table() const { return table_; }
    const mimo::BatchResult& result() const { return result_; }
    // Restoring a session: fills the table (and emits resultChanged). Refused (false) while a
    // run is going on: its results are not thrown away.
    bool setResult(const mimo::BatchResult& result);

    // The form. config() reads it as far as it is valid (an unreadable N list reads as empty);
    // start() checks it and says what is wrong.
    void setConfig(const mimo::BatchConfig& config);
    mimo::BatchConfig config() const;

    // What the buttons do, callable directly (tests, scripts): false with the reason shown in
    // the dialog when the form is invalid, a run is going on, or the file cannot be written.
    bool start();
    void cancel();
    bool exportCsv(const QString& path);
    bool exportJson(const QString& path);
    QString message() const;        // the line under the form: problems, then the outcome

signals:
    // `fraction` of the work done; 1.0 with a summary when the run ended.
    void progressed(double fraction, const QString& text);
    // The result changed: a batch finished, the run ended, or setResult.
    void resultChanged();

private:
    void buildForm();
    void loadSettings();
    void saveSettings() const;
    void showDatasetKind();         // enables Browse, split and pixels for the kind
    void rebuildSpec();             // the spec line from kind, path, split and pixels
    void followTypedSpec();         // the kind, path and split from a typed spec
    void browse();
    void exportWithDialog(bool csv);
    bool writeExport(const QString& path, const std::string& bytes);
    bool readForm(mimo::BatchConfig* config, QString* problem) const;
    void addModelFiles();
    void addModelItem(const QString& name, const QString& path, const QString& tip, bool checked);
    void showKeysKind();
    void showRunning(bool running);
    void showProgress(const mimo::BatchResult& partial, double fraction, const QString& text);
    void showFinished(const mimo::BatchResult& result);
    void showMessage(const QString& text);
    int datasetKindIndex() const;

    EvaluationTask* task_ = nullptr;
    mimo::BatchResult result_;
    QString autoChecked_;           // checked because it was the current model
    QStringList addedFiles_;        // model files added by hand
    QHash<QString, QString> paths_; // dataset kind key -> folder or file chosen
    QString preferredDevice_;       // from the settings
    std::string dataDir_;           // from setConfig; the form has no field for these two
    bool skipUnservedN_ = true;
    mimo::KeyChoice configKeys_;    // permutation or values from setConfig, offered as they are

    QListWidget* models_ = nullptr;
    QPushButton* addModels_ = nullptr;
    QComboBox* datasetKind_ = nullptr;
    QLineEdit* spec_ = nullptr;
    QPushButton* browse_ = nullptr;
    QComboBox* split_ = nullptr;
    QCheckBox* pixels_ = nullptr;
    QLineEdit* ns_ = nullptr;
    QComboBox* keys_ = nullptr;
    QComboBox* family_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QComboBox* bn_ = nullptr;
    QSpinBox* batch_ = nullptr;
    QComboBox* device_ = nullptr;
    QSpinBox* limit_ = nullptr;
    QPushButton* start_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* eta_ = nullptr;
    QLabel* message_ = nullptr;
    BatchResultsTable* table_ = nullptr;
    QPushButton* exportCsv_ = nullptr;
    QPushButton* exportJson_ = nullptr;
};
