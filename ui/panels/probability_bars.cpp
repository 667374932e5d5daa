#include "ui/panels/probability_bars.h"

#include <QPainter>

ProbabilityBars::ProbabilityBars(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void ProbabilityBars::setScores(const QString& heading, const std::vector<mimo::ClassScore>& scores, qint64 trueClass)
{
    heading_ = heading;
    scores_ = scores;
    trueClass_ = trueClass;
    message_.clear();
    setAccessibleDescription(summary());
    update();
}

void ProbabilityBars::clear(const QString& message)
{
    scores_.clear();
    message_ = message;
    update();
}

void ProbabilityBars::setDimmed(bool dimmed)
{
    if (dimmed_ != dimmed) {
        dimmed_ = dimmed;
        update();
    }
}

QString ProbabilityBars::summary() const
{
    QStringList parts;
    for (const auto& score : scores_)
        parts << QStringLiteral("%1 %2 %").arg(QString::fromStdString(score.name)).arg(100.0 * score.probability, 0, 'f', 0);
    return parts.join(QStringLiteral(", "));
}

QSize ProbabilityBars::sizeHint() const
{
    const int line = fontMetrics().height() + 4;
    return {180, line * 4 + 4};
}

QSize ProbabilityBars::minimumSizeHint() const
{
    return {120, sizeHint().height()};
}

void ProbabilityBars::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    if (dimmed_)
        painter.setOpacity(0.45);
    const QPalette& pal = palette();
    const int line = fontMetrics().height() + 4;
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(pal.color(QPalette::WindowText));
    painter.drawText(QRect(0, 0, width(), line), Qt::AlignLeft | Qt::AlignVCenter, heading_);
    painter.setFont(font());
    if (scores_.empty()) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(QRect(0, line, width(), line * 3), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, message_);
        return;
    }
    const int labelWidth = std::min(width() / 2, fontMetrics().horizontalAdvance(QStringLiteral("Ankle boot ✓ ")));
    const int barWidth = width() - labelWidth - fontMetrics().horizontalAdvance(QStringLiteral(" 100 %"));
    int y = line;
    for (const auto& score : scores_) {
        const bool correct = score.index == trueClass_;
        QString label = QString::fromStdString(score.name);
        if (correct)
            label += QStringLiteral(" ✓");
        painter.setPen(pal.color(QPalette::WindowText));
        painter.drawText(QRect(0, y, labelWidth - 4, line), Qt::AlignLeft | Qt::AlignVCenter,
                         fontMetrics().elidedText(label, Qt::ElideRight, labelWidth - 4));
        const QRect track(labelWidth, y + 3, std::max(barWidth, 10), line - 6);
        painter.fillRect(track, pal.color(QPalette::AlternateBase));
        QRect bar = track;
        bar.setWidth(int(track.width() * std::clamp(score.probability, 0.0, 1.0)));
        painter.fillRect(bar, pal.color(y == line ? QPalette::Highlight : QPalette::Mid));
        painter.drawText(QRect(track.right() + 4, y, width() - track.right() - 4, line), Qt::AlignLeft | Qt::AlignVCenter,
                         QStringLiteral("%1 %").arg(100.0 * score.probability, 0, 'f', 0));
        y += line;
    }
}
