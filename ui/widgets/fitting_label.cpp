#include "ui/widgets/fitting_label.h"

#include <QEvent>
#include <QFontMetrics>
#include <QTextLayout>

#include <algorithm>

FittingLabel::FittingLabel(int maxLines, QWidget* parent) : QLabel(parent), maxLines_(std::max(1, maxLines))
{
    setTextFormat(Qt::PlainText);
    setWordWrap(true);
    setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
}

void FittingLabel::setTexts(const QStringList& longestFirst)
{
    texts_ = longestFirst;
    showChoice();
    updateGeometry();
}

int FittingLabel::textWidth(int width) const
{
    const QMargins margins = contentsMargins();
    return std::max(1, width - margins.left() - margins.right() - 2 * margin());
}

// As QLabel wraps plain text: at word boundaries.
int FittingLabel::linesOf(const QString& text, int textWidth) const
{
    int lines = 0;
    for (const QString& paragraph : text.split(QLatin1Char('\n'))) {
        QTextLayout layout(paragraph, font());
        QTextOption option;
        option.setWrapMode(QTextOption::WordWrap);
        layout.setTextOption(option);
        layout.beginLayout();
        for (QTextLine line = layout.createLine(); line.isValid(); line = layout.createLine()) {
            line.setLineWidth(textWidth);
            ++lines;
        }
        layout.endLayout();
    }
    return lines;
}

int FittingLabel::chosenFor(int width) const
{
    const int room = textWidth(width);
    for (int i = 0; i < texts_.size(); ++i)
        if (linesOf(texts_[i], room) <= maxLines_)
            return i;
    return int(texts_.size()) - 1;
}

int FittingLabel::heightForWidth(int width) const
{
    if (texts_.isEmpty())
        return 0;
    const QString& text = texts_[chosenFor(width)];
    const QMargins margins = contentsMargins();
    const QRect bounds =
        fontMetrics().boundingRect(QRect(0, 0, textWidth(width), 100000), Qt::TextWordWrap | int(alignment()), text);
    return bounds.height() + margins.top() + margins.bottom() + 2 * margin();
}

QSize FittingLabel::sizeHint() const
{
    const QSize hint = QLabel::sizeHint();
    return {hint.width(), width() > 0 ? heightForWidth(width()) : hint.height()};
}

QSize FittingLabel::minimumSizeHint() const { return {0, sizeHint().height()}; }

void FittingLabel::showChoice()
{
    if (texts_.isEmpty()) {
        clear();
        setToolTip(QString());
        return;
    }
    const int chosen = chosenFor(width());
    if (text() != texts_[chosen])
        setText(texts_[chosen]);
    setToolTip(chosen > 0 ? texts_.front() : QString());
}

void FittingLabel::resizeEvent(QResizeEvent* event)
{
    QLabel::resizeEvent(event);
    const QString before = text();
    showChoice();
    if (text() != before)
        updateGeometry();
}

void FittingLabel::changeEvent(QEvent* event)
{
    QLabel::changeEvent(event);
    if (event->type() == QEvent::FontChange) {
        showChoice();
        updateGeometry();
    }
}
