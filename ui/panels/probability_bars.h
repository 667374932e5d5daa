#pragma once
// A slot's top classes as bars with their probabilities, under a heading ("In superposition",
// "Alone"); the true class is marked with a check. Wide enough, each row is name | bar | per
// cent; narrow (four slots beside the side panel on a small screen), the name and the per
// cent share a line and a thin bar runs below them, so names keep their check marks instead of
// being cut, and the heading wraps. The tooltip always gives every row whole. Drawn with the palette's colours.
#include "core/eval/prediction.h"

#include <QWidget>

class ProbabilityBars : public QWidget {
    Q_OBJECT
public:
    explicit ProbabilityBars(QWidget* parent = nullptr);

    void setScores(const QString& heading, const std::vector<mimo::ClassScore>& scores, qint64 trueClass);
    void clear(const QString& message);
    void setDimmed(bool dimmed); // the result is out of date: a newer run is on its way
    void setExplanation(const QString& text); // what the block means, first in the tooltip
    QString summary() const;     // "Sneaker 91 %, Sandal 6 %, Bag 1 %" (tests, accessibility)
    // The heading and row names that do not fit the current width (drawn elided; the tooltip
    // has them whole). Empty when everything is shown whole.
    QStringList cutTexts() const;
    bool isNarrow() const; // rows drawn as name and per cent over a thin bar

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override;
    int heightForWidth(int width) const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QString rowLabel(const mimo::ClassScore& score) const; // the name, with " ✓" for the true class
    int lineHeight() const;
    QFont headingFont() const;
    int headingHeight(int width) const; // wrapped where the block is narrow
    int labelColumn() const;   // wide rows: the names' column
    int percentColumn() const; // the widest "100 %"
    void updateToolTip();

    QString heading_;
    QString message_;
    QString explanation_;
    std::vector<mimo::ClassScore> scores_;
    qint64 trueClass_ = -1;
    bool dimmed_ = false;
};
