#include "ui/widgets/eliding_combo_box.h"

#include <QStyleOptionComboBox>
#include <QStylePainter>

#include <algorithm>

namespace {
// Styles draw the label inset a little from the edit field (Fusion: about 2 pixels a side).
constexpr int kLabelInset = 6;
} // namespace

ElidingComboBox::ElidingComboBox(QWidget* parent) : QComboBox(parent)
{
    connect(this, &QComboBox::currentIndexChanged, this, &ElidingComboBox::updateToolTip);
    connect(this, &QComboBox::currentTextChanged, this, &ElidingComboBox::updateToolTip);
}

void ElidingComboBox::setBaseToolTip(const QString& text)
{
    baseToolTip_ = text;
    updateToolTip();
}

int ElidingComboBox::textRoom() const
{
    QStyleOptionComboBox option;
    initStyleOption(&option);
    const QRect field = style()->subControlRect(QStyle::CC_ComboBox, &option, QStyle::SC_ComboBoxEditField, this);
    int room = field.width() - kLabelInset;
    if (!option.currentIcon.isNull())
        room -= option.iconSize.width() + 4;
    return std::max(0, room);
}

bool ElidingComboBox::isElided() const
{
    return !isEditable() && fontMetrics().horizontalAdvance(currentText()) > textRoom();
}

void ElidingComboBox::paintEvent(QPaintEvent*)
{
    QStylePainter painter(this);
    painter.setPen(palette().color(QPalette::Text));
    QStyleOptionComboBox option;
    initStyleOption(&option);
    painter.drawComplexControl(QStyle::CC_ComboBox, option);
    if (!isEditable())
        option.currentText = fontMetrics().elidedText(option.currentText, Qt::ElideRight, textRoom());
    painter.drawControl(QStyle::CE_ComboBoxLabel, option);
}

void ElidingComboBox::resizeEvent(QResizeEvent* event)
{
    QComboBox::resizeEvent(event);
    updateToolTip();
}

void ElidingComboBox::updateToolTip()
{
    if (!isElided()) {
        setToolTip(baseToolTip_);
        return;
    }
    setToolTip(baseToolTip_.isEmpty() ? currentText() : currentText() + QStringLiteral("\n\n") + baseToolTip_);
}
