#include "ui/inside/throughput_view.h"

#include "ui/inside/throughput_curves.h"

#include "ui/export/export_csv.h"
#include "ui/export/export_menu.h"
#include "ui/widgets/n_list.h"
#include "ui/widgets/plot_style.h"

#include "ui/widgets/qcustomplot_no_keywords.h"

#include <QCheckBox>
#include <QEvent>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMouseEvent>
#include <QPointer>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>

ThroughputView::ThroughputView(QWidget* parent) : QWidget(parent)
{
    models_ = new QListWidget;
    models_->setToolTip(tr("Models to evaluate"));
    // Every model listed, none scrolled away: the list sits in the tab's scroll area and must not
    // scroll on its own inside it.
    models_->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    models_->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    models_->setSizeAdjustPolicy(QAbstractScrollArea::AdjustToContents);
    models_->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    dataset_ = new QLineEdit;
    dataset_->setPlaceholderText(tr("e.g. fashion-mnist:test"));
    ns_ = new QLineEdit;
    ns_->setPlaceholderText(tr("e.g. 1, 2, 4"));
    limit_ = new QSpinBox;
    limit_->setRange(0, INT_MAX);
    limit_->setSingleStep(1000);
    limit_->setSuffix(tr(" items"));
    limit_->setSpecialValueText(tr("whole split"));
    batch_ = new QSpinBox;
    batch_->setRange(1, 65536);
    batch_->setValue(256);
    start_ = new QPushButton(tr("Start"));
    stop_ = new QPushButton(tr("Stop"));
    logX_ = new QCheckBox(tr("Log x"));
    logY_ = new QCheckBox(tr("Log y"));
    // Named: a session keeps them as view settings (view_settings.h).
    logX_->setObjectName(QStringLiteral("logX"));
    logY_->setObjectName(QStringLiteral("logY"));
    limit_->setObjectName(QStringLiteral("limit"));
    batch_->setObjectName(QStringLiteral("batch"));
    progress_ = new QProgressBar;
    status_ = new QLabel;
    status_->setWordWrap(true);
    caution_ = new QLabel;
    caution_->setWordWrap(true);
    caution_->setObjectName(QStringLiteral("speedCaution"));
    caution_->hide();
    source_ = new QLabel;
    source_->setObjectName(QStringLiteral("plotSource"));
    source_->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("Dataset:"), dataset_);
    form->addRow(tr("N values:"), ns_);
    form->addRow(tr("Limit:"), limit_);
    form->addRow(tr("Batch:"), batch_);
    auto* inputs = new QHBoxLayout;
    inputs->addWidget(models_, 1);
    inputs->addLayout(form, 1);
    auto* actions = new QHBoxLayout;
    for (QWidget* widget : std::initializer_list<QWidget*>{start_, stop_, logX_, logY_})
        actions->addWidget(widget);
    actions->addWidget(progress_, 1);
    actions->addWidget(status_, 2);

    accuracy_ = plotstyle::makePlot(tr("inputs per second"), tr("accuracy (%)"));
    speedup_ = plotstyle::makePlot(tr("N"), tr("speedup"));
    auto* splitter = new QSplitter(Qt::Horizontal);
    for (QCustomPlot* plot : {accuracy_, speedup_})
        splitter->addWidget(plot);
    splitter->setChildrenCollapsible(false);

    // One scroll area for the tab, the only one: below the slots the tab may be shorter than the
    // controls and two readable plots need. Taller, the plots take the height.
    auto* body = new QWidget;
    auto* bodyLayout = new QVBoxLayout(body);
    bodyLayout->addLayout(inputs);
    bodyLayout->addLayout(actions);
    bodyLayout->addWidget(source_);
    bodyLayout->addWidget(caution_);
    bodyLayout->addWidget(splitter, 1);
    auto* scroll = new QScrollArea(this);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    scroll->setWidget(body);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(scroll);
    replotTimer_ = new QTimer(this);
    replotTimer_->setSingleShot(true);
    replotTimer_->setInterval(100);
    connect(replotTimer_, &QTimer::timeout, this, &ThroughputView::replot);
    connect(start_, &QPushButton::clicked, this, &ThroughputView::requestEvaluation);
    connect(stop_, &QPushButton::clicked, this, &ThroughputView::stopRequested);
    connect(logX_, &QCheckBox::toggled, this, &ThroughputView::setLogX);
    connect(logY_, &QCheckBox::toggled, this, &ThroughputView::setLogY);
    // An edit makes the controls differ from the plotted run: the line above the plots says so.
    connect(models_, &QListWidget::itemChanged, this, &ThroughputView::updateSourceLine);
    for (QLineEdit* edit : {dataset_, ns_})
        connect(edit, &QLineEdit::textChanged, this, &ThroughputView::updateSourceLine);
    for (QSpinBox* spin : {limit_, batch_})
        connect(spin, &QSpinBox::valueChanged, this, &ThroughputView::updateSourceLine);
    for (QCustomPlot* plot : {accuracy_, speedup_}) {
        plot->installEventFilter(this);
        connect(plot, &QCustomPlot::mouseMove, this,
                [this, plot](QMouseEvent* event) { showReadout(plot, event->position().toPoint()); });
        installExportMenu(plot, [this, plot] { return plotItem(plot); });
    }

    applyScales();
    restyle();
    setRunning(false);
    updateSourceLine();
}

void ThroughputView::setModels(const QStringList& names, const QStringList& paths, const QString& currentPath)
{
    models_->clear();
    for (int i = 0; i < paths.size(); ++i) {
        const QString name = i < names.size() && !names[i].isEmpty() ? names[i] : QFileInfo(paths[i]).fileName();
        auto* item = new QListWidgetItem(name, models_);
        item->setData(Qt::UserRole, paths[i]);
        item->setToolTip(paths[i]);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(paths[i] == currentPath ? Qt::Checked : Qt::Unchecked);
    }
    updateSourceLine();
}

void ThroughputView::setDefaults(const QString& dataset, const std::vector<int>& ns)
{
    dataset_->setText(dataset);
    ns_->setText(formatNList(ns));
    updateSourceLine();
}

void ThroughputView::setRunning(bool running)
{
    start_->setEnabled(!running);
    stop_->setEnabled(running);
    progress_->setVisible(running);
}

void ThroughputView::setProgress(double fraction, const QString& text)
{
    progress_->setRange(0, 1000);
    progress_->setValue(int(std::lround(1000.0 * std::clamp(fraction, 0.0, 1.0))));
    status_->setText(text);
}

std::optional<mimo::BatchConfig> ThroughputView::configFromControls(QString* problem) const
{
    mimo::BatchConfig config;
    for (int i = 0; i < models_->count(); ++i)
        if (models_->item(i)->checkState() == Qt::Checked)
            config.models.push_back(models_->item(i)->data(Qt::UserRole).toString().toStdString());
    if (config.models.empty()) {
        *problem = tr("Check at least one model to evaluate.");
        return std::nullopt;
    }
    QString bad;
    config.ns = parseNList(ns_->text(), &bad);
    if (config.ns.empty()) {
        *problem = bad.isEmpty() ? tr("Enter at least one N, e.g. 1, 2, 4.")
                                 : tr("Cannot read the N values: \"%1\" is not a positive integer.").arg(bad);
        return std::nullopt;
    }
    config.dataset = dataset_->text().trimmed().toStdString();
    config.limit = std::size_t(limit_->value());
    config.batch = batch_->value();
    return config;
}

void ThroughputView::requestEvaluation()
{
    QString problem;
    const std::optional<mimo::BatchConfig> config = configFromControls(&problem);
    if (!config) {
        status_->setText(problem);
        return;
    }
    status_->clear();
    Q_EMIT evaluationRequested(*config);
}

void ThroughputView::setSeries(const QList<CurveSeries>& series)
{
    series_ = series;
    if (!replotTimer_->isActive())
        replotTimer_->start();
}

void ThroughputView::clear()
{
    series_.clear();
    flush();
}

QString ThroughputView::caution() const { return caution_->isHidden() ? QString() : caution_->text(); }

int ThroughputView::pointCount() const
{
    int count = 0;
    for (int i = 0; i < accuracy_->plottableCount(); ++i)
        if (auto* curve = qobject_cast<QCPCurve*>(accuracy_->plottable(i)))
            count += curve->dataCount();
    return count;
}

void ThroughputView::setLogX(bool on)
{
    const QSignalBlocker blocker(logX_);
    logX_->setChecked(on);
    applyScales();
}

void ThroughputView::setLogY(bool on)
{
    const QSignalBlocker blocker(logY_);
    logY_->setChecked(on);
    applyScales();
}

void ThroughputView::flush()
{
    replotTimer_->stop();
    rebuild();
    accuracy_->replot();
    speedup_->replot();
}

void ThroughputView::replot()
{
    rebuild();
    accuracy_->replot(QCustomPlot::rpQueuedReplot);
    speedup_->replot(QCustomPlot::rpQueuedReplot);
}

void ThroughputView::rebuild()
{
    drawn_ = series_;
    const QPalette pal = palette();
    for (QCustomPlot* plot : {accuracy_, speedup_}) {
        plot->clearItems();
        plot->clearPlottables();
    }
    drawCurves(accuracy_, speedup_, drawn_, pal);
    const QString caution = cautionText(drawn_);
    caution_->setText(caution);
    caution_->setVisible(!caution.isEmpty());
    accuracyReadout_ = plotstyle::addReadout(accuracy_, pal);
    speedupReadout_ = plotstyle::addReadout(speedup_, pal);
    rescale(accuracy_);
    rescale(speedup_);
}

void ThroughputView::rescale(QCustomPlot* plot)
{
    plotstyle::showLegendWhenFilled(plot);
    if (plot->plottableCount() == 0)
        return;
    plot->rescaleAxes();
    // Extra room on the right of the accuracy plot for the "N=…" labels.
    plotstyle::addMargin(plot->xAxis, 0.06, plot == accuracy_ ? 0.14 : 0.06);
    plotstyle::addMargin(plot->yAxis, 0.08, 0.10);
}

void ThroughputView::applyScales()
{
    const bool logX = logX_->isChecked(), logY = logY_->isChecked();
    plotstyle::setLogScale(accuracy_->xAxis, logX, 10.0);
    plotstyle::setLogScale(accuracy_->yAxis, logY, 10.0);
    plotstyle::setLogScale(speedup_->xAxis, logX, 2.0, 1.0); // N is an integer
    plotstyle::setLogScale(speedup_->yAxis, logY, 2.0);
    for (QCustomPlot* plot : {accuracy_, speedup_}) {
        rescale(plot);
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void ThroughputView::restyle()
{
    plotstyle::applyPalette(accuracy_, palette());
    plotstyle::applyPalette(speedup_, palette());
    replot(); // series colours and read-out colours come from the palette too
}

void ThroughputView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && accuracy_ && speedup_)
        restyle();
}

bool ThroughputView::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Leave && (watched == accuracy_ || watched == speedup_))
        plotstyle::hideReadout(watched == accuracy_ ? accuracyReadout_ : speedupReadout_);
    return QWidget::eventFilter(watched, event);
}

void ThroughputView::showReadout(QCustomPlot* plot, const QPoint& pos)
{
    const plotstyle::Readout& readout = plot == accuracy_ ? accuracyReadout_ : speedupReadout_;
    const bool logX = plot->xAxis->scaleType() == QCPAxis::stLogarithmic;
    const bool logY = plot->yAxis->scaleType() == QCPAxis::stLogarithmic;
    auto coords = [&](const mimo::EvalRow& row) {
        return plot == accuracy_ ? QPointF(row.inputsPerSecond, 100.0 * row.accuracy) : QPointF(row.n, row.speedup);
    };
    const CurveSeries* best = nullptr;
    const mimo::EvalRow* bestRow = nullptr;
    double bestDistance = std::numeric_limits<double>::max();
    for (const CurveSeries& series : drawn_) {
        for (const mimo::EvalRow& row : series.rows) {
            const QPointF p = coords(row);
            if ((logX && p.x() <= 0.0) || (logY && p.y() <= 0.0))
                continue;
            const double distance =
                std::hypot(plot->xAxis->coordToPixel(p.x()) - pos.x(), plot->yAxis->coordToPixel(p.y()) - pos.y());
            if (distance < bestDistance) {
                bestDistance = distance;
                best = &series;
                bestRow = &row;
            }
        }
    }
    if (!best || !plot->axisRect()->rect().contains(pos))
        return plotstyle::hideReadout(readout);
    const QPointF p = coords(*bestRow);
    plotstyle::showReadout(readout, p.x(), p.y(),
                           tr("%1, N=%2\n%3 % [%4, %5]\n%6 inputs/s, speedup %7x")
                               .arg(best->model)
                               .arg(bestRow->n)
                               .arg(100.0 * bestRow->accuracy, 0, 'f', 1)
                               .arg(100.0 * bestRow->ciLow, 0, 'f', 1)
                               .arg(100.0 * bestRow->ciHigh, 0, 'f', 1)
                               .arg(bestRow->inputsPerSecond, 0, 'f', 0)
                               .arg(bestRow->speedup, 0, 'f', 1));
}

QList<ExportItem> ThroughputView::exportItems() const
{
    const bool points = std::any_of(series_.begin(), series_.end(), [](const CurveSeries& series) { return !series.rows.empty(); });
    if (!points)
        return {};
    return {plotItem(accuracy_), plotItem(speedup_)};
}

ExportItem ThroughputView::plotItem(QCustomPlot* plot) const
{
    const bool accuracy = plot == accuracy_;
    // Drawing an export brings the plots up to date (as the coalesced replot would) and hides
    // the read-out the mouse left behind.
    const QPointer<ThroughputView> self(const_cast<ThroughputView*>(this));
    ExportItem item = plotExportItem(plot, accuracy ? QStringLiteral("throughput-accuracy") : QStringLiteral("throughput-speedup"),
                                     accuracy ? tr("Accuracy against inputs per second") : tr("Speedup against N"),
                                     [self] { return self ? self->seriesCsv() : QString(); });
    item.paint = [self, accuracy, draw = item.paint](QCPPainter& painter, const QRect& target) {
        if (!self)
            return;
        if (self->replotTimer_->isActive())
            self->flush();
        plotstyle::hideReadout(accuracy ? self->accuracyReadout_ : self->speedupReadout_);
        draw(painter, target);
    };
    return item;
}

QString ThroughputView::seriesCsv() const
{
    QString text = csvLine({QStringLiteral("model"), QStringLiteral("n"), QStringLiteral("count"), QStringLiteral("correct"),
                            QStringLiteral("accuracy"), QStringLiteral("ci_low"), QStringLiteral("ci_high"),
                            QStringLiteral("inputs_per_second"), QStringLiteral("speedup")});
    for (const CurveSeries& series : series_) {
        for (const mimo::EvalRow& row : series.rows)
            text += csvLine({series.model, QString::number(row.n), QString::number(qulonglong(row.count)),
                             QString::number(qulonglong(row.correct)), csvNumber(row.accuracy), csvNumber(row.ciLow),
                             csvNumber(row.ciHigh), csvNumber(row.inputsPerSecond), csvNumber(row.speedup)});
    }
    return text;
}

void ThroughputView::setSource(Source source, const mimo::BatchConfig& config)
{
    sourceKind_ = source;
    plotted_ = config;
    if (source == Source::Batch)
        showControls(config); // Start then runs here what the curves show
    updateSourceLine();
}

void ThroughputView::showControls(const mimo::BatchConfig& config)
{
    showing_ = true;
    {
        const QSignalBlocker blocker(models_);
        throughput_source::checkModels(models_, config.models);
    }
    std::vector<int> ns = config.ns;
    if (ns.empty()) { // "every N each model serves": the N values it gave
        for (const CurveSeries& series : series_)
            for (const mimo::EvalRow& row : series.rows)
                if (std::find(ns.begin(), ns.end(), row.n) == ns.end())
                    ns.push_back(row.n);
        std::sort(ns.begin(), ns.end());
        plotted_.ns = ns;
    }
    dataset_->setText(QString::fromStdString(config.dataset));
    ns_->setText(formatNList(ns));
    limit_->setValue(int(std::min<std::size_t>(config.limit, std::size_t(INT_MAX))));
    batch_->setValue(config.batch);
    showing_ = false;
}

bool ThroughputView::controlsMatchPlot() const
{
    QString problem;
    const std::optional<mimo::BatchConfig> controls = configFromControls(&problem);
    return controls && throughput_source::sameRun(*controls, plotted_);
}

QString ThroughputView::sourceText() const { return source_->text(); }

void ThroughputView::updateSourceLine()
{
    if (showing_)
        return;
    const bool points = std::any_of(series_.begin(), series_.end(), [](const CurveSeries& s) { return !s.rows.empty(); });
    source_->setText(throughput_source::describe(sourceKind_, plotted_, points,
                                                 controlsMatchPlot()));
    source_->setToolTip(plotted_.dataset.empty() ? QString() : tr("Dataset: %1").arg(QString::fromStdString(plotted_.dataset)));
}

QRectF ThroughputView::readoutRect(QCustomPlot* plot) const
{
    return plotstyle::readoutRect(plot == accuracy_ ? accuracyReadout_ : speedupReadout_);
}
