#include "ui/widgets/plot_style.h"

#include "ui/widgets/qcustomplot_no_keywords.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>
#include <vector>

namespace plotstyle {

namespace {

int hueDistance(int a, int b)
{
    const int d = std::abs(a - b) % 360;
    return d > 180 ? 360 - d : d;
}

} // namespace

QCustomPlot* makePlot(const QString& xLabel, const QString& yLabel, QWidget* parent)
{
    auto* plot = new QCustomPlot(parent);
    plot->setMinimumSize(240, 160);
    plot->xAxis->setLabel(xLabel);
    plot->yAxis->setLabel(yLabel);
    // The legend sits under the axes, outside the axis rect: wherever the points fall, it can
    // never hide one, nor a whisker, nor an axis title. It shares its row with an empty element
    // that takes the rest of the width: a QCPLayoutGrid column is no wider than the narrowest
    // maximum in it, and an empty legend's maximum is its margins.
    auto* below = new QCPLayoutGrid;
    plot->plotLayout()->addElement(1, 0, below);
    plot->plotLayout()->setRowStretchFactor(1, 0.001);
    plot->axisRect()->insetLayout()->take(plot->legend);
    below->addElement(0, 0, plot->legend);
    below->addElement(0, 1, new QCPLayoutElement(plot));
    below->setColumnStretchFactor(0, 0.001);
    plot->plotLayout()->setRowSpacing(2);
    plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    plot->legend->setWrap(2);
    plot->legend->setMargins(QMargins(5, 2, 5, 2));
    plot->legend->setRowSpacing(0);
    showLegendWhenFilled(plot); // none yet
    plot->setMouseTracking(true);
    return plot;
}

void showLegendWhenFilled(QCustomPlot* plot) { plot->legend->setVisible(plot->legend->itemCount() > 0); }

bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

QColor seriesColor(const QPalette& palette, int index)
{
    const bool dark = isDark(palette);
    QColor first = palette.color(QPalette::Highlight);
    int firstHue = first.hslHue();
    if (firstHue < 0 || first.hslSaturation() < 60) {
        firstHue = 210;
        first = QColor::fromHsl(firstHue, 170, dark ? 165 : 105);
    } else if (dark && first.lightness() < 140) {
        first = QColor::fromHsl(firstHue, first.hslSaturation(), 150);
    } else if (!dark && first.lightness() > 150) {
        first = QColor::fromHsl(firstHue, first.hslSaturation(), 115);
    }
    if (index <= 0)
        return first;

    static const int kHues[] = {28, 135, 355, 275, 185, 320, 48, 95};
    std::vector<int> hues;
    for (int hue : kHues)
        if (hueDistance(hue, firstHue) >= 30)
            hues.push_back(hue);
    const int count = static_cast<int>(hues.size());
    const int hue = hues[std::size_t((index - 1) % count)];
    const bool shifted = ((index - 1) / count) % 2 == 1;
    int lightness = dark ? 170 : 100;
    if (!dark && hue >= 40 && hue <= 70)
        lightness = 85; // yellows need more weight on light backgrounds
    if (shifted)
        lightness += dark ? -35 : 35;
    return QColor::fromHsl(hue, 190, lightness);
}

void applyPalette(QCustomPlot* plot, const QPalette& palette)
{
    if (!plot)
        return;
    const QColor text = palette.color(QPalette::WindowText);
    const QColor base = palette.color(QPalette::Base);
    const QColor mid = palette.color(QPalette::Mid);
    const QColor window = palette.color(QPalette::Window);
    QColor subGrid = mid;
    subGrid.setAlpha(90);

    plot->setBackground(window);
    const auto rects = plot->axisRects();
    for (QCPAxisRect* rect : rects) {
        rect->setBackground(base);
        const auto axes = rect->axes();
        for (QCPAxis* axis : axes) {
            axis->setBasePen(QPen(text, 1));
            axis->setTickPen(QPen(text, 1));
            axis->setSubTickPen(QPen(text, 1));
            axis->setTickLabelColor(text);
            axis->setLabelColor(text);
            axis->grid()->setPen(QPen(mid, 0, Qt::DotLine));
            axis->grid()->setSubGridPen(QPen(subGrid, 0, Qt::DotLine));
            axis->grid()->setZeroLinePen(QPen(mid, 0, Qt::SolidLine));
        }
    }
    if (QCPLegend* legend = plot->legend) {
        QColor background = window;
        background.setAlpha(225);
        legend->setBrush(background);
        legend->setBorderPen(QPen(mid, 1));
        legend->setTextColor(text);
    }
}

void setLogScale(QCPAxis* axis, bool log, double logBase, double linearStep)
{
    if (!axis)
        return;
    if (log) {
        axis->setScaleType(QCPAxis::stLogarithmic);
        QSharedPointer<QCPAxisTickerLog> ticker(new QCPAxisTickerLog);
        ticker->setLogBase(logBase);
        axis->setTicker(ticker);
    } else if (linearStep > 0.0) {
        axis->setScaleType(QCPAxis::stLinear);
        QSharedPointer<QCPAxisTickerFixed> ticker(new QCPAxisTickerFixed);
        ticker->setTickStep(linearStep);
        ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples);
        axis->setTicker(ticker);
    } else {
        axis->setScaleType(QCPAxis::stLinear);
        axis->setTicker(QSharedPointer<QCPAxisTicker>(new QCPAxisTicker));
    }
}

void addMargin(QCPAxis* axis, double lowFraction, double highFraction)
{
    if (!axis)
        return;
    const QCPRange range = axis->range();
    if (axis->scaleType() == QCPAxis::stLogarithmic) {
        if (range.lower <= 0.0 || range.upper <= range.lower)
            return;
        const double ratio = range.upper / range.lower;
        axis->setRange(range.lower / std::pow(ratio, lowFraction), range.upper * std::pow(ratio, highFraction));
    } else {
        const double span = range.size() > 0.0 ? range.size() : 1.0;
        axis->setRange(range.lower - span * lowFraction, range.upper + span * highFraction);
    }
}

namespace {

QCPErrorBars* addErrorBars(QCPAxis* keyAxis, QCPAxis* valueAxis, const QVector<double>& keys,
                           const QVector<double>& values, const QVector<double>& minus, const QVector<double>& plus,
                           const QColor& colour, QCPErrorBars::ErrorType type)
{
    std::vector<int> order(static_cast<std::size_t>(keys.size()));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return keys[a] < keys[b]; });
    QVector<double> k, v, m, p;
    for (int i : order) {
        k << keys[i];
        v << values[i];
        m << std::max(0.0, minus.value(i));
        p << std::max(0.0, plus.value(i));
    }
    auto* holder = new QCPGraph(keyAxis, valueAxis);
    holder->removeFromLegend();
    holder->setLineStyle(QCPGraph::lsNone);
    holder->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssNone));
    holder->setSelectable(QCP::stNone);
    holder->setData(k, v, true);
    auto* bars = new QCPErrorBars(keyAxis, valueAxis);
    bars->removeFromLegend();
    bars->setSelectable(QCP::stNone);
    bars->setDataPlottable(holder);
    bars->setErrorType(type);
    bars->setData(m, p);
    bars->setPen(QPen(colour, 1));
    bars->setWhiskerWidth(6);
    return bars;
}

} // namespace

QCPErrorBars* addValueErrorBars(QCPAxis* keyAxis, QCPAxis* valueAxis, const QVector<double>& keys,
                                const QVector<double>& values, const QVector<double>& minus,
                                const QVector<double>& plus, const QColor& colour)
{
    return addErrorBars(keyAxis, valueAxis, keys, values, minus, plus, colour, QCPErrorBars::etValueError);
}

QCPErrorBars* addKeyErrorBars(QCPAxis* keyAxis, QCPAxis* valueAxis, const QVector<double>& keys,
                              const QVector<double>& values, const QVector<double>& minus,
                              const QVector<double>& plus, const QColor& colour)
{
    return addErrorBars(keyAxis, valueAxis, keys, values, minus, plus, colour, QCPErrorBars::etKeyError);
}

QCPItemText* addPointLabel(QCustomPlot* plot, double x, double y, const QString& text, const QColor& colour)
{
    QFont small = plot->font();
    if (small.pointSizeF() > 0)
        small.setPointSizeF(small.pointSizeF() * 0.85);
    auto* label = new QCPItemText(plot);
    label->position->setCoords(x, y);
    label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    label->setPadding(QMargins(6, 0, 0, 4));
    label->setText(text);
    label->setColor(colour);
    label->setFont(small);
    return label;
}

Readout addReadout(QCustomPlot* plot, const QPalette& palette)
{
    Readout readout;
    readout.tracer = new QCPItemTracer(plot);
    readout.tracer->setLayer(QStringLiteral("overlay"));
    readout.tracer->setStyle(QCPItemTracer::tsCircle);
    readout.tracer->setSize(12);
    readout.tracer->setPen(QPen(palette.color(QPalette::WindowText), 1.5));
    readout.tracer->setVisible(false);
    readout.text = new QCPItemText(plot);
    readout.text->setLayer(QStringLiteral("overlay"));
    readout.text->setClipToAxisRect(false);
    readout.text->position->setType(QCPItemPosition::ptAbsolute);
    readout.text->setColor(palette.color(QPalette::WindowText));
    readout.text->setBrush(palette.color(QPalette::Base));
    readout.text->setPen(QPen(palette.color(QPalette::Mid)));
    readout.text->setPadding(QMargins(5, 3, 5, 3));
    readout.text->setVisible(false);
    return readout;
}

void showReadout(const Readout& readout, double x, double y, const QString& text)
{
    if (!readout.tracer || !readout.text)
        return;
    QCPAxis* xAxis = readout.tracer->position->keyAxis();
    QCPAxis* yAxis = readout.tracer->position->valueAxis();
    readout.tracer->position->setCoords(x, y);
    readout.tracer->setVisible(true);
    readout.text->setText(text);
    // Beside the point, towards the middle of the axis rect, so it stays on screen.
    const QRect rect = readout.tracer->clipAxisRect()->rect();
    const double px = xAxis->coordToPixel(x), py = yAxis->coordToPixel(y);
    const bool right = px < rect.center().x(), below = py < rect.center().y();
    readout.text->setPositionAlignment((right ? Qt::AlignLeft : Qt::AlignRight) | (below ? Qt::AlignTop : Qt::AlignBottom));
    readout.text->position->setCoords(px + (right ? 10 : -10), py + (below ? 10 : -10));
    // Shifted back inside the plot where the box would run past its edge (a point near a
    // corner, a long model name): the read-out is never cut.
    const QRectF box(readout.text->topLeft->pixelPosition(), readout.text->bottomRight->pixelPosition());
    const QRectF inside = QRectF(readout.text->parentPlot()->viewport()).adjusted(1, 1, -1, -1);
    double dx = 0.0, dy = 0.0;
    if (box.right() > inside.right())
        dx = inside.right() - box.right();
    if (box.left() + dx < inside.left())
        dx = inside.left() - box.left();
    if (box.bottom() > inside.bottom())
        dy = inside.bottom() - box.bottom();
    if (box.top() + dy < inside.top())
        dy = inside.top() - box.top();
    readout.text->position->setCoords(readout.text->position->coords() + QPointF(dx, dy));
    readout.text->setVisible(true);
    readout.tracer->layer()->replot();
}

QRectF readoutRect(const Readout& readout)
{
    if (!readout.text || !readout.text->visible())
        return {};
    return QRectF(readout.text->topLeft->pixelPosition(), readout.text->bottomRight->pixelPosition()).normalized();
}

void hideReadout(const Readout& readout)
{
    if (!readout.tracer || !readout.tracer->visible())
        return;
    readout.tracer->setVisible(false);
    readout.text->setVisible(false);
    readout.tracer->layer()->replot();
}

} // namespace plotstyle
