#include "ui/window/main_window.h"

#include "core/model/model_catalog.h"
#include "core/runtime.h"
#include "ui/batch/batch_evaluation_dialog.h"
#include "ui/batch/batch_evaluation_form.h"
#include "ui/batch/evaluation_task.h"
#include "ui/controller/edit_history.h"
#include "ui/controller/explorer_controller.h"
#include "ui/controller/input_requests.h"
#include "ui/export/export_actions.h"
#include "ui/inside/activations_view.h"
#include "ui/inside/attention_view.h"
#include "ui/inside/inside_panel.h"
#include "ui/inside/interference_view.h"
#include "ui/inside/throughput_view.h"
#include "ui/panels/dropped_paths.h"
#include "ui/panels/input_actions.h"
#include "ui/panels/key_panel.h"
#include "ui/panels/model_panel.h"
#include "ui/panels/side_panel.h"
#include "ui/panels/slot_area.h"
#include "ui/panels/slot_grid.h"
#include "ui/session/recovery_copy.h"
#include "ui/session/session_actions.h"
#include "ui/widgets/device_label.h"
#include "ui/window/center_splitter.h"
#include "ui/window/dialog_directories.h"
#include "ui/window/field_undo.h"
#include "ui/window/help_dialogs.h"
#include "ui/window/message_bar.h"
#include "ui/window/presentation_keys.h"
#include "ui/window/mimonet_primer.h"
#include "ui/window/model_card_window.h"
#include "ui/window/recent_files.h"
#include "ui/window/tour_window.h"
#include "ui/window/welcome_banner.h"
#include "ui/window/window_actions.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QKeySequence>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QVBoxLayout>

#include <algorithm>

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), controller_(new ExplorerController(this))
{
    setWindowTitle(tr("MIMO Explorer[*]"));
    setAcceptDrops(true);

    modelPanel_ = new ModelPanel(controller_, this);
    keyPanel_ = new KeyPanel(controller_, this);
    sidePanel_ = new SidePanel({modelPanel_, keyPanel_}, this);

    messages_ = new MessageBar(this);
    slots_ = new SlotGrid(controller_, this);
    slotArea_ = new SlotArea(slots_, this);
    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(messages_);
    topLayout->addWidget(slotArea_, 1);
    inside_ = new InsidePanel(controller_, this);
    centerSplitter_ = new CenterSplitter(top, inside_, [this, top, topLayout] {
        const int messages = messages_->isHidden() ? 0 : messages_->sizeHint().height() + topLayout->spacing();
        const int welcome = !welcome_ || welcome_->isHidden() ? 0 : welcome_->heightForWidth(top->width()) + topLayout->spacing();
        return welcome + messages + slotArea_->preferredHeight();
    }, this);
    connect(slotArea_, &SlotArea::preferredHeightChanged, centerSplitter_, &CenterSplitter::fitTop);

    splitter_ = new QSplitter(this);
    splitter_->addWidget(sidePanel_);
    splitter_->addWidget(centerSplitter_);
    splitter_->setChildrenCollapsible(false);
    splitter_->setStretchFactor(1, 1);
    setCentralWidget(splitter_);

    inputs_ = new InputActions(controller_, slots_, messages_, this);
    history_ = new EditHistory(controller_, this);
    new FieldUndoRouting(this, controller_);
    // A success clears the problems reported before it (stamped with the state they came in).
    messages_->setClock([this] { return controller_->stateGeneration(); });
    connect(controller_, &ExplorerController::edited, this,
            [this] { messages_->clearProblemsBefore(controller_->stateGeneration()); });
    connect(controller_, &ExplorerController::resultChanged, this, [this] {
        if (controller_->resultIsCurrent())
            messages_->clearProblemsBefore(controller_->stateGeneration());
    });
    createBatchDialog();
    inside_->setObjectName(QStringLiteral("inside"));
    sessions_ = new SessionActions(
        controller_, {inside_}, messages_,
        {[this]() -> std::optional<mimo::BatchResult> {
             if (batchDialog_->result().models.empty())
                 return std::nullopt;
             mimo::BatchResult result = batchDialog_->result();
             if (batchDialog_->task()->running())
                 result.cancelled = true; // saved mid-run: partial, and says so when reopened
             return result;
         },
         [this](const mimo::BatchResult& result) { return batchDialog_->setResult(result); }},
        this);
    connect(sessions_, &SessionActions::saved, this, [this](const QString& path) {
        statusBar()->showMessage(tr("Saved the session to %1").arg(path), 5000);
        setWindowTitle(tr("%1[*] – MIMO Explorer").arg(QFileInfo(path).fileName()));
    });
    connect(sessions_, &SessionActions::sessionApplied, this, [this](const QString& path) {
        setWindowTitle(tr("%1[*] – MIMO Explorer").arg(QFileInfo(path).fileName()));
    });
    connect(sessions_, &SessionActions::modifiedChanged, this, &QWidget::setWindowModified);
    actions_ = new WindowActions(this);
    recentModels_ = new RecentFiles(QStringLiteral("recent/models"),
                                    actions_->fillMenuBar(menuBar(), {inputs_, sessions_, history_}), this);
    connectActions();
    statusDetails_ = new QLabel(this);
    busy_ = new QProgressBar(this);
    busy_->setRange(0, 0);
    busy_->setMaximumWidth(120);
    busy_->setVisible(false);
    statusBar()->addPermanentWidget(busy_);
    statusBar()->addPermanentWidget(statusDetails_);

    connect(modelPanel_, &ModelPanel::openRequested, this, &MainWindow::openModelDialog);
    connect(keyPanel_, &KeyPanel::loadFileRequested, this, &MainWindow::loadKeysDialog);
    connect(keyPanel_, &KeyPanel::saveRequested, this, &MainWindow::saveKeysDialog);
    connect(slots_, &SlotGrid::menuRequested, inputs_, &InputActions::showSlotMenu);
    connect(inputs_, &InputActions::pathsPasted, this, &MainWindow::openPaths); // like a drop
    connect(controller_, &ExplorerController::problem, this, [this](const QString& title, const QString& message) {
        messages_->showProblem(title, message);
        statusBar()->showMessage(title, 5000);
    });
    connect(controller_, &ExplorerController::info, this, [this](const QString& message) {
        statusBar()->showMessage(message, 5000);
    });
    connect(controller_, &ExplorerController::busyChanged, this, [this](bool busy, const QString& what) {
        busy_->setVisible(busy);
        if (busy && !what.isEmpty())
            statusBar()->showMessage(what + QStringLiteral("…"));
        else if (!busy)
            statusBar()->clearMessage();
    });
    // One report for every export, context menus included: written in the background.
    connect(ExportWriter::shared(), &ExportWriter::finished, this,
            [this](const QStringList& written, const QStringList& errors) {
                if (!errors.isEmpty())
                    messages_->showProblem(tr("Export failed"), errors.join('\n'));
                if (!written.isEmpty())
                    statusBar()->showMessage(written.size() == 1
                                                 ? tr("Saved %1").arg(written.first())
                                                 : tr("Exported %1 files to %2")
                                                       .arg(written.size())
                                                       .arg(QFileInfo(written.first()).absolutePath()),
                                             8000);
            });
    connect(controller_, &ExplorerController::catalogChanged, this, &MainWindow::chooseStartModel);
    connect(controller_, &ExplorerController::catalogChanged, this, [this] { batchDialog_->form()->setCatalog(controller_->catalog()); });
    connect(controller_, &ExplorerController::modelChanged, this, [this] {
        const QString path = QString::fromStdString(controller_->model().path);
        recentModels_->add(path);
        QSettings settings;
        settings.setValue(QStringLiteral("model/last"), QFileInfo(path).absoluteFilePath());
        settings.setValue(QStringLiteral("model/device"), QString::fromStdString(controller_->model().device));
        setWindowFilePath(path);
        batchDialog_->form()->setCurrentModel(path);
        batchDialog_->form()->setDevices(controller_->devices(), QString::fromStdString(controller_->model().device));
        messages_->clearProblemsBefore(controller_->stateGeneration());
        updateStatus();
        updateActions();
    });
    connect(controller_, &ExplorerController::stateChanged, this, &MainWindow::updateStatus);
    connect(controller_, &ExplorerController::resultChanged, this, [this] {
        updateStatus();
        if (tour_ && tour_->isVisible() && controller_->result() && controller_->resultIsCurrent())
            tour_->setSteps(controller_->result()->tour);
    });
    restoreSettings();
    updateStatus();
    updateActions();
}

void MainWindow::connectActions()
{
    connect(actions_->open, &QAction::triggered, this, &MainWindow::openModelDialog);
    connect(recentModels_, &RecentFiles::openRequested, this, [this](const QString& path) { controller_->loadModel(path); });
    connect(actions_->screenshot, &QAction::triggered, this, [this] { saveScreenshotWithDialog(this); });
    connect(actions_->exportView, &QAction::triggered, this, [this] {
        const QList<ExportItem> items = exportItems();
        if (items.isEmpty()) {
            messages_->showProblem(tr("Nothing to export yet"), tr("The views have no data yet: fill the slots or run an evaluation."));
            return;
        }
        exportWithDialog(this, items, inside_->currentTabExportIndex());
    });
    connect(actions_->exportAll, &QAction::triggered, this, [this] { exportAllWithDialog(this, exportItems(), this); });
    connect(actions_->batch, &QAction::triggered, this, [this] {
        batchDialog_->show();
        batchDialog_->raise();
        batchDialog_->activateWindow();
    });
    connect(actions_->quit, &QAction::triggered, this, &QWidget::close);
    connect(actions_->loadKeys, &QAction::triggered, this, &MainWindow::loadKeysDialog);
    connect(actions_->saveKeys, &QAction::triggered, this, &MainWindow::saveKeysDialog);
    connect(actions_->resetKeys, &QAction::triggered, this, [this] { controller_->setKeys({}); });
    connect(actions_->tour, &QAction::toggled, this, &MainWindow::showTour);
    // F5 enters and leaves, from the tour window too.
    actions_->present->setShortcutContext(Qt::ApplicationShortcut);
    connect(actions_->present, &QAction::triggered, this, [this] {
        actions_->tour->setChecked(true);
        tourWindow()->setPresenting(!tourWindow()->presenting());
    });
    presentationKeys_ = new PresentationKeys(this);
    connect(presentationKeys_, &PresentationKeys::stepRequested, this,
            [this](int delta) { delta > 0 ? tourWindow()->next() : tourWindow()->previous(); });
    connect(presentationKeys_, &PresentationKeys::leaveRequested, this, [this] { tourWindow()->setPresenting(false); });
    connect(presentationKeys_, &PresentationKeys::shuffleKeysRequested, keyPanel_, &KeyPanel::shuffle);
    connect(presentationKeys_, &PresentationKeys::nRequested, this, [this](int n) {
        const std::vector<int> served = controller_->hasModel() ? controller_->model().info.supportedN() : std::vector<int>{};
        if (std::find(served.begin(), served.end(), n) != served.end())
            controller_->setN(n);
        else
            statusBar()->showMessage(tr("This model does not serve N = %1").arg(n), 4000);
    });
    connect(actions_->zoomIn, &QAction::triggered, this, [this] { zoom(1.25); });
    connect(actions_->zoomOut, &QAction::triggered, this, [this] { zoom(0.8); });
    connect(actions_->fullScreen, &QAction::toggled, this, [this](bool on) { on ? showFullScreen() : showNormal(); });
    connect(actions_->modelCard, &QAction::triggered, this, [this] { ModelCardWindow::showFor(this, controller_); });
    connect(actions_->primer, &QAction::triggered, this, [this] { MimonetPrimer::showFor(this, actions_->tour); });
    connect(actions_->shortcutHelp, &QAction::triggered, this, [this] { showShortcutHelp(this, menuBar()); });
    connect(actions_->about, &QAction::triggered, this, [this] { showAboutBox(this, *controller_); });
    connect(actions_->aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
}

MainWindow::~MainWindow() = default;

void MainWindow::start(const QStringList& modelDirectories, const QString& model)
{
    started_ = false;
    startModel_ = model;
    controller_->refreshCatalog(modelDirectories);
}

void MainWindow::keepRecoveryCopy()
{
    if (!recovery_)
        recovery_ = new RecoveryCopy(sessions_, controller_, this);
}

void MainWindow::offerWelcome()
{
    if (welcome_ || !WelcomeBanner::wanted())
        return;
    welcome_ = new WelcomeBanner(actions_->tour, actions_->primer, this);
    static_cast<QVBoxLayout*>(centerSplitter_->widget(0)->layout())->insertWidget(0, welcome_);
}

void MainWindow::startWithSession(const QStringList& modelDirectories, const QString& session)
{
    started_ = false;
    startSession_ = session;
    controller_->refreshCatalog(modelDirectories);
}

void MainWindow::chooseStartModel()
{
    if (started_)
        return;
    started_ = true;
    if (!startSession_.isEmpty()) {
        sessions_->openFrom(startSession_); // a session that does not open says why
        return;
    }
    const QSettings settings;
    QString device = settings.value(QStringLiteral("model/device")).toString();
    if (!controller_->devices().contains(device))
        device = QStringLiteral("auto"); // saved on a machine (or a session) with another device
    if (!startModel_.isEmpty()) {
        controller_->loadModel(startModel_, device); // a missing file gets a message naming it
        return;
    }
    if (recovery_ && recovery_->offerRestore(this))
        return;
    const QString last = settings.value(QStringLiteral("model/last")).toString();
    if (!last.isEmpty() && QFileInfo::exists(last)) {
        controller_->loadModel(last, device);
        return;
    }
    const std::string fallback = mimo::defaultModelPath(controller_->catalog());
    if (!fallback.empty())
        controller_->loadModel(QString::fromStdString(fallback), device);
    else
        messages_->showProblem(tr("No bundled model found"),
                               tr("Open a model file (File > Open Model) or drop one on the window."));
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1200, 780);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    if (!splitter_->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray()))
        splitter_->setSizes({sidePanel_->preferredWidth(width()), std::max(400, width() - sidePanel_->preferredWidth(width()))});
    // The split between the slots and the tabs is not restored: it follows what the slots need
    // now (another N or model than last time), see CenterSplitter.
    slots_->setPreviewSize(settings.value(QStringLiteral("view/previewSize"), 112).toInt());
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/splitter"), splitter_->saveState());
    settings.setValue(QStringLiteral("view/previewSize"), slots_->previewSize());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (!sessions_->maybeSave()) {
        event->ignore();
        return;
    }
    saveSettings();
    if (tour_)
        tour_->close();
    event->accept();
}

void MainWindow::openModelDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open Model"), dialogDirectory(QStringLiteral("models")),
                                                      tr("Model files (*.pt *.pth);;All files (*)"));
    if (path.isEmpty())
        return;
    rememberDirectory(QStringLiteral("models"), path);
    controller_->loadModel(path);
}

void MainWindow::loadKeysDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Load Keys"), dialogDirectory(QStringLiteral("keys")),
                                                      tr("Key files (*.txt *.csv *.tsv);;All files (*)"));
    if (path.isEmpty()) {
        Q_EMIT controller_->stateChanged(); // the key panel shows the keys in use again
        return;
    }
    rememberDirectory(QStringLiteral("keys"), path);
    controller_->loadKeyFile(path);
}

void MainWindow::saveKeysDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Keys"), dialogDirectory(QStringLiteral("keys")),
                                                      tr("Key files (*.txt *.csv)"));
    if (path.isEmpty())
        return;
    rememberDirectory(QStringLiteral("keys"), path);
    controller_->saveKeys(path);
}

void MainWindow::createBatchDialog()
{
    batchDialog_ = new BatchEvaluationDialog(this);
    connect(batchDialog_, &BatchEvaluationDialog::progressed, this, [this](double fraction, const QString& text) {
        const bool running = fraction < 1.0;
        busy_->setVisible(running || controller_->busy());
        statusBar()->showMessage(running ? tr("Batch evaluation %1 %: %2").arg(qRound(100 * fraction)).arg(text) : text,
                                 running ? 0 : 8000);
    });
    connect(batchDialog_, &BatchEvaluationDialog::resultChanged, this, [this] {
        inside_->throughputView()->setSeries(curveSeries(batchDialog_->result()));
        inside_->throughputView()->setSource(ThroughputView::Source::Batch, batchDialog_->result().config);
    });
}

QList<ExportItem> MainWindow::exportItems() const
{
    return inside_->exportItems() + keyPanel_->exportItems();
}

bool MainWindow::layoutSettled() const
{
    return centerSplitter_->sizedByUser() || centerSplitter_->sizes().value(0) == centerSplitter_->fittedTop();
}

bool MainWindow::showInsideView(const QString& name) { return inside_->showView(name); }

TourWindow* MainWindow::tourWindow()
{
    if (!tour_) {
        tour_ = new TourWindow(this);
        tour_->installEventFilter(this);
        connect(tour_, &TourWindow::presentingChanged, presentationKeys_, &PresentationKeys::setPresenting);
        // The tour starts at the pipeline: the Pipeline tab computes it, for the tour as well.
        connect(tour_, &TourWindow::pipelineShown, this, [this] { inside_->showView(QStringLiteral("pipeline")); });
        connect(inside_, &InsidePanel::pipelineShown, tour_, &TourWindow::setPipeline);
    }
    return tour_;
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == tour_ && event->type() == QEvent::Hide && actions_->tour->isChecked())
        actions_->tour->setChecked(false);
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::showTour(bool visible)
{
    controller_->setTourWanted(visible);
    if (!visible) {
        if (tour_ && tour_->isVisible())
            tour_->hide();
        return;
    }
    TourWindow* tour = tourWindow();
    if (controller_->result())
        tour->setSteps(controller_->result()->tour);
    if (!tour->isVisible())
        tour->placeOnScreen(this);
    tour->show();
    tour->raise();
    tour->activateWindow();
}

void MainWindow::updateStatus()
{
    if (!controller_->hasModel()) {
        statusDetails_->setText(QString::fromStdString(mimo::computeBackendSummary()));
        return;
    }
    const auto& model = controller_->model();
    statusDetails_->setText(tr("%1 · N=%2 · %3 · %4")
                                .arg(QString::fromStdString(model.info.card.name.empty() ? model.path : model.info.card.name))
                                .arg(controller_->n())
                                .arg(QString::fromStdString(controller_->keys().describe()))
                                .arg(deviceLabel(QString::fromStdString(model.device))));
}

void MainWindow::updateActions()
{
    const bool model = controller_->hasModel();
    const bool keys = model && controller_->model().keysAdjustable;
    for (QAction* action : {actions_->tour, actions_->present, actions_->modelCard})
        action->setEnabled(model);
    inputs_->updateEnabled();
    for (QAction* action : {actions_->loadKeys, actions_->saveKeys, actions_->resetKeys})
        action->setEnabled(keys);
}

void MainWindow::zoom(double factor)
{
    slots_->setPreviewSize(int(slots_->previewSize() * factor));
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (!droppedPaths(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QStringList paths = droppedPaths(event->mimeData());
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    openPaths(paths, 0);
}

void MainWindow::openPaths(const QStringList& paths, int firstSlot)
{
    if (paths.size() == 1 && SessionActions::isSessionFile(paths.front())) {
        sessions_->openFrom(paths.front());
        return;
    }
    controller_->inputs().openPaths(paths, firstSlot);
}
