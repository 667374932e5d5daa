#pragma once
// A histogram of a tensor's values (e.g. one layer's activations) as bars in a QCustomPlot:
// the finite values counted in equal bins between their minimum and maximum. Colours come
// from the palette (plot_style.h) and follow it (light/dark). Also the summary statistics
// views show beside it.
#include "core/explore/explorer_types.h"
#include "ui/export/export_item.h"

#include <QString>
#include "ui/widgets/qcustomplot_no_keywords.h"

// Mean, standard deviation (population), minimum and maximum of the finite values.
struct ValueStatistics {
    qsizetype count = 0;     // finite values
    qsizetype nonFinite = 0; // NaN and infinities, left out
    double mean = 0.0, deviation = 0.0, minimum = 0.0, maximum = 0.0;
};
ValueStatistics valueStatistics(const float* values, qsizetype count);

class HistogramPlot : public QCustomPlot {
    Q_OBJECT
public:
    explicit HistogramPlot(QWidget* parent = nullptr);

    // Counts the tensor's finite values in binCount() bins and replots; no values: no bars.
    void setTensor(const mimo::TensorView& tensor);
    void setValues(const float* values, qsizetype count);
    void clearValues();
    void setBinCount(int bins); // for the next setTensor/setValues (default 40)
    int binCount() const { return bins_; }
    void setAxisLabels(const QString& valueLabel, const QString& countLabel);

    QCPBars* bars() const { return bars_; } // keys: bin centres, values: counts

    // The plot, with the bins (low edge, high edge, count) as CSV; not valid without bars.
    ExportItem exportItem(const QString& name, const QString& title);
    QString binsCsv() const;

protected:
    void changeEvent(QEvent* event) override; // palette changes restyle

private:
    void applyPalette();

    QCPBars* bars_ = nullptr;
    int bins_ = 40;
};
