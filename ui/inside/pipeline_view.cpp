#include "ui/inside/pipeline_view.h"

#include "ui/export/export_menu.h"
#include "ui/widgets/fitting_label.h"
#include "ui/widgets/pipeline_diagram.h"

#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

namespace {

QString milliseconds(double value) { return QString::number(value, 'f', value < 10 ? 2 : 1); }

} // namespace

PipelineView::PipelineView(QWidget* parent)
    : QWidget(parent), summary_(new FittingLabel(3, this)), detail_(new FittingLabel(2, this)), message_(new QLabel(this)),
      scroll_(new QScrollArea(this)), diagram_(new PipelineDiagram)
{
    summary_->setObjectName(QStringLiteral("pipelineSummary"));
    message_->setWordWrap(true);
    message_->setAlignment(Qt::AlignCenter);
    scroll_->setObjectName(QStringLiteral("pipelineScroll"));
    scroll_->setFrameShape(QFrame::NoFrame);
    scroll_->setWidgetResizable(true);
    scroll_->setWidget(diagram_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(summary_);
    layout->addWidget(message_, 1);
    layout->addWidget(scroll_, 1);
    layout->addWidget(detail_);
    detail_->setObjectName(QStringLiteral("pipelineDetail"));
    connect(diagram_, &PipelineDiagram::stageHovered, this, &PipelineView::showDetail);
    connect(diagram_, &PipelineDiagram::stageClicked, this, [this](int stage) {
        const auto& stages = diagram_->report().stages;
        if (stage >= 0 && stage < int(stages.size()) && !stages[size_t(stage)].opens.empty())
            Q_EMIT openRequested(QString::fromStdString(stages[size_t(stage)].opens));
    });
    installExportMenu(diagram_, [this] { return diagram_->exportItem(); });
    clear(tr("Load a model and fill the slots to see its pipeline."));
}

void PipelineView::setReport(const mimo::PipelineReport& report)
{
    diagram_->setReport(report);
    const QString model = QString::fromStdString(report.model);
    const QString inputs = report.n == 1 ? tr("1 input") : tr("%1 inputs in one superposition").arg(report.n);
    const QString what = tr("%1: %2 (%3), %4, on %5.")
                             .arg(model, inputs, QString::fromStdString(report.grid), QString::fromStdString(report.keys),
                                  QString::fromStdString(report.device));
    const QString pass = tr("One forward pass of these inputs: %1 ms (%2 to %3 over %4 rounds).")
                             .arg(milliseconds(report.passMilliseconds), milliseconds(report.passLow),
                                  milliseconds(report.passHigh))
                             .arg(report.rounds);
    const QString how = tr("Bars: each stage's share of the pass, timed stage by stage with the device synchronised "
                           "at each (as mimo bench --breakdown); whiskers: lowest to highest round.");
    summary_->setTexts({what + QLatin1Char(' ') + pass + QLatin1Char(' ') + how, what + QLatin1Char(' ') + pass,
                        pass});
    message_->hide();
    summary_->show();
    scroll_->show();
    detail_->show();
    showDetail(-1);
}

void PipelineView::showDetail(int stage)
{
    const auto& report = diagram_->report();
    if (stage < 0 || stage >= int(report.stages.size())) {
        detail_->setTexts({tr("Point at a stage to see what it computes; click it to see its tensor.")});
        return;
    }
    const auto& s = report.stages[size_t(stage)];
    const QString what = QStringLiteral("%1: %2.").arg(QString::fromStdString(s.title), QString::fromStdString(s.operation));
    const QString shape = tr("Out: %1 (%2).").arg(diagram_->rowTexts(stage).value(1), QString::fromStdString(s.shapeMeaning));
    QString time;
    if (s.timing >= 0 && s.timing < int(report.timings.size())) {
        const auto& t = report.timings[size_t(s.timing)];
        QStringList with;
        for (int other = t.firstStage; other <= t.lastStage; ++other)
            if (other != stage)
                with << QString::fromStdString(report.stages[size_t(other)].title);
        time = tr("%1 % of the pass (%2 to %3 %), %4 ms")
                   .arg(100.0 * t.share, 0, 'f', 1)
                   .arg(100.0 * t.shareLow, 0, 'f', 1)
                   .arg(100.0 * t.shareHigh, 0, 'f', 1)
                   .arg(milliseconds(t.milliseconds));
        if (!with.isEmpty())
            time += tr(", timed together with %1").arg(with.join(QStringLiteral(", ")));
        time += QLatin1Char('.');
    }
    detail_->setTexts({what + QLatin1Char(' ') + shape + QLatin1Char(' ') + time, what + QLatin1Char(' ') + shape, what});
}

QString PipelineView::detailText() const { return detail_->fullText(); }

void PipelineView::clear(const QString& message)
{
    diagram_->clear();
    summary_->clearTexts();
    summary_->hide();
    scroll_->hide();
    detail_->hide();
    message_->setText(message);
    message_->show();
}

QString PipelineView::summaryText() const { return summary_->fullText(); }

QList<ExportItem> PipelineView::exportItems() const
{
    const ExportItem item = diagram_->exportItem();
    return item.isValid() ? QList<ExportItem>{item} : QList<ExportItem>{};
}
