#pragma once
// The Batch Evaluation dialog's form: the models to evaluate (from the catalog or any .pt),
// the dataset and split (each kind writing an editable dataset spec), the N values, the keys,
// the batch-norm mode, batch size, device and an optional limit. Reads and sets it as a
// BatchConfig, and remembers the choices between sessions (QSettings).
#include "core/explore/batch_evaluation.h"
#include "core/model/model_catalog.h"

#include <QHash>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

class BatchModelList;
class QCheckBox;
class QComboBox;
class QLineEdit;
class QPushButton;
class QSpinBox;

class BatchEvaluationForm : public QWidget {
    Q_OBJECT
public:
    explicit BatchEvaluationForm(QWidget* parent = nullptr);

    // The models offered; checks and files added by hand are kept.
    void setCatalog(const std::vector<mimo::ModelListing>& models);
    // The explorer's model: listed and checked (the previous current one is unchecked unless
    // someone chose it since).
    void setCurrentModel(const QString& path);
    // Devices as core names them ("cpu", "cuda", "auto"); the remembered choice wins over `current`.
    void setDevices(const QStringList& devices, const QString& current);

    // config() reads the form as far as it is valid (an unreadable N list reads as empty);
    // read() says what is wrong first, in words for the dialog.
    void setConfig(const mimo::BatchConfig& config);
    mimo::BatchConfig config() const;
    bool read(mimo::BatchConfig* config, QString* problem) const;

    // Remembers the choices for the next session; the device chosen is preferred from now on.
    void remember();
    // Nothing can be changed while a run uses the form's choices.
    void setRunning(bool running);

private:
    void loadSettings();
    void showDatasetKind();         // enables Browse, split and pixels for the kind
    void rebuildSpec();             // the spec line from kind, path, split and pixels
    void followTypedSpec();         // the kind, path and split from a typed spec
    void browse();
    void showKeysKind();
    int datasetKindIndex() const;

    QHash<QString, QString> paths_; // dataset kind key -> folder or file chosen
    QString preferredDevice_;       // from the settings
    std::string dataDir_;           // from setConfig; the form has no field for these two
    bool skipUnservedN_ = true;
    mimo::KeyChoice configKeys_;    // permutation or values from setConfig, offered as they are

    BatchModelList* models_ = nullptr;
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
};
