#include "ui/widgets/pipeline_diagram.h"

#include "ui/widgets/colormap.h"
#include "ui/widgets/position_tooltip.h"

#include <QEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace {

constexpr int kMostCards = 4;

QString percent(double share) { return QString::number(100.0 * share, 'f', 1) + QStringLiteral(" %"); }

} // namespace

PipelineDiagram::PipelineDiagram(QWidget* parent) : QWidget(parent)
{
    setMouseTracking(true);
    QSizePolicy policy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void PipelineDiagram::setReport(const mimo::PipelineReport& report)
{
    report_ = report;
    hovered_ = -1;
    relayout();
}

void PipelineDiagram::clear() { setReport({}); }

int PipelineDiagram::unit() const { return fontMetrics().height(); }

int PipelineDiagram::stackOffset() const { return std::max(3, unit() / 4); }

QFont PipelineDiagram::boldFont() const
{
    QFont bold = font();
    bold.setBold(true);
    return bold;
}

QString PipelineDiagram::titleText(const mimo::PipelineStage& stage) const
{
    const QString title = QString::fromStdString(stage.title);
    return stage.copies > kMostCards ? title + QStringLiteral(" (\u00d7 %1)").arg(stage.copies) : title;
}

int PipelineDiagram::stackDepth(const mimo::PipelineStage& stage) const
{
    return std::clamp(stage.copies, 1, kMostCards);
}

QString PipelineDiagram::shapeText(const mimo::PipelineStage& stage) const
{
    QStringList sizes;
    for (int64_t size : stage.shape)
        sizes << QString::number(size);
    const QString shape = QLatin1Char('[') + sizes.join(QStringLiteral(", ")) + QLatin1Char(']');
    return stage.copies > 1 ? QStringLiteral("%1 \u00d7 %2").arg(stage.copies).arg(shape) : shape;
}

QString PipelineDiagram::shareText(const mimo::PipelineTiming& timing) const { return percent(timing.share); }

PipelineDiagram::Layout PipelineDiagram::layoutFor(int width) const { return layoutFor(width, font()); }

PipelineDiagram::Layout PipelineDiagram::layoutFor(int width, const QFont& font) const
{
    Layout layout;
    if (report_.stages.empty())
        return layout;
    const QFontMetrics metrics(font);
    QFont bold = font;
    bold.setBold(true);
    const QFontMetrics boldMetrics(bold);
    // As unit() and stackOffset() give them for the widget's own font.
    const int u = metrics.height(), margin = u / 2, pad = u / 3, offset = std::max(3, u / 4);
    const int arrowGap = 3 * u / 2, rowGap = u, band = 3 * u / 2;
    // Cards of one width: the widest shape, and titles wrapped to two lines at most.
    bool grouped = false;
    int groupWidth = 0, textWidth = 7 * u;
    for (const auto& stage : report_.stages) {
        grouped = grouped || !stage.group.empty();
        groupWidth = std::max(groupWidth, boldMetrics.horizontalAdvance(QString::fromStdString(stage.group)));
        textWidth = std::max(textWidth, metrics.horizontalAdvance(shapeText(stage)));
    }
    // Titles take two lines at most: a title that needs more widens every card.
    const auto titleHeight = [&](const mimo::PipelineStage& stage) {
        return boldMetrics.boundingRect(QRect(0, 0, textWidth, 10 * u), Qt::TextWordWrap, titleText(stage)).height();
    };
    const int twoLines = boldMetrics.boundingRect(QRect(0, 0, 10 * u, 10 * u), Qt::TextWordWrap, QStringLiteral("A\nA")).height();
    int titleRoom = boldMetrics.height();
    for (const auto& stage : report_.stages) {
        while (titleHeight(stage) > twoLines && textWidth < 40 * u)
            textWidth += u / 2;
        titleRoom = std::max(titleRoom, titleHeight(stage));
    }
    const int cardWidth = textWidth + 2 * pad;
    const int cardHeight = 2 * pad + titleRoom + metrics.height();
    const int cell = cardWidth + (kMostCards - 1) * offset + arrowGap;
    const int gutter = grouped ? groupWidth + u : 0;
    const int left = margin + gutter;
    const int right = std::max(left + cell, width - margin);
    const int rowHeight = cardHeight + (kMostCards - 1) * offset + band + rowGap;
    // Stages left to right, wrapping; a new row for each group, and a timed step never split.
    int x = left, y = margin;
    std::vector<int> rowOf(report_.stages.size(), 0);
    int row = 0;
    for (size_t i = 0; i < report_.stages.size(); ++i) {
        const auto& stage = report_.stages[i];
        int span = 1;
        if (stage.timing >= 0 && stage.timing < int(report_.timings.size()) &&
            report_.timings[size_t(stage.timing)].firstStage == int(i))
            span = report_.timings[size_t(stage.timing)].lastStage - int(i) + 1;
        const bool groupStarts = i > 0 && stage.group != report_.stages[i - 1].group;
        if (x > left && (groupStarts || x + span * cell - arrowGap > right)) {
            x = left;
            y += rowHeight;
            ++row;
        }
        Row r;
        r.card = QRect(x, y, cardWidth, cardHeight);
        r.stack = r.card.adjusted(0, 0, (stackDepth(stage) - 1) * offset, (stackDepth(stage) - 1) * offset);
        r.title = QRect(x + pad, y + pad, textWidth, titleRoom);
        r.shape = QRect(x + pad, r.title.bottom() + 1, textWidth, metrics.height());
        r.shapeText = shapeText(stage);
        r.operationText = QString::fromStdString(stage.operation);
        r.row = row;
        layout.rows.push_back(r);
        rowOf[i] = row;
        x += cell;
    }
    layout.height = y + rowHeight - rowGap + margin;
    const int bandTop = cardHeight + (kMostCards - 1) * offset + u / 4;
    for (const auto& timing : report_.timings) {
        Bar bar;
        if (timing.firstStage < 0 || timing.lastStage >= int(layout.rows.size()) || timing.firstStage > timing.lastStage) {
            layout.bars.push_back(bar); // keeps bars aligned with timings
            continue;
        }
        const QRect first = layout.rows[size_t(timing.firstStage)].card;
        const QRect last = layout.rows[size_t(timing.lastStage)].stack;
        const int top = first.top() + bandTop;
        bar.bracket = QRect(first.left(), top, last.right() - first.left(), u / 3);
        bar.text = shareText(timing);
        const int labelWidth = metrics.horizontalAdvance(QStringLiteral("100.0 %")) + pad;
        const int barLeft = first.left() + (timing.lastStage > timing.firstStage ? u / 2 : 0);
        bar.bar = QRect(barLeft, top + u / 2, std::max(u, last.right() - barLeft - labelWidth - pad), 2 * (u / 3));
        bar.label = QRect(bar.bar.right() + pad, top + u / 2 + u / 3 - u / 2, labelWidth, u);
        layout.bars.push_back(bar);
    }
    for (size_t i = 0; i < report_.stages.size();) {
        size_t end = i;
        while (end + 1 < report_.stages.size() && report_.stages[end + 1].group == report_.stages[i].group)
            ++end;
        if (!report_.stages[i].group.empty()) {
            Group group;
            const int top = layout.rows[i].card.top(), bottom = layout.rows[end].card.top() + rowHeight - rowGap;
            group.bracket = QRect(margin + groupWidth + u / 3, top, u / 3, bottom - top);
            group.label = QRect(margin, top, groupWidth, boldMetrics.height());
            group.text = QString::fromStdString(report_.stages[i].group);
            layout.groups.push_back(group);
        }
        i = end + 1;
    }
    return layout;
}

void PipelineDiagram::relayout()
{
    layout_ = layoutFor(width());
    updateGeometry();
    update();
}

int PipelineDiagram::heightForWidth(int width) const
{
    return std::max(layoutFor(width).height, unit());
}

int PipelineDiagram::heightForWidth(int width, const QFont& font) const
{
    return std::max(layoutFor(width, font).height, QFontMetrics(font).height());
}

QSize PipelineDiagram::sizeHint() const { return {60 * unit(), heightForWidth(60 * unit())}; }

QSize PipelineDiagram::minimumSizeHint() const
{
    // One card a row: narrower, the cards would leave the widget.
    const Layout single = layoutFor(0);
    int right = 0;
    for (const auto& row : single.rows)
        right = std::max(right, row.stack.right());
    return {std::max(right + unit() / 2, 10 * unit()), unit()};
}

void PipelineDiagram::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    layout_ = layoutFor(width());
}

void PipelineDiagram::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::FontChange || event->type() == QEvent::PaletteChange)
        relayout();
}

QRect PipelineDiagram::stageRect(int stage) const
{
    return stage >= 0 && stage < int(layout_.rows.size()) ? layout_.rows[size_t(stage)].card : QRect();
}

QRect PipelineDiagram::timingRect(int timing) const
{
    return timing >= 0 && timing < int(layout_.bars.size()) ? layout_.bars[size_t(timing)].bar : QRect();
}

QStringList PipelineDiagram::rowTexts(int stage) const
{
    if (stage < 0 || stage >= int(report_.stages.size()))
        return {};
    const auto& s = report_.stages[size_t(stage)];
    QStringList texts{QString::fromStdString(s.title), shapeText(s)};
    if (s.timing >= 0 && s.timing < int(report_.timings.size()))
        texts << shareText(report_.timings[size_t(s.timing)]);
    return texts;
}

QStringList PipelineDiagram::cutTexts() const
{
    QStringList cut;
    const QFontMetrics metrics = fontMetrics(), boldMetrics(boldFont());
    for (size_t i = 0; i < layout_.rows.size(); ++i) {
        const auto& row = layout_.rows[i];
        const QString title = titleText(report_.stages[i]);
        const QRect needed = boldMetrics.boundingRect(QRect(0, 0, row.title.width(), 10 * unit()), Qt::TextWordWrap, title);
        if (needed.width() > row.title.width() || needed.height() > row.title.height())
            cut << title;
        if (metrics.horizontalAdvance(row.shapeText) > row.shape.width())
            cut << row.shapeText;
        if (row.stack.right() >= width())
            cut << title + tr(" (beyond the right edge)");
    }
    for (const auto& bar : layout_.bars)
        if (!bar.bar.isEmpty() && metrics.horizontalAdvance(bar.text) > bar.label.width())
            cut << bar.text;
    for (const auto& group : layout_.groups)
        if (boldMetrics.horizontalAdvance(group.text) > group.label.width())
            cut << group.text;
    if (layout_.height > height() && !report_.stages.empty())
        cut << tr("(the diagram is taller than its widget)");
    return cut;
}

int PipelineDiagram::stageAt(const QPoint& position) const
{
    for (size_t i = 0; i < layout_.rows.size(); ++i)
        if (layout_.rows[i].stack.contains(position))
            return int(i);
    return -1;
}

QString PipelineDiagram::toolTipAt(const QPoint& position) const
{
    int stage = stageAt(position);
    for (size_t t = 0; stage < 0 && t < layout_.bars.size(); ++t)
        if (!layout_.bars[t].bar.isEmpty() && layout_.bars[t].bar.united(layout_.bars[t].label).contains(position))
            stage = report_.timings[t].firstStage;
    if (stage < 0)
        return {};
    const auto& s = report_.stages[size_t(stage)];
    QString text = QStringLiteral("<b>%1</b><br>%2<br>%3: %4")
                       .arg(QString::fromStdString(s.title).toHtmlEscaped(),
                            QString::fromStdString(s.operation).toHtmlEscaped(), shapeText(s).toHtmlEscaped(),
                            QString::fromStdString(s.shapeMeaning).toHtmlEscaped());
    if (s.timing >= 0 && s.timing < int(report_.timings.size())) {
        const auto& t = report_.timings[size_t(s.timing)];
        QStringList laps;
        for (const auto& lap : t.laps)
            laps << QString::fromStdString(lap);
        text += tr("<br>%1 of the forward pass (%2 to %3 over %4 rounds), %5 ms")
                    .arg(percent(t.share), percent(t.shareLow), percent(t.shareHigh))
                    .arg(report_.rounds)
                    .arg(t.milliseconds, 0, 'f', 2);
        if (t.lastStage > t.firstStage)
            text += tr("<br>Timed as one step with the stages beside its bracket.");
        text += tr("<br><i>mimo bench --breakdown</i>: %1").arg(laps.join(QStringLiteral(", ")).toHtmlEscaped());
    } else {
        text += tr("<br>Computes nothing: it is what the model is given.");
    }
    if (!s.opens.empty())
        text += tr("<br>Click to see it in the %1 tab.")
                    .arg(s.opens.rfind("activations", 0) == 0 ? tr("Activations")
                         : s.opens.rfind("attention", 0) == 0 ? tr("Attention")
                                                                : tr("Interference"));
    return text;
}

bool PipelineDiagram::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip)
        return showPositionToolTip(this, event, [this](const QPoint& p) { return toolTipAt(p); });
    return QWidget::event(event);
}

void PipelineDiagram::mousePressEvent(QMouseEvent* event)
{
    const int stage = stageAt(event->position().toPoint());
    if (event->button() == Qt::LeftButton && stage >= 0 && !report_.stages[size_t(stage)].opens.empty())
        Q_EMIT stageClicked(stage);
    QWidget::mousePressEvent(event);
}

void PipelineDiagram::mouseMoveEvent(QMouseEvent* event)
{
    const int stage = stageAt(event->position().toPoint());
    const bool opens = stage >= 0 && !report_.stages[size_t(stage)].opens.empty();
    setCursor(opens ? Qt::PointingHandCursor : Qt::ArrowCursor);
    if (stage != hovered_) {
        hovered_ = stage;
        update();
        Q_EMIT stageHovered(stage);
    }
    QWidget::mouseMoveEvent(event);
}

void PipelineDiagram::leaveEvent(QEvent* event)
{
    if (hovered_ >= 0)
        Q_EMIT stageHovered(-1);
    hovered_ = -1;
    update();
    QWidget::leaveEvent(event);
}

void PipelineDiagram::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    paint(painter, layout_);
}

void PipelineDiagram::paint(QPainter& painter, const Layout& layout) const
{
    painter.setRenderHint(QPainter::Antialiasing, true);
    const QColor ink = palette().color(QPalette::WindowText);
    const QColor paper = palette().color(QPalette::Base);
    const QColor muted = palette().color(QPalette::PlaceholderText);
    const QColor highlight = palette().color(QPalette::Highlight);
    const QFont bold = boldFont();
    const int u = unit(), offset = stackOffset();
    const double radius = u / 4.0;
    const auto arrowHead = [&painter, u](QPointF tip, QPointF direction) {
        const QPointF back = tip - direction * (u / 3.0), side(-direction.y() * (u / 4.0), direction.x() * (u / 4.0));
        QPainterPath head;
        head.moveTo(back + side);
        head.lineTo(tip);
        head.lineTo(back - side);
        painter.drawPath(head);
    };
    for (size_t i = 0; i < layout.rows.size(); ++i) {
        const auto& stage = report_.stages[i];
        const auto& row = layout.rows[i];
        const int depth = stackDepth(stage);
        const bool perInput = !stage.superposed && stage.copies > 1;
        // Back cards first: the last slot's card lies deepest.
        for (int c = depth - 1; c >= 0; --c) {
            const QRect card = row.card.translated(c * offset, c * offset);
            const QColor colour = stage.superposed ? muted : perInput ? inputColour(c) : ink;
            const bool lit = int(i) == hovered_ && c == 0;
            painter.setPen(QPen(lit ? highlight : colour, lit ? 2 : 1));
            painter.setBrush(wash(colour, paper, stage.superposed || perInput ? 0.16f : 0.05f));
            painter.drawRoundedRect(QRectF(card).adjusted(0.5, 0.5, -0.5, -0.5), radius, radius);
        }
        painter.setPen(ink);
        painter.setFont(bold);
        painter.drawText(row.title, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, titleText(stage));
        painter.setFont(font());
        painter.drawText(row.shape, Qt::AlignLeft | Qt::AlignVCenter, row.shapeText);
        if (i + 1 >= layout.rows.size())
            continue;
        // The arrow to the next stage: across in a row, or back to the next row's start.
        const QRect next = layout.rows[i + 1].card;
        painter.setPen(QPen(muted, 1.2));
        painter.setBrush(Qt::NoBrush);
        if (layout.rows[i + 1].row == row.row) {
            const double y = row.card.center().y();
            const QPointF from(row.stack.right() + 3.0, y), to(next.left() - 2.0, y);
            painter.drawLine(from, to);
            arrowHead(to, QPointF(1, 0));
        } else {
            const double midY = next.top() - u / 2.0;
            const double x0 = row.stack.right() + u / 2.0, x1 = next.left() + u;
            QPainterPath path;
            path.moveTo(row.stack.right() + 3.0, row.card.center().y());
            path.lineTo(x0, row.card.center().y());
            path.lineTo(x0, midY);
            path.lineTo(x1, midY);
            path.lineTo(x1, next.top() - 2.0);
            painter.drawPath(path);
            arrowHead(QPointF(x1, next.top() - 2.0), QPointF(0, 1));
        }
    }
    for (size_t t = 0; t < layout.bars.size() && t < report_.timings.size(); ++t) {
        const auto& bar = layout.bars[t];
        const auto& timing = report_.timings[t];
        if (bar.bar.isEmpty())
            continue;
        painter.setPen(QPen(muted, 1));
        painter.setBrush(Qt::NoBrush);
        if (timing.lastStage > timing.firstStage) { // a bracket under the stages timed as one
            const QRect b = bar.bracket;
            painter.drawLine(b.topLeft(), b.bottomLeft());
            painter.drawLine(b.bottomLeft(), b.bottomRight());
            painter.drawLine(b.bottomRight(), b.topRight());
        }
        painter.setPen(Qt::NoPen);
        painter.setBrush(wash(highlight, paper, 0.18f));
        painter.drawRect(bar.bar);
        const auto at = [&bar](double share) {
            return bar.bar.left() + std::clamp(share, 0.0, 1.0) * bar.bar.width();
        };
        painter.setBrush(highlight);
        painter.drawRect(QRectF(bar.bar.left(), bar.bar.top(), at(timing.share) - bar.bar.left(), bar.bar.height()));
        // The whisker: lowest to highest round.
        painter.setPen(QPen(ink, 1.2));
        const double y = bar.bar.center().y() + 0.5;
        painter.drawLine(QPointF(at(timing.shareLow), y), QPointF(at(timing.shareHigh), y));
        for (double end : {timing.shareLow, timing.shareHigh})
            painter.drawLine(QPointF(at(end), y - u / 5.0), QPointF(at(end), y + u / 5.0));
        painter.setPen(ink);
        painter.drawText(bar.label, Qt::AlignLeft | Qt::AlignVCenter, bar.text);
    }
    for (const auto& group : layout.groups) {
        painter.setPen(QPen(muted, 1.2));
        const QRect b = group.bracket;
        painter.drawLine(b.topRight(), b.topLeft());
        painter.drawLine(b.topLeft(), b.bottomLeft());
        painter.drawLine(b.bottomLeft(), b.bottomRight());
        painter.setPen(ink);
        painter.setFont(bold);
        painter.drawText(group.label, Qt::AlignRight | Qt::AlignTop, group.text);
        painter.setFont(font());
    }
}
