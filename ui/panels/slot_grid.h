#pragma once
// The N input slots side by side (wrapping into rows), kept in step with the controller:
// inputs, predictions, the selected slot (where Paste and the input menu act). The previews
// are drawn at the size people chose unless the height given is too small for every slot's
// two answers: then they shrink (down to a floor) so the answers stay in sight.
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
    void setPreviewSize(int pixels); // the size people chose (zoom, settings)
    int previewSize() const { return previewSize_; }
    int shownPreviewSize() const { return shownPreview_; } // after fitting the height
    // The height the slots need at `width` with previews at the chosen size.
    int preferredHeight(int width) const;
    // The height there is: previews shrink (not below a floor) until the slots fit it.
    void fitHeight(int available);

Q_SIGNALS:
    void menuRequested(int slot, const QPoint& globalPosition);
    void preferredHeightChanged();
    // The previews took another size to fit the height given: the scroll area around the slots
    // must decide again whether it needs a scroll bar (it does so only when resized).
    void previewsRefitted();

protected:
    bool event(QEvent* event) override; // layout requests refit the previews

private:
    // The text, and the same as its tooltip: where a short window clips the wrapped headline
    // (MIMOFormer at 1024x700, now and then), the tooltip still gives it whole. `runState` goes
    // beside it ("in 12 ms", "updating…"): kept out of the wrapped text, so that a run that
    // takes 1000 ms instead of 90 does not wrap the headline into another line and move every
    // slot down.
    void setHeadline(const QString& text, const QString& runState = QString());
    void rebuild();
    void showInputs();
    void showResult();
    void applyFit();
    int rowCount() const;

    ExplorerController* controller_;
    QGridLayout* grid_ = nullptr;
    QLabel* headline_ = nullptr;
    QLabel* runState_ = nullptr; // of a width that holds any run time, so the headline never reflows
    std::vector<SlotWidget*> slotWidgets_;
    int selected_ = 0;
    int previewSize_ = 112;
    int shownPreview_ = 112;
    int available_ = 0;       // the height fitHeight() was given; 0: not yet
    int lastPreferred_ = -1;  // preferredHeightChanged() fires when this changes
    bool fitQueued_ = false;
};
