#include "ui/widgets/histogram_plot.h"

#include "ui/export/export_csv.h"
#include "ui/widgets/plot_style.h"

#include <QEvent>
#include <QPointer>

#include <algorithm>
#include <cmath>
#include <limits>

ValueStatistics valueStatistics(const float* values, qsizetype count)
{
    ValueStatistics statistics;
    double sum = 0.0;
    statistics.minimum = std::numeric_limits<double>::infinity();
    statistics.maximum = -std::numeric_limits<double>::infinity();
    for (qsizetype i = 0; values && i < count; ++i) {
        const double value = values[i];
        if (!std::isfinite(value)) {
            ++statistics.nonFinite;
            continue;
        }
        ++statistics.count;
        sum += value;
        statistics.minimum = std::min(statistics.minimum, value);
        statistics.maximum = std::max(statistics.maximum, value);
    }
    if (statistics.count == 0) {
        statistics.minimum = statistics.maximum = 0.0;
        return statistics;
    }
    statistics.mean = sum / double(statistics.count);
    double squares = 0.0; // a second pass: no cancellation for values far from zero
    for (qsizetype i = 0; i < count; ++i) {
        if (std::isfinite(values[i]))
            squares += (double(values[i]) - statistics.mean) * (double(values[i]) - statistics.mean);
    }
    statistics.deviation = std::sqrt(squares / double(statistics.count));
    return statistics;
}

HistogramPlot::HistogramPlot(QWidget* parent) : QCustomPlot(parent)
{
    bars_ = new QCPBars(xAxis, yAxis);
    bars_->setWidthType(QCPBars::wtPlotCoords);
    bars_->setAntialiased(false);
    setAxisLabels(tr("Value"), tr("Count"));
    yAxis->setRange(0.0, 1.0);
    setMinimumSize(200, 150);
    applyPalette();
}

void HistogramPlot::setTensor(const mimo::TensorView& tensor)
{
    setValues(tensor.values.data(), qsizetype(tensor.values.size()));
}

void HistogramPlot::setValues(const float* values, qsizetype count)
{
    const ValueStatistics statistics = valueStatistics(values, count);
    if (statistics.count == 0) {
        clearValues();
        return;
    }
    double low = statistics.minimum, high = statistics.maximum;
    if (!(low < high)) { // one value: one bar of unit width around it
        low -= 0.5;
        high += 0.5;
    }
    const double width = (high - low) / bins_;
    QVector<double> centres(bins_), counts(bins_, 0.0);
    for (int bin = 0; bin < bins_; ++bin)
        centres[bin] = low + (bin + 0.5) * width;
    for (qsizetype i = 0; i < count; ++i) {
        if (!std::isfinite(values[i]))
            continue;
        const int bin = std::clamp(int(std::floor((double(values[i]) - low) / width)), 0, bins_ - 1);
        counts[bin] += 1.0;
    }
    bars_->setWidth(width);
    bars_->setData(centres, counts, true);
    xAxis->setRange(low - width, high + width);
    yAxis->setRange(0.0, *std::max_element(counts.begin(), counts.end()) * 1.05);
    replot(rpQueuedReplot);
}

void HistogramPlot::clearValues()
{
    bars_->data()->clear();
    xAxis->setRange(0.0, 1.0);
    yAxis->setRange(0.0, 1.0);
    replot(rpQueuedReplot);
}

ExportItem HistogramPlot::exportItem(const QString& name, const QString& title)
{
    if (bars_->data()->isEmpty()) {
        ExportItem empty; // no size: not valid
        empty.name = name;
        empty.title = title;
        return empty;
    }
    const QPointer<HistogramPlot> self(this);
    return plotExportItem(this, name, title, [self] { return self ? self->binsCsv() : QString(); });
}

QString HistogramPlot::binsCsv() const
{
    if (bars_->data()->isEmpty())
        return {};
    const double half = bars_->width() / 2.0;
    QString text = csvLine({QStringLiteral("bin_low"), QStringLiteral("bin_high"), QStringLiteral("count")});
    for (auto bar = bars_->data()->constBegin(); bar != bars_->data()->constEnd(); ++bar)
        text += csvLine({csvNumber(bar->key - half), csvNumber(bar->key + half), csvNumber(bar->value)});
    return text;
}

void HistogramPlot::setBinCount(int bins) { bins_ = std::clamp(bins, 1, 10000); }

void HistogramPlot::setAxisLabels(const QString& valueLabel, const QString& countLabel)
{
    xAxis->setLabel(valueLabel);
    yAxis->setLabel(countLabel);
    replot(rpQueuedReplot);
}

void HistogramPlot::changeEvent(QEvent* event)
{
    QCustomPlot::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
}

void HistogramPlot::applyPalette()
{
    plotstyle::applyPalette(this, palette()); // the look the other plots share
    QColor fill = plotstyle::seriesColor(palette(), 0);
    bars_->setPen(QPen(fill));
    fill.setAlpha(160);
    bars_->setBrush(fill);
    replot(rpQueuedReplot);
}
