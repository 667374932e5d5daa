#pragma once
// One input slot: the input as the model sees it after preprocessing, where it came from,
// its true class when known, and its prediction in superposition beside the same input
// alone, with a clear mark where the two disagree. Files dropped on it fill this slot.
#include "core/eval/prediction.h"
#include "ui/controller/explorer_controller.h"

#include <QFrame>

#include <optional>

class ElidedLabel;
class QLabel;
class FittingLabel;
class ProbabilityBars;

class SlotWidget : public QFrame {
    Q_OBJECT
public:
    explicit SlotWidget(int index, QWidget* parent = nullptr);

    int index() const { return index_; }
    void setInput(const std::optional<SlotInput>& input, const QStringList& classNames);
    // prediction == nullptr: no result yet; current == false: dim it, a newer run is coming.
    void setPrediction(const mimo::SlotPrediction* prediction, int n, bool current);
    void setPreviewSize(int pixels);
    void setSelected(bool selected);

    bool hasInput() const { return hasInput_; }
    bool disagreementShown() const;
    QString superposedSummary() const;
    QString aloneSummary() const;
    QString sourceText() const;
    // The two blocks the slot exists for: the answer in superposition and alone.
    ProbabilityBars* superposedBars() const { return superposed_; }
    ProbabilityBars* aloneBars() const { return alone_; }

Q_SIGNALS:
    void filesDropped(int slot, const QStringList& paths);
    void activated(int slot);
    void menuRequested(int slot, const QPoint& globalPosition);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragLeaveEvent(QDragLeaveEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    void showPreview();
    void setHighlight(bool on);

    int index_;
    bool hasInput_ = false;
    bool selected_ = false;
    int previewSize_ = 112;
    qint64 label_ = -1;
    QImage preview_;
    ElidedLabel* title_ = nullptr;
    QLabel* image_ = nullptr;
    QLabel* sequence_ = nullptr;
    QLabel* truth_ = nullptr;
    FittingLabel* mark_ = nullptr;
    ProbabilityBars* superposed_ = nullptr;
    ProbabilityBars* alone_ = nullptr;
};
