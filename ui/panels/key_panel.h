#pragma once
// The binding keys: the model's trained keys, keys drawn from a family with a seed, a
// permutation of the trained keys, or keys from a file; and the cosine similarity of the
// keys binding the current slots as a heatmap. Changing keys never alters the model file.
#include "core/explore/explorer_types.h"
#include "ui/export/export_item.h"

#include <QGroupBox>

class ExplorerController;
class MatrixHeatmapWidget;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTimer;

class KeyPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit KeyPanel(ExplorerController* controller, QWidget* parent = nullptr);
    ~KeyPanel() override;

    MatrixHeatmapWidget* similarityView() const { return similarity_; }
    // The key similarity heatmap with its matrix as CSV; none while it is empty.
    QList<ExportItem> exportItems() const;
    // The choice the controls describe (what Apply sends).
    mimo::KeyChoice choiceFromControls() const;
    // A seed typed but not applied yet (it applies once the typing settles).
    bool hasPendingEdit() const;
    void applyPendingSeed();

public Q_SLOTS:
    // The trained keys in a random order (permutation), applied at once; nothing for a model
    // whose keys cannot be changed.
    void shuffle();

Q_SIGNALS:
    void loadFileRequested();
    void saveRequested();

private:
    void showControlsFor(int kind);
    void showKeys();
    void apply();
    QString identityOrder() const;
    static QString orderText(const std::vector<int>& order);

    ExplorerController* controller_;
    QComboBox* kind_ = nullptr;
    QComboBox* family_ = nullptr;
    QSpinBox* seed_ = nullptr;
    QLineEdit* permutation_ = nullptr;
    QPushButton* shuffle_ = nullptr;
    QPushButton* apply_ = nullptr;
    QPushButton* load_ = nullptr;
    QPushButton* save_ = nullptr;
    QPushButton* reset_ = nullptr;
    QTimer* seedTimer_ = nullptr;
    bool showing_ = false;
    QLabel* description_ = nullptr;
    MatrixHeatmapWidget* similarity_ = nullptr;
};
