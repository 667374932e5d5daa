#pragma once
// MIMOFormer attention maps: for a chosen sequence (slot), layer and head, where it attends in
// superposition beside where it attends alone, and their difference, as heatmaps over the real
// tokens (rows: query positions, columns: key positions), with hover read-out.
#include "core/explore/inspection_types.h"
#include "ui/export/export_item.h"

#include <QList>
#include <QWidget>

class QComboBox;
class QGridLayout;
class QLabel;
class TensorViewWidget;

class AttentionView : public QWidget {
    Q_OBJECT
public:
    explicit AttentionView(QWidget* parent = nullptr);

    // The choices offered (keeps the current ones where they still exist).
    void setChoices(int slots, int layers, int heads);
    void setMaps(const mimo::AttentionMaps& maps);
    void clear(const QString& message);
    int slot() const;
    int layer() const;
    int head() const;
    const mimo::AttentionMaps& maps() const { return maps_; }
    // The heatmaps: in superposition, alone, difference.
    QList<TensorViewWidget*> mapViews() const { return {superposed_, alone_, difference_}; }

    // The three maps (in superposition, alone, difference), each with its matrix as CSV; none
    // while no maps are shown.
    QList<ExportItem> exportItems() const;

Q_SIGNALS:
    void selectionChanged(int slot, int layer, int head);

private:
    void applyContrast();
    ExportItem mapItem(int column) const; // 0: in superposition, 1: alone, 2: difference

    mimo::AttentionMaps maps_;
    QComboBox* slot_ = nullptr;
    QComboBox* layer_ = nullptr;
    QComboBox* head_ = nullptr;
    QComboBox* contrast_ = nullptr;
    QLabel* message_ = nullptr;
    TensorViewWidget* superposed_ = nullptr;
    TensorViewWidget* alone_ = nullptr;
    TensorViewWidget* difference_ = nullptr;
    QLabel* summary_ = nullptr;       // the mean total variation and the token count
    QWidget* mapsArea_ = nullptr;     // the three columns of title and map, all the height left
    QGridLayout* mapsGrid_ = nullptr;
    QList<QWidget*> mapParts_;        // titles and maps: hidden while a message is shown
};
