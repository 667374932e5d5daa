#pragma once
// A wrapped label that says a thing at the length its width allows: given the same message
// from longest to shortest, it shows the longest that fits in `maxLines` lines at its width
// (the shortest when none does), and then gives the longest in its tooltip. Its height for a
// width is that of the text it shows there, so a narrow column asks for two lines, not five.
#include <QLabel>
#include <QStringList>

class FittingLabel : public QLabel {
    Q_OBJECT
public:
    explicit FittingLabel(int maxLines, QWidget* parent = nullptr);

    void setTexts(const QStringList& longestFirst);
    void clearTexts() { setTexts({}); }
    QString fullText() const { return texts_.value(0); }

    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;
    void changeEvent(QEvent* event) override; // another font wraps differently

private:
    int textWidth(int width) const;
    int linesOf(const QString& text, int textWidth) const;
    int chosenFor(int width) const;
    void showChoice();

    QStringList texts_;
    int maxLines_;
};
