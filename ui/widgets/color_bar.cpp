#include "ui/widgets/color_bar.h"

#include <QCoreApplication>
#include <QFontMetrics>
#include <QPainter>
#include <QPalette>

#include <algorithm>
#include <cmath>

namespace colorbar {

namespace {

QString number(double value)
{
    if (std::abs(value) < 1e-12)
        value = 0.0; // "-0" reads as a mistake
    return QString::number(value, 'g', 3);
}

bool centredOnZero(const ColorRange& range)
{
    return range.kind == ColorMapKind::Diverging && std::abs(range.low + range.high) <= 1e-9 * (range.high - range.low);
}

} // namespace

int height(const QFontMetrics& metrics) { return kBarHeight + kLabelGap + metrics.height(); }

QStringList labels(const ColorRange& range, bool perPanel)
{
    if (perPanel)
        return {QCoreApplication::translate("colorbar", "low"),
                QCoreApplication::translate("colorbar", "each channel its own range"),
                QCoreApplication::translate("colorbar", "high")};
    QStringList texts{number(range.low)};
    if (centredOnZero(range))
        texts << number(0.0);
    texts << number(range.high);
    return texts;
}

void paint(QPainter& painter, const QRect& rect, const ColorRange& range, const QPalette& palette, bool perPanel)
{
    if (rect.width() <= 0)
        return;
    painter.save();
    const QRect bar(rect.left(), rect.top(), rect.width(), kBarHeight);
    const ColorRange unit{0.0, 1.0, range.kind}; // per panel: the shape of the map, no numbers
    const ColorRange& shown = perPanel ? unit : range;
    const int steps = std::max(1, bar.width());
    for (int x = 0; x < steps; ++x) {
        const double value = shown.low + (shown.high - shown.low) * (x + 0.5) / steps;
        painter.fillRect(QRect(bar.left() + x, bar.top(), 1, bar.height()), QColor(colorFor(value, shown, palette)));
    }
    painter.setPen(palette.color(QPalette::Mid));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(bar.adjusted(0, 0, -1, -1));
    const QStringList texts = labels(range, perPanel);
    const QRect text(rect.left(), bar.bottom() + 1 + kLabelGap, rect.width(), painter.fontMetrics().height());
    painter.setPen(palette.color(QPalette::WindowText));
    painter.drawText(text, Qt::AlignLeft | Qt::AlignVCenter, texts.front());
    painter.drawText(text, Qt::AlignRight | Qt::AlignVCenter, texts.back());
    if (texts.size() == 3) {
        // Between the ends, only where it does not run into them.
        const QFontMetrics metrics = painter.fontMetrics();
        const int room = text.width() - metrics.horizontalAdvance(texts.front()) - metrics.horizontalAdvance(texts.back()) - 8;
        if (metrics.horizontalAdvance(texts[1]) <= room)
            painter.drawText(text, Qt::AlignHCenter | Qt::AlignVCenter, texts[1]);
    }
    painter.restore();
}

} // namespace colorbar

ColorBarWidget::ColorBarWidget(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

void ColorBarWidget::setRange(const ColorRange& range)
{
    range_ = range;
    update();
}

QSize ColorBarWidget::sizeHint() const { return {colorbar::kPreferredWidth, colorbar::height(fontMetrics())}; }

QSize ColorBarWidget::minimumSizeHint() const { return {80, colorbar::height(fontMetrics())}; }

void ColorBarWidget::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    colorbar::paint(painter, QRect(0, 0, std::min(width(), colorbar::kPreferredWidth), height()), range_, palette());
}
