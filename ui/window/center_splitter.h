#pragma once
// The slots above, the "seeing inside" tabs below. The slots get the height they ask for
// (every slot's answer in superposition and alone, whole) and the tabs the rest, on the first
// show and whenever the slots' needs change (N, the model, a wrapped message, the preview
// size), so there is neither a blank band under the slots nor an answer out of sight. Once
// people drag the handle, their split stays; the slots then fit what they were given.
#include <QSplitter>

#include <functional>

class CenterSplitter : public QSplitter {
    Q_OBJECT
public:
    // `topHeight` says how tall the top wants to be now.
    CenterSplitter(QWidget* top, QWidget* bottom, std::function<int()> topHeight, QWidget* parent = nullptr);

    bool sizedByUser() const { return sizedByUser_; }
    // Asks for a new split soon (several requests in a row give one).
    void fitTop();
    // The top's height that the slots' needs give now; unless people dragged the handle, the
    // split settles there whatever order the layout passes came in.
    int fittedTop() const;

protected:
    void resizeEvent(QResizeEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override; // the top's layout changes

private:
    void applyFit();

    std::function<int()> topHeight_;
    bool sizedByUser_ = false;
    bool queued_ = false;
};
