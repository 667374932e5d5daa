#pragma once
// A slot's top classes as horizontal bars with their probabilities, one column per condition
// ("in superposition", "alone"); the true class is marked. Drawn with the palette's colours.
#include "core/eval/prediction.h"

#include <QWidget>

class ProbabilityBars : public QWidget {
    Q_OBJECT
public:
    explicit ProbabilityBars(QWidget* parent = nullptr);

    void setScores(const QString& heading, const std::vector<mimo::ClassScore>& scores, qint64 trueClass);
    void clear(const QString& message);
    void setDimmed(bool dimmed); // the result is out of date: a newer run is on its way
    QString summary() const;     // "Sneaker 91 %, Sandal 6 %, Bag 1 %" (tests, accessibility)

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QString heading_;
    QString message_;
    std::vector<mimo::ClassScore> scores_;
    qint64 trueClass_ = -1;
    bool dimmed_ = false;
};
