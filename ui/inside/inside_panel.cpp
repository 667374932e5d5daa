#include "ui/inside/inside_panel.h"

#include "ui/batch/evaluation_task.h"
#include "ui/controller/explorer_controller.h"
#include "ui/controller/inspection_requests.h"
#include "ui/inside/activations_view.h"
#include "ui/inside/attention_view.h"
#include "ui/inside/interference_view.h"
#include "ui/inside/pipeline_view.h"
#include "ui/inside/throughput_view.h"

#include <QFileInfo>
#include <QMap>

InsidePanel::InsidePanel(ExplorerController* controller, QWidget* parent)
    : QTabWidget(parent), controller_(controller), pipeline_(new PipelineView(this)),
      activations_(new ActivationsView(this)),
      interference_(new InterferenceView(this)), attention_(new AttentionView(this)),
      throughput_(new ThroughputView(this)), evaluation_(new EvaluationTask(this))
{
    // Named: the chain of names keys each control's view setting in a session.
    pipeline_->setObjectName(QStringLiteral("pipeline"));
    activations_->setObjectName(QStringLiteral("activations"));
    interference_->setObjectName(QStringLiteral("interference"));
    attention_->setObjectName(QStringLiteral("attention"));
    throughput_->setObjectName(QStringLiteral("throughput"));
    addTab(pipeline_, tr("Pipeline"));
    addTab(activations_, tr("Activations"));
    addTab(interference_, tr("Interference"));
    addTab(attention_, tr("Attention"));
    addTab(throughput_, tr("Accuracy and speed"));
    setTabToolTip(indexOf(pipeline_), tr("The model's stages with the shapes of the current inputs and the share of the "
                                         "forward time each takes"));
    setTabToolTip(indexOf(activations_), tr("Every layer in superposition beside the same layer for each input alone"));
    setTabToolTip(indexOf(interference_), tr("How much the inputs disturb each other after unbinding"));
    setTabToolTip(indexOf(attention_), tr("MIMOFormer: where a sequence attends in superposition and alone"));
    setTabToolTip(indexOf(throughput_), tr("Accuracy against throughput for several N, measured live"));
    pipeline_->clear(tr("Fill the slots to see the pipeline."));
    activations_->clear(tr("Fill the slots to see the activations."));
    interference_->clear(tr("Fill the slots to see the interference."));
    attention_->clear(tr("Attention maps belong to MIMOFormer models."));

    connect(this, &QTabWidget::currentChanged, this, &InsidePanel::askForCurrentTab);
    connect(&controller_->inspections(), &InspectionRequests::changed, this, &InsidePanel::showInspection);
    connect(controller_, &ExplorerController::modelChanged, this, &InsidePanel::showModel);
    connect(controller_, &ExplorerController::catalogChanged, this, &InsidePanel::showModel);
    connect(controller_, &ExplorerController::stateChanged, this, [this] {
        syncAttentionChoices();
        if (controller_->hasModel() && controller_->emptySlots() > 0) {
            const QString message = tr("Fill every slot to see inside the network.");
            pipeline_->clear(message);
            activations_->clear(message);
            interference_->clear(message);
            attention_->clear(message);
        }
    });
    connect(pipeline_, &PipelineView::openRequested, this, &InsidePanel::openStage);
    connect(attention_, &AttentionView::selectionChanged, &controller_->inspections(), &InspectionRequests::setAttentionSelection);

    connect(throughput_, &ThroughputView::evaluationRequested, this, [this](mimo::BatchConfig config) {
        config.device = controller_->hasModel() ? controller_->model().device : "cpu";
        QString problem;
        if (evaluation_->start(config, &problem)) {
            throughput_->setRunning(true);
            throughput_->setSeries({});
            throughput_->setProgress(0.0, tr("Starting…"));
        } else {
            throughput_->setProgress(0.0, problem);
        }
    });
    connect(throughput_, &ThroughputView::stopRequested, evaluation_, &EvaluationTask::stop);
    connect(evaluation_, &EvaluationTask::progressed, this,
            [this](const mimo::BatchResult& partial, double fraction, const QString& text) {
                throughput_->setSeries(curveSeries(partial));
                throughput_->setSource(ThroughputView::Source::Live, partial.config);
                throughput_->setProgress(fraction, text);
            });
    connect(evaluation_, &EvaluationTask::finished, this, [this](const mimo::BatchResult& result) {
        throughput_->setSeries(curveSeries(result));
        throughput_->setSource(ThroughputView::Source::Live, result.config);
        throughput_->setRunning(false);
        const QStringList errors = modelErrors(result);
        throughput_->setProgress(1.0, result.cancelled ? tr("Stopped") : tr("Done"));
        if (!errors.isEmpty())
            Q_EMIT controller_->problem(tr("Some models could not be evaluated"), errors.join('\n'));
        else if (result.cancelled)
            Q_EMIT controller_->info(tr("Evaluation stopped; the points measured so far stay"));
    });
    showModel();
}

void InsidePanel::showEvent(QShowEvent* event)
{
    QTabWidget::showEvent(event);
    askForCurrentTab();
}

void InsidePanel::hideEvent(QHideEvent* event)
{
    QTabWidget::hideEvent(event);
    controller_->inspections().setWanted(InspectionRequests::Kind::None);
}

void InsidePanel::askForCurrentTab()
{
    using Inspection = InspectionRequests::Kind;
    QWidget* tab = currentWidget();
    const Inspection which = !isVisible()            ? Inspection::None
                             : tab == pipeline_      ? Inspection::Pipeline
                             : tab == activations_   ? Inspection::Activations
                             : tab == interference_  ? Inspection::Interference
                             : tab == attention_     ? Inspection::Attention
                                                     : Inspection::None;
    controller_->inspections().setWanted(which);
    showInspection();
}

void InsidePanel::showInspection()
{
    if (!controller_->inspections().isCurrent())
        return; // a newer answer is on its way; the views keep the last one until it comes
    const bool conv = controller_->hasModel() && controller_->model().info.family() == mimo::ModelFamily::Conv;
    if (const auto* pipeline = controller_->inspections().pipeline()) {
        pipeline_->setReport(*pipeline);
        Q_EMIT pipelineShown(*pipeline);
    }
    if (const auto* report = controller_->inspections().activations())
        activations_->setReport(*report);
    else if (controller_->hasModel() && !conv)
        activations_->clear(tr("Layer activations are shown for MIMOConv models; for a MIMOFormer see the "
                               "Attention tab."));
    if (const auto* summary = controller_->inspections().interference())
        interference_->setSummary(*summary);
    if (const auto* maps = controller_->inspections().attentionMaps())
        attention_->setMaps(*maps);
    else if (controller_->hasModel() && conv)
        attention_->clear(tr("Attention maps belong to MIMOFormer models; this is a MIMOConv."));
}

bool InsidePanel::showView(const QString& name)
{
    const QMap<QString, QWidget*> views{{QStringLiteral("pipeline"), pipeline_},
                                        {QStringLiteral("activations"), activations_},
                                        {QStringLiteral("interference"), interference_},
                                        {QStringLiteral("attention"), attention_},
                                        {QStringLiteral("throughput"), throughput_}};
    if (!views.contains(name))
        return false;
    if (currentWidget() == views[name])
        showInspection(); // what is held is shown (and sent) again
    else
        setCurrentWidget(views[name]);
    return true;
}

void InsidePanel::openStage(const QString& where)
{
    const QStringList parts = where.split(QLatin1Char(':'));
    if (parts.value(0) == QLatin1String("activations") && isTabEnabled(indexOf(activations_))) {
        activations_->selectLayer(parts.value(1));
        if (parts.size() > 2)
            activations_->selectView(parts.value(2));
        setCurrentWidget(activations_);
    } else if (parts.value(0) == QLatin1String("attention") && isTabEnabled(indexOf(attention_))) {
        attention_->selectLayer(parts.value(1).toInt());
        setCurrentWidget(attention_);
    } else if (parts.value(0) == QLatin1String("interference")) {
        setCurrentWidget(interference_);
    }
}

void InsidePanel::showModel()
{
    QStringList names, paths;
    for (const auto& listing : controller_->catalog()) {
        names << QString::fromStdString(listing.card.name.empty() ? listing.path : listing.card.name);
        paths << QString::fromStdString(listing.path);
    }
    if (!controller_->hasModel()) {
        throughput_->setModels(names, paths, QString());
        return;
    }
    const auto& model = controller_->model();
    const QString current = QString::fromStdString(model.path);
    if (!paths.contains(current)) {
        names << QFileInfo(current).fileName();
        paths << current;
    }
    throughput_->setModels(names, paths, current);
    throughput_->setDefaults(controller_->sampleDataset(), model.info.supportedN());
    showTabsFor(model.info.family());
    // The previous model's figures go; the new ones follow its first run.
    pipeline_->clear(tr("Computing…"));
    activations_->clear(tr("Computing…"));
    interference_->clear(tr("Computing…"));
    attention_->clear(tr("Computing…"));
    syncAttentionChoices();
    showInspection();
}

void InsidePanel::showTabsFor(mimo::ModelFamily family)
{
    // A tab that cannot show anything for this family is disabled and says why; the other
    // family's model enables it again.
    const bool conv = family == mimo::ModelFamily::Conv;
    const int activations = indexOf(activations_), attention = indexOf(attention_);
    setTabEnabled(activations, conv);
    setTabToolTip(activations, conv ? tr("Every layer in superposition beside the same layer for each input alone")
                                    : tr("Layer activations are shown for MIMOConv models; this is a MIMOFormer "
                                         "(see the Attention tab)"));
    setTabEnabled(attention, !conv);
    setTabToolTip(attention, !conv ? tr("Where a sequence attends in superposition and alone")
                                   : tr("Attention maps belong to MIMOFormer models; this is a MIMOConv, which has "
                                        "no attention"));
}

void InsidePanel::syncAttentionChoices()
{
    if (!controller_->hasModel() || controller_->model().info.family() != mimo::ModelFamily::Former)
        return;
    const auto& former = controller_->model().info.former();
    attention_->setChoices(controller_->n(), former.layers, former.heads);
    // The combos may have fallen back to the first entries (fewer slots, layers or heads).
    controller_->inspections().setAttentionSelection(attention_->slot(), attention_->layer(), attention_->head());
}

QList<ExportItem> InsidePanel::exportItems() const
{
    return pipeline_->exportItems() + activations_->exportItems() + interference_->exportItems() +
           attention_->exportItems() + throughput_->exportItems();
}

int InsidePanel::currentTabExportIndex() const
{
    const std::pair<const QWidget*, QList<ExportItem>> tabs[] = {{pipeline_, pipeline_->exportItems()},
                                                                 {activations_, activations_->exportItems()},
                                                                 {interference_, interference_->exportItems()},
                                                                 {attention_, attention_->exportItems()},
                                                                 {throughput_, throughput_->exportItems()}};
    int index = 0;
    for (const auto& [tab, items] : tabs) {
        if (tab == currentWidget())
            return items.isEmpty() ? 0 : index;
        index += int(items.size());
    }
    return 0;
}
