#pragma once
// Live accuracy-throughput curves: an evaluation over a dataset split at several N (and
// optionally several models) fills the plots as batches complete. Left: accuracy (95 % Wilson
// interval as error bars) against inputs per second, one point per N, connected per model,
// labelled with N. Right: speedup against N with the ideal line y = N. Log scale on either
// axis, legend, crosshair read-out of the nearest point, redraws coalesced while data streams
// in, colours from the palette (re-coloured on a light/dark change). The controls above ask
// for an evaluation; the evaluation itself runs elsewhere (the main window's evaluation task)
// and feeds setSeries(); a batch evaluation can feed it the same way. A line above the plots says
// where the plotted results come from (this tab's live run or the batch evaluation) and whether
// the controls still show what was run; results from a batch evaluation set the controls to its
// settings, so they never silently disagree with the curves.
#include "core/explore/batch_evaluation.h"
#include "ui/inside/throughput_curves.h"
#include "ui/export/export_item.h"
#include "ui/inside/throughput_source.h"
#include "ui/widgets/plot_style.h"

#include <QList>
#include <QRectF>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <optional>
#include <vector>

class QCheckBox;
class QCustomPlot;
class QLabel;
class QLineEdit;
class QListWidget;
class QProgressBar;
class QPushButton;
class QPoint;
class QSpinBox;
class QTimer;


class ThroughputView : public QWidget {
    Q_OBJECT
public:
    using Source = throughput_source::Kind; // where the plotted results come from: None, Live, Batch

    explicit ThroughputView(QWidget* parent = nullptr);

    // The models offered for the evaluation (the current one is checked) and the defaults.
    void setModels(const QStringList& names, const QStringList& paths, const QString& currentPath);
    void setDefaults(const QString& dataset, const std::vector<int>& ns);
    void setRunning(bool running);
    void setProgress(double fraction, const QString& text); // fraction of the work done, 0..1

    void setSeries(const QList<CurveSeries>& series); // replaces the data; the replot is coalesced
    const QList<CurveSeries>& series() const { return series_; }
    void clear();
    int pointCount() const;         // points drawn in the accuracy plot (after the pending replot)
    void setLogX(bool on);
    void setLogY(bool on);
    void flush();                   // replot now (tests, export)

    // The results plotted come from `source`, run with `config`: the line above the plots says
    // so, and for a batch evaluation the controls take its settings.
    void setSource(Source source, const mimo::BatchConfig& config = {});
    Source source() const { return sourceKind_; }
    QString sourceText() const;
    bool controlsMatchPlot() const; // the controls would run what is plotted

    QCustomPlot* accuracyPlot() const { return accuracy_; }
    QCustomPlot* speedupPlot() const { return speedup_; }
    // The nearest-point read-out's box in the plot's pixels (empty while hidden).
    QRectF readoutRect(QCustomPlot* plot) const;

    // The accuracy and the speedup plot, each with one CSV line per model and N (accuracy,
    // interval, inputs per second, speedup); none before the first point.
    QList<ExportItem> exportItems() const;
    QString seriesCsv() const;
    QString caution() const;        // the caution on screen; empty when hidden

Q_SIGNALS:
    // Models, dataset, N values, limit and batch from the controls; the keys are the trained
    // ones, and the device is the receiver's to fill in (the controller's).
    void evaluationRequested(const mimo::BatchConfig& config);
    void stopRequested();

protected:
    void changeEvent(QEvent* event) override; // palette changes re-colour the plots

private:
    bool eventFilter(QObject* watched, QEvent* event) override; // hides the read-out on leave
    void replot();
    void rebuild();                 // plottables from series_, then rescale (no replot)
    void rescale(QCustomPlot* plot);
    void applyScales();             // from the Log x / Log y check boxes, then rescale
    void restyle();
    void requestEvaluation();
    // The evaluation the controls describe; nullopt (and `problem` says why) when they cannot.
    std::optional<mimo::BatchConfig> configFromControls(QString* problem) const;
    void showControls(const mimo::BatchConfig& config); // models checked, dataset, N, limit, batch
    void updateSourceLine();
    void showReadout(QCustomPlot* plot, const QPoint& pos); // nearest point, in pixels
    ExportItem plotItem(QCustomPlot* plot) const;

    QList<CurveSeries> series_;
    QList<CurveSeries> drawn_;      // what the plots show (series_ as of the last rebuild)
    plotstyle::Readout accuracyReadout_;
    plotstyle::Readout speedupReadout_;
    QListWidget* models_ = nullptr;
    QLineEdit* dataset_ = nullptr;
    QLineEdit* ns_ = nullptr;
    QSpinBox* limit_ = nullptr;
    QSpinBox* batch_ = nullptr;
    QPushButton* start_ = nullptr;
    QPushButton* stop_ = nullptr;
    QCheckBox* logX_ = nullptr;
    QCheckBox* logY_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* status_ = nullptr;
    QLabel* caution_ = nullptr;     // shown while a drawn series carries a caution
    QLabel* source_ = nullptr;
    Source sourceKind_ = Source::None;
    mimo::BatchConfig plotted_;     // the settings of the results plotted
    bool showing_ = false;          // showControls() at work: not an edit
    QCustomPlot* accuracy_ = nullptr;
    QCustomPlot* speedup_ = nullptr;
    QTimer* replotTimer_ = nullptr;
};
