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

class KeyPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit KeyPanel(ExplorerController* controller, QWidget* parent = nullptr);

    MatrixHeatmapWidget* similarityView() const { return similarity_; }
    // The key similarity heatmap with its matrix as CSV; none while it is empty.
    QList<ExportItem> exportItems() const;
    // The choice the controls describe (what Apply sends).
    mimo::KeyChoice choiceFromControls() const;

Q_SIGNALS:
    void loadFileRequested();
    void saveRequested();

private:
    void showControlsFor(int kind);
    void showKeys();
    void apply();
    void shuffle();

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
    QLabel* description_ = nullptr;
    MatrixHeatmapWidget* similarity_ = nullptr;
};
