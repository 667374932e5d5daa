#include "ui/panels/probability_bars.h"

#include <QPainter>

#include <algorithm>

namespace {
constexpr int kRows = 3;        // the top classes a slot shows
constexpr int kMinBar = 40;     // narrower bars cannot be compared by eye: rows go narrow
constexpr int kGap = 6;
constexpr int kThinBar = 4;     // the bar under a narrow row
constexpr int kMinimumWidth = 110;
// Narrower blocks draw their rows narrow whatever the names: the slots side by side then all
// look alike instead of switching with the length of their class names.
constexpr int kWideFrom = 240;
} // namespace

ProbabilityBars::ProbabilityBars(QWidget* parent) : QWidget(parent)
{
    // The heading wraps in a narrow slot ("In superposition" over "(N=4)"): height for width.
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void ProbabilityBars::setScores(const QString& heading, const std::vector<mimo::ClassScore>& scores, qint64 trueClass)
{
    if (heading != heading_)
        updateGeometry(); // it may wrap into another number of lines
    heading_ = heading;
    scores_ = scores;
    trueClass_ = trueClass;
    message_.clear();
    setAccessibleDescription(summary());
    updateToolTip();
    update();
}

void ProbabilityBars::clear(const QString& message)
{
    scores_.clear();
    message_ = message;
    updateToolTip();
    update();
}

void ProbabilityBars::setDimmed(bool dimmed)
{
    if (dimmed_ != dimmed) {
        dimmed_ = dimmed;
        update();
    }
}

void ProbabilityBars::setExplanation(const QString& text)
{
    explanation_ = text;
    updateToolTip();
}

QString ProbabilityBars::summary() const
{
    QStringList parts;
    for (const auto& score : scores_)
        parts << QStringLiteral("%1 %2 %").arg(QString::fromStdString(score.name)).arg(100.0 * score.probability, 0, 'f', 0);
    return parts.join(QStringLiteral(", "));
}

void ProbabilityBars::updateToolTip()
{
    // The whole of every row, whatever the width draws: names elided on screen are here in full.
    QStringList lines;
    if (!explanation_.isEmpty())
        lines << explanation_;
    if (!scores_.empty()) {
        lines << heading_ + QLatin1Char(':');
        for (const auto& score : scores_)
            lines << QStringLiteral("  %1: %2 %").arg(rowLabel(score)).arg(100.0 * score.probability, 0, 'f', 1);
    } else if (!heading_.isEmpty()) {
        lines << heading_;
    }
    setToolTip(lines.join('\n'));
}

QString ProbabilityBars::rowLabel(const mimo::ClassScore& score) const
{
    QString label = QString::fromStdString(score.name);
    if (score.index == trueClass_)
        label += QStringLiteral(" ✓");
    return label;
}

int ProbabilityBars::lineHeight() const { return fontMetrics().height() + 6; }

int ProbabilityBars::labelColumn() const
{
    int widest = 0;
    for (const auto& score : scores_)
        widest = std::max(widest, fontMetrics().horizontalAdvance(rowLabel(score)));
    return widest + kGap;
}

int ProbabilityBars::percentColumn() const { return fontMetrics().horizontalAdvance(QStringLiteral("100 %")) + kGap; }

bool ProbabilityBars::isNarrow() const
{
    return width() < kWideFrom || width() - labelColumn() - percentColumn() < kMinBar;
}

QFont ProbabilityBars::headingFont() const
{
    QFont bold = font();
    bold.setBold(true);
    return bold;
}

int ProbabilityBars::headingHeight(int width) const
{
    const QFontMetrics metrics(headingFont());
    const int wrapped = metrics.boundingRect(QRect(0, 0, std::max(1, width), 10000), Qt::TextWordWrap, heading_).height();
    return std::max(lineHeight(), wrapped + 6);
}

QStringList ProbabilityBars::cutTexts() const
{
    QStringList cut;
    const QFontMetrics heading(headingFont());
    for (const QString& word : heading_.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        if (heading.horizontalAdvance(word) > width()) // a word wider than the block cannot wrap
            cut << heading_;
    if (headingHeight(width()) > height() - kRows * lineHeight())
        cut << heading_;
    const int room = isNarrow() ? width() - percentColumn() : labelColumn() - kGap;
    for (const auto& score : scores_)
        if (fontMetrics().horizontalAdvance(rowLabel(score)) > room)
            cut << rowLabel(score);
    return cut;
}

QSize ProbabilityBars::sizeHint() const
{
    return {180, heightForWidth(180)};
}

QSize ProbabilityBars::minimumSizeHint() const
{
    return {kMinimumWidth, lineHeight() * (kRows + 1)};
}

bool ProbabilityBars::hasHeightForWidth() const { return true; }

int ProbabilityBars::heightForWidth(int width) const { return headingHeight(width) + kRows * lineHeight(); }

void ProbabilityBars::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    if (dimmed_)
        painter.setOpacity(0.45);
    const QPalette& pal = palette();
    const QFontMetrics metrics = fontMetrics();
    const int line = lineHeight();
    const int top = headingHeight(width());
    painter.setFont(headingFont());
    painter.setPen(pal.color(QPalette::WindowText));
    painter.drawText(QRect(0, 0, width(), top), Qt::AlignLeft | Qt::AlignVCenter | Qt::TextWordWrap, heading_);
    painter.setFont(font());
    if (scores_.empty()) {
        painter.setPen(pal.color(QPalette::PlaceholderText));
        painter.drawText(QRect(0, top, width(), line * kRows), Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, message_);
        return;
    }
    const bool narrow = isNarrow();
    const int percentWidth = percentColumn();
    const int labelWidth = narrow ? width() - percentWidth : labelColumn();
    int y = top;
    for (const auto& score : scores_) {
        const double fraction = std::clamp(score.probability, 0.0, 1.0);
        const QColor fill = pal.color(y == top ? QPalette::Highlight : QPalette::Mid);
        const QString percent = QStringLiteral("%1 %").arg(100.0 * score.probability, 0, 'f', 0);
        QRect text(0, y, labelWidth, line);
        QRect track(labelWidth, y + 4, width() - labelWidth - percentWidth, line - 8);
        if (narrow) { // the name and the per cent on one line, the bar below them
            text = QRect(0, y, labelWidth, line - kThinBar - 1);
            track = QRect(0, y + line - kThinBar - 1, width(), kThinBar);
        }
        painter.setPen(pal.color(QPalette::WindowText));
        // Elided only where cutTexts() says it does not fit (the tooltip then has it whole).
        const QString label = rowLabel(score);
        const int room = narrow ? labelWidth : labelWidth - kGap;
        painter.drawText(text.adjusted(0, 0, 4, 0), Qt::AlignLeft | Qt::AlignVCenter,
                         metrics.horizontalAdvance(label) > room ? metrics.elidedText(label, Qt::ElideRight, room) : label);
        painter.fillRect(track, pal.color(QPalette::AlternateBase));
        painter.fillRect(QRect(track.topLeft(), QSize(int(track.width() * fraction), track.height())), fill);
        painter.drawText(QRect(width() - percentWidth, text.top(), percentWidth, text.height()),
                         Qt::AlignRight | Qt::AlignVCenter, percent);
        y += line;
    }
}
