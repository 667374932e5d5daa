#pragma once
// Help > What is a MIMONet?: a page for newcomers. The figure bind -> superpose -> process ->
// unbind (PipelineFigure), a few sentences under each stage, what it buys and costs (the
// paper's abstract figures), the paper and the documentation. A window of its own, not modal:
// the explorer stays usable beside it. Every sentence holds for the method as the paper's code
// implements it (docs/mimonets.md).
#include <QDialog>

class PipelineFigure;
class QAction;
class QLabel;
class QPushButton;

class MimonetPrimer : public QDialog {
    Q_OBJECT
public:
    // `tour` (View > Guided Tour) gets a button here too; none without it.
    explicit MimonetPrimer(QAction* tour, QWidget* parent = nullptr);
    // The window's page (made the first time), shown and raised.
    static MimonetPrimer* showFor(QWidget* window, QAction* tour);

    PipelineFigure* figure() const { return figure_; }
    // The four stages' texts, in order: what the page says under the figure.
    QList<QLabel*> stageTexts() const { return stageTexts_; }
    QPushButton* tourButton() const { return tourButton_; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void applyScale(double scale); // the page's text size, times the application's

    QWidget* page_ = nullptr;
    QLabel* title_ = nullptr;
    double scale_ = 0;
    PipelineFigure* figure_ = nullptr;
    QList<QLabel*> stageTexts_;
    QPushButton* tourButton_ = nullptr;
};
