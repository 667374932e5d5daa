#include "ui/inside/interference_view.h"

#include "ui/export/export_menu.h"
#include "ui/inside/layer_names.h"
#include "ui/widgets/matrix_heatmap_widget.h"
#include "ui/widgets/qcustomplot_no_keywords.h"

#include <QEvent>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <limits>

namespace {

constexpr int kMaxAxisLabel = 40; // a longer gap meaning goes into a label above the plot
constexpr int kPlotMinimumWidth = 260;
constexpr int kPlotMinimumHeight = 160; // axes, tick labels and a legend still readable
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

QString number3(double value) { return std::isfinite(value) ? QString::number(value, 'g', 3) : QStringLiteral("–"); }
QString pair3(double measured, double reference) { return number3(measured) + QStringLiteral(" / ") + number3(reference); }
double valueAt(const std::vector<double>& values, std::size_t index) { return index < values.size() ? values[index] : kNaN; }

// Points of one series; NaN or infinite values are skipped, not drawn at 0.
struct Points {
    QVector<double> x, y;
    void add(double key, double value)
    {
        if (std::isfinite(value)) {
            x << key;
            y << value;
        }
    }
};

void setShown(std::initializer_list<QWidget*> parts, bool shown)
{
    for (QWidget* part : parts)
        part->setVisible(shown);
}

void setAxis(QCPAxis* axis, const QString& label, double low, double high)
{
    axis->setLabel(label);
    axis->setRange(low, high);
}

// A line (with `style` points on it) or points only, in `colour`; nothing for no points.
void addGraph(QCustomPlot* plot, const QString& name, const Points& points, const QColor& colour, bool line,
              const QCPScatterStyle& style)
{
    if (points.x.isEmpty())
        return;
    QCPGraph* graph = plot->addGraph();
    graph->setName(name);
    graph->setData(points.x, points.y, true);
    graph->setPen(QPen(colour, 2));
    graph->setLineStyle(line ? QCPGraph::lsLine : QCPGraph::lsNone);
    graph->setScatterStyle(style);
}

QSharedPointer<QCPAxisTickerText> textTicker(const QStringList& labels)
{
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < labels.size(); ++i)
        ticker->addTick(i + 1, labels[i]);
    return ticker;
}

void stylePlot(QCustomPlot* plot, const QPalette& pal)
{
    const QColor text = pal.color(QPalette::WindowText), grid = pal.color(QPalette::Mid);
    plot->setBackground(pal.color(QPalette::Window));
    for (QCPAxis* axis : plot->axisRect()->axes()) {
        axis->setBasePen(QPen(text));
        axis->setTickPen(QPen(text));
        axis->setSubTickPen(QPen(text));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(grid, 0, Qt::DotLine));
        axis->grid()->setZeroLinePen(Qt::NoPen);
    }
    plot->legend->setBrush(pal.color(QPalette::Base));
    plot->legend->setBorderPen(QPen(grid));
    plot->legend->setTextColor(text);
}

enum class Legend {
    None,
    Below, // under the axes, one entry a line: it never hides a bar, a point or an axis title
};

QCustomPlot* makePlot(QWidget* parent, Legend legend)
{
    auto* plot = new QCustomPlot(parent);
    plot->setMinimumSize(kPlotMinimumWidth, kPlotMinimumHeight);
    if (legend == Legend::Below) {
        plot->axisRect()->insetLayout()->take(plot->legend);
        plot->plotLayout()->addElement(1, 0, plot->legend);
        plot->plotLayout()->setRowStretchFactor(1, 0.001);
        plot->legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
        plot->legend->setWrap(1); // two entries side by side do not fit a narrow plot
    }
    plot->legend->setVisible(legend != Legend::None);
    stylePlot(plot, parent->palette());
    return plot;
}

// The plot at least as wide as its legend's entries (they cannot wrap: squeezed, they are cut).
void fitLegend(QCustomPlot* plot)
{
    const int legend = plot->legend->visible() ? plot->legend->minimumOuterSizeHint().width() + 4 : 0;
    plot->setMinimumWidth(std::max(kPlotMinimumWidth, legend));
}

// A word-wrapped caption that takes the width of its column and wraps there, never wider.
void makeCaption(QLabel* label)
{
    label->setWordWrap(true); // sets heightForWidth in the size policy, which stays
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    QSizePolicy policy = label->sizePolicy();
    policy.setHorizontalPolicy(QSizePolicy::Ignored);
    label->setSizePolicy(policy);
}

} // namespace

InterferenceView::InterferenceView(QWidget* parent) : QWidget(parent)
{
    message_ = new QLabel(this);
    message_->setWordWrap(true);
    message_->setAlignment(Qt::AlignCenter);
    slotPlot_ = makePlot(this, Legend::Below);
    slotGroup_ = new QCPBarsGroup(slotPlot_);
    slotGroup_->setSpacingType(QCPBarsGroup::stAbsolute);
    slotGroup_->setSpacing(2);
    layerPlot_ = makePlot(this, Legend::None);
    keyPlot_ = makePlot(this, Legend::Below);
    influence_ = new MatrixHeatmapWidget(this);
    influence_->setRange(0.0, 1.0); // total variation: sequential colours
    scores_ = new QTableWidget(this);
    scores_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    scores_->setSelectionBehavior(QAbstractItemView::SelectRows);
    scores_->verticalHeader()->setVisible(false);
    // Sized to its contents: in the tab's scroll area it must not scroll on its own.
    scores_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scores_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scores_->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    for (QLabel** caption : {&layerMeaning_, &influenceCaption_, &keyCaption_}) {
        *caption = new QLabel(this);
        makeCaption(*caption);
    }
    // 2 x 2 parts and the table below, each a column of a bold title, (caption,) body, (caption).
    auto* grid = new QGridLayout;
    const auto titled = [this](const QString& title, std::initializer_list<QWidget*> parts, QWidget* body,
                               QLabel** label) {
        *label = new QLabel(title, this);
        makeCaption(*label); // wraps in a narrow column instead of widening it past the window
        QFont bold = (*label)->font();
        bold.setBold(true);
        (*label)->setFont(bold);
        auto* box = new QVBoxLayout;
        box->addWidget(*label);
        for (QWidget* part : parts)
            box->addWidget(part, part == body ? 1 : 0);
        return box;
    };
    grid->addLayout(titled(tr("Per slot: unbound feature and class probabilities"), {slotPlot_}, slotPlot_, &slotTitle_),
                    0, 0);
    grid->addLayout(titled(tr("Across layers: distance from the inputs alone"), {layerMeaning_, layerPlot_}, layerPlot_,
                           &layerTitle_), 0, 1);
    grid->addLayout(titled(tr("Influence: one input replaced, change of each slot"), {influence_, influenceCaption_},
                           influence_, &influenceTitle_), 1, 0);
    grid->addLayout(titled(tr("Interference of the keys over N"), {keyPlot_, keyCaption_}, keyPlot_, &keyTitle_), 1, 1);
    grid->setColumnStretch(0, 1); // two equal columns: each caption wraps within its own
    grid->setColumnStretch(1, 1);
    // The plots never get wider than the visible width (eventFilter): only the table, when it
    // is wider than the window, makes the tab scroll sideways, and the plots stay in sight.
    plotsArea_ = new QWidget;
    plotsArea_->setLayout(grid);
    // In a scroll area: below the slots the tab may be short, and squeezed plots overlap.
    auto* content = new QWidget;
    auto* contentLayout = new QVBoxLayout(content);
    contentLayout->addWidget(plotsArea_, 3);
    contentLayout->addLayout(titled(tr("Query-key score interference against its bound"), {scores_}, scores_, &scoresTitle_), 2);
    scroll_ = new QScrollArea(this);
    scroll_->setFrameShape(QFrame::NoFrame);
    scroll_->setWidgetResizable(true);
    scroll_->setWidget(content);
    scroll_->viewport()->installEventFilter(this);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(message_);
    layout->addWidget(scroll_, 1);
    installExportMenu(slotPlot_, [this] { return slotItem(); });
    installExportMenu(layerPlot_, [this] { return layerItem(); });
    installExportMenu(influence_, [this] { return influenceItem(); });
    installExportMenu(keyPlot_, [this] { return keyItem(); });
    installExportMenu(scores_, [this] { return scoreItem(); });
    clear(tr("No interference measured yet."));
}

void InterferenceView::setSummary(const mimo::InterferenceSummary& summary)
{
    summary_ = summary;
    showing_ = true;
    message_->hide();
    redraw();
}

void InterferenceView::clear(const QString& message)
{
    summary_ = {};
    showing_ = false;
    message_->setText(message);
    message_->show();
    redraw(); // nothing shown: every part is emptied and hidden
}

bool InterferenceView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == scroll_->viewport() && event->type() == QEvent::Resize)
        plotsArea_->setMaximumWidth(scroll_->viewport()->width());
    return QWidget::eventFilter(watched, event);
}

void InterferenceView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && slotPlot_) {
        for (QCustomPlot* plot : {slotPlot_, layerPlot_, keyPlot_})
            stylePlot(plot, palette());
        redraw();
    }
}

void InterferenceView::redraw()
{
    drawSlots();
    drawLayers();
    drawInfluence();
    drawKeys();
    fillScores();
}

void InterferenceView::drawSlots()
{
    slotPlot_->clearPlottables();
    const int n = int(std::max(summary_.featureCosine.size(), summary_.probabilityChange.size()));
    setShown({slotTitle_, slotPlot_}, showing_ && n > 0);
    Points cosines, changes;
    QStringList labels;
    for (int i = 0; i < n; ++i) {
        cosines.add(i + 1, valueAt(summary_.featureCosine, std::size_t(i)));
        changes.add(i + 1, valueAt(summary_.probabilityChange, std::size_t(i)));
        labels << tr("slot %1").arg(i + 1);
    }
    const QColor first = palette().color(QPalette::Highlight), second = palette().color(QPalette::Link);
    for (auto [points, axis, colour, name] :
         {std::tuple{&cosines, slotPlot_->yAxis, first, tr("cosine to alone")},
          std::tuple{&changes, slotPlot_->yAxis2, second, tr("change of probabilities")}}) {
        if (n == 0)
            break;
        auto* bars = new QCPBars(slotPlot_->xAxis, axis);
        bars->setName(name);
        bars->setData(points->x, points->y, true);
        bars->setWidth(0.35);
        bars->setBrush(colour);
        bars->setPen(QPen(colour.darker(130)));
        bars->setBarsGroup(slotGroup_);
    }
    slotPlot_->xAxis->setTicker(textTicker(labels));
    slotPlot_->xAxis->setRange(0.5, std::max(n, 1) + 0.5);
    setAxis(slotPlot_->yAxis, tr("cosine to alone"), 0.0, 1.05);
    setAxis(slotPlot_->yAxis2, tr("total variation"), 0.0, 1.05);
    slotPlot_->yAxis2->setVisible(true);
    fitLegend(slotPlot_);
    slotPlot_->replot();
}

void InterferenceView::drawLayers()
{
    layerPlot_->clearPlottables();
    const int count = int(std::min(summary_.layers.size(), summary_.layerGap.size()));
    const bool visible = showing_ && count > 0;
    const QString meaning = QString::fromStdString(summary_.layerGapMeaning);
    const bool longMeaning = meaning.size() > kMaxAxisLabel;
    setShown({layerTitle_, layerPlot_}, visible);
    layerMeaning_->setText(longMeaning ? meaning : QString());
    layerMeaning_->setVisible(visible && longMeaning);
    layerPlot_->yAxis->setLabel(longMeaning ? tr("gap") : meaning);

    Points gaps;
    QStringList labels;
    for (int i = 0; i < count; ++i) {
        gaps.add(i + 1, summary_.layerGap[std::size_t(i)]);
        labels << layerTitle(summary_.layers[std::size_t(i)]);
    }
    const double top = gaps.y.isEmpty() ? 0.0 : *std::max_element(gaps.y.cbegin(), gaps.y.cend());
    const QColor colour = palette().color(QPalette::Highlight);
    addGraph(layerPlot_, QString(), gaps, colour, true,
             QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(colour, 2), palette().color(QPalette::Base), 8));
    layerPlot_->xAxis->setTicker(textTicker(labels));
    layerPlot_->xAxis->setTickLabelRotation(count > 5 ? 30 : 0);
    layerPlot_->xAxis->setRange(0.5, std::max(count, 1) + 0.5);
    layerPlot_->yAxis->setRange(0.0, top > 0.0 ? top * 1.15 : 1.0);
    layerPlot_->replot();
}

void InterferenceView::drawInfluence()
{
    const auto& matrix = summary_.influence;
    const bool visible = showing_ && matrix.shape.size() == 2 && !matrix.empty();
    setShown({influenceTitle_, influence_, influenceCaption_}, visible);
    if (!visible) {
        influence_->clear();
        influenceCaption_->clear();
        return;
    }
    QStringList rows, columns;
    for (int64_t i = 0; i < matrix.shape[0]; ++i)
        rows << tr("slot %1").arg(i + 1);
    for (int64_t j = 0; j < matrix.shape[1]; ++j)
        columns << tr("in %1").arg(j + 1); // short for narrow cells: the caption says what it means
    influence_->setMatrix(matrix, rows, columns);
    influenceCaption_->setText(
        tr("Total variation of the class probabilities; rows: the slot whose probabilities change; "
           "columns: the input replaced by a neutral input (%1). The diagonal should dominate.")
            .arg(summary_.neutralInput.empty() ? tr("unknown") : QString::fromStdString(summary_.neutralInput)));
}

void InterferenceView::drawKeys()
{
    keyPlot_->clearPlottables();
    const bool visible = showing_ && summary_.hasKeyInterference;
    setShown({keyTitle_, keyPlot_, keyCaption_}, visible);
    keyCaption_->clear();
    Points theory, measured, current;
    QStringList snr;
    if (visible) {
        for (std::size_t i = 0; i < summary_.curveN.size(); ++i)
            theory.add(summary_.curveN[i], valueAt(summary_.theoryCosine, i));
        for (std::size_t i = 0; i < summary_.measuredN.size(); ++i)
            measured.add(summary_.measuredN[i], valueAt(summary_.measuredCosine, i));
        for (std::size_t i = 0; i < summary_.slotCosine.size(); ++i) {
            current.add(summary_.n, summary_.slotCosine[i]);
            if (std::isfinite(valueAt(summary_.slotSnrDb, i)))
                snr << QString::number(summary_.slotSnrDb[i], 'f', 1);
        }
    }
    const QColor first = palette().color(QPalette::Highlight), second = palette().color(QPalette::Link),
                 text = palette().color(QPalette::WindowText);
    addGraph(keyPlot_,
             tr("expected, %1 keys, D=%2").arg(QString::fromStdString(summary_.theoryFamily)).arg(summary_.keyDimension),
             theory, first, true, QCPScatterStyle::ssNone);
    addGraph(keyPlot_, tr("measured with the keys in use"), measured, second, false,
             QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(second, 2), Qt::NoBrush, 9));
    addGraph(keyPlot_, tr("these keys, per slot (N = %1)").arg(summary_.n), current, text, false,
             QCPScatterStyle(QCPScatterStyle::ssDisc, text, 4));
    double low = 0.0, right = 16.0; // N = 1..16 and cosines 0..1, wider only for points outside
    for (const Points* points : {&theory, &measured, &current}) {
        for (int i = 0; i < points->x.size(); ++i) {
            low = std::min(low, points->y[i] - 0.05);
            right = std::max(right, points->x[i]);
        }
    }
    auto ticker = QSharedPointer<QCPAxisTickerFixed>::create();
    ticker->setTickStep(1.0);
    ticker->setScaleStrategy(QCPAxisTickerFixed::ssMultiples); // 1, 2 or 5 apart, as the width allows
    keyPlot_->xAxis->setTicker(ticker);
    setAxis(keyPlot_->xAxis, tr("N"), 0.5, right + 0.5);
    setAxis(keyPlot_->yAxis, tr("cosine after unbinding"), low, 1.05);
    fitLegend(keyPlot_);
    keyPlot_->replot();
    if (!visible)
        return;
    QString caption = tr("Random Gaussian inputs of dimension %1 bound with the slot keys, summed and unbound; "
                         "1 = no interference.").arg(summary_.keyDimension);
    if (!snr.isEmpty())
        caption += QLatin1Char(' ') + tr("Signal-to-noise ratio per slot at N = %1: %2 dB.")
                                          .arg(summary_.n).arg(snr.join(QStringLiteral(", ")));
    keyCaption_->setText(caption);
}

void InterferenceView::fillScores()
{
    const auto& stats = summary_.scoreInterference;
    const bool visible = showing_ && !stats.empty();
    setShown({scoresTitle_, scores_}, visible);
    scores_->clearContents();
    scores_->setRowCount(0);
    if (!visible)
        return;
    const double tau = valueAt(stats.front().thresholds, 0);
    const QString at = std::isfinite(tau) ? tr(" at τ = %1").arg(number3(tau)) : QString();
    const QStringList headers{tr("layer"), tr("head"), tr("pairs"), tr("signal rms"), tr("interference rms"),
                              tr("relative rms\n(measured / predicted)"), tr("E[I²]\n(measured / predicted)"),
                              tr("per-term tail%1\n(measured / bound)").arg(at),
                              tr("coordinate tail%1\n(measured / bound)").arg(at)};
    scores_->setColumnCount(int(headers.size()));
    scores_->setHorizontalHeaderLabels(headers);
    scores_->setRowCount(int(stats.size()));
    for (int row = 0; row < int(stats.size()); ++row) {
        const mimo::InterferenceStats& s = stats[std::size_t(row)];
        const QStringList cells{QString::number(s.layer + 1), QString::number(s.head + 1), QString::number(qulonglong(s.pairs)),
                                number3(s.signalRms), number3(s.interferenceRms),
                                pair3(s.relativeRms, s.predictedRelativeRms),
                                pair3(s.meanSquaredInterference, s.predictedMeanSquared),
                                pair3(valueAt(s.termTail, 0), valueAt(s.termBound, 0)),
                                pair3(valueAt(s.coordinateTail, 0), valueAt(s.termBound, 0))};
        for (int column = 0; column < int(cells.size()); ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            scores_->setItem(row, column, item);
        }
    }
    scores_->resizeColumnsToContents();
    scores_->setMinimumSize(scores_->sizeHint()); // whole: the tab's scroll area scrolls if needed
}
