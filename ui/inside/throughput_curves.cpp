#include "ui/inside/throughput_curves.h"

#include "ui/widgets/plot_style.h"
#include "ui/widgets/qcustomplot_no_keywords.h"

#include <QCoreApplication>

#include <algorithm>
#include <climits>
#include <cmath>

void drawCurves(QCustomPlot* accuracy, QCustomPlot* speedupPlot, const QList<CurveSeries>& series, const QPalette& pal)
{
    int nMin = INT_MAX, nMax = INT_MIN;
    for (int s = 0; s < series.size(); ++s) {
        const CurveSeries& curveData = series[s];
        const QColor colour = plotstyle::seriesColor(pal, s);
        const QCPScatterStyle scatter(QCPScatterStyle::ssCircle, QPen(colour, 1.5), pal.color(QPalette::Base), 7);
        QVector<double> t, x, y, minus, plus, n, speedup, xMinus, xPlus, sMinus, sPlus;
        for (std::size_t r = 0; r < curveData.rows.size(); ++r) {
            const mimo::EvalRow& row = curveData.rows[r];
            t << double(r);
            x << row.inputsPerSecond;
            y << 100.0 * row.accuracy;
            minus << 100.0 * (row.accuracy - row.ciLow);
            plus << 100.0 * (row.ciHigh - row.accuracy);
            n << row.n;
            speedup << row.speedup;
            // Results kept from before spreads were measured have none (low = high = 0).
            const bool spread = row.inputsPerSecondHigh > 0.0;
            xMinus << (spread ? row.inputsPerSecond - row.inputsPerSecondLow : 0.0);
            xPlus << (spread ? row.inputsPerSecondHigh - row.inputsPerSecond : 0.0);
            sMinus << (row.speedupHigh > 0.0 ? row.speedup - row.speedupLow : 0.0);
            sPlus << (row.speedupHigh > 0.0 ? row.speedupHigh - row.speedup : 0.0);
            nMin = std::min(nMin, row.n);
            nMax = std::max(nMax, row.n);
            plotstyle::addPointLabel(accuracy, row.inputsPerSecond, 100.0 * row.accuracy,
                                     QCoreApplication::translate("ThroughputView", "N=%1").arg(row.n), colour);
        }
        // The parametric curve joins the points in N order; it carries the legend entry.
        auto* curve = new QCPCurve(accuracy->xAxis, accuracy->yAxis);
        curve->setName(curveData.model);
        curve->setPen(QPen(colour, 2));
        curve->setScatterStyle(scatter);
        curve->setData(t, x, y, true);
        plotstyle::addValueErrorBars(accuracy->xAxis, accuracy->yAxis, x, y, minus, plus, colour);
        // Min-max of the timed rounds around their median, as `mimo bench` measures.
        plotstyle::addKeyErrorBars(accuracy->xAxis, accuracy->yAxis, x, y, xMinus, xPlus, colour);
        plotstyle::addValueErrorBars(speedupPlot->xAxis, speedupPlot->yAxis, n, speedup, sMinus, sPlus, colour);
        auto* graph = new QCPGraph(speedupPlot->xAxis, speedupPlot->yAxis);
        graph->setName(curveData.model);
        graph->setPen(QPen(colour, 2));
        graph->setScatterStyle(scatter);
        graph->setData(n, speedup);
    }
    if (nMin <= nMax && nMin > 0) {
        // Sampled densely so the line stays straight in data space on any axis scale.
        QVector<double> n;
        for (int i = 0; i <= 64; ++i)
            n << nMin * std::pow(double(nMax) / nMin, i / 64.0);
        auto* line = new QCPGraph(speedupPlot->xAxis, speedupPlot->yAxis);
        line->setName(QCoreApplication::translate("ThroughputView", "ideal (y = N)"));
        line->setPen(QPen(pal.color(QPalette::WindowText), 1, Qt::DashLine));
        line->setSelectable(QCP::stNone);
        line->setData(n, n, true);
    }
}

QString cautionText(const QList<CurveSeries>& series)
{
    QStringList cautions;
    for (const CurveSeries& curve : series)
        if (!curve.caution.isEmpty())
            cautions << (series.size() > 1 ? curve.model + QStringLiteral(": ") : QString()) + curve.caution;
    return cautions.isEmpty() ? QString()
                              : QCoreApplication::translate("ThroughputView", "Read these speeds with care. %1")
                                    .arg(cautions.join(QLatin1Char(' ')));
}
