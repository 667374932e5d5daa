#pragma once
// The N input slots side by side (wrapping into rows), kept in step with the controller:
// inputs, predictions, the selected slot (where Paste and the input menu act).
#include <QWidget>

#include <vector>

class ExplorerController;
class QGridLayout;
class QLabel;
class SlotWidget;

class SlotGrid : public QWidget {
    Q_OBJECT
public:
    explicit SlotGrid(ExplorerController* controller, QWidget* parent = nullptr);

    int selectedSlot() const { return selected_; }
    void selectSlot(int slot);
    int slotCount() const { return int(slotWidgets_.size()); }
    SlotWidget* slotWidget(int slot) const;
    void setPreviewSize(int pixels);
    int previewSize() const { return previewSize_; }

Q_SIGNALS:
    void menuRequested(int slot, const QPoint& globalPosition);

private:
    void rebuild();
    void showInputs();
    void showResult();

    ExplorerController* controller_;
    QGridLayout* grid_ = nullptr;
    QLabel* headline_ = nullptr;
    std::vector<SlotWidget*> slotWidgets_;
    int selected_ = 0;
    int previewSize_ = 112;
};
