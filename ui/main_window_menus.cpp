// The main window's actions and menus, with their shortcuts and status tips; what they do is
// wired in main_window.cpp or lives in the objects they call.
#include "ui/main_window.h"

#include "ui/batch_evaluation_dialog.h"
#include "ui/edit_history.h"
#include "ui/explorer_controller.h"
#include "ui/export_actions.h"
#include "ui/help_dialogs.h"
#include "ui/inside_panel.h"
#include "ui/input_actions.h"
#include "ui/message_bar.h"
#include "ui/recent_files.h"
#include "ui/session_actions.h"
#include "ui/tour_window.h"

#include <QAction>
#include <QApplication>
#include <QKeySequence>
#include <QMenu>
#include <QMenuBar>

void MainWindow::createActions()
{
    openAction_ = new QAction(QIcon::fromTheme(QStringLiteral("document-open")), tr("&Open Model…"), this);
    openAction_->setShortcut(QKeySequence::Open);
    openAction_->setStatusTip(tr("Open a model file (.pt)"));
    connect(openAction_, &QAction::triggered, this, &MainWindow::openModelDialog);

    screenshotAction_ = new QAction(tr("Save &Screenshot…"), this);
    screenshotAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S));
    screenshotAction_->setStatusTip(tr("Save a picture of the window (PNG)"));
    connect(screenshotAction_, &QAction::triggered, this, [this] { saveScreenshotWithDialog(this); });

    exportViewAction_ = new QAction(tr("&Export View…"), this);
    exportViewAction_->setStatusTip(tr("Export a plot or heatmap as PNG, PDF or SVG"));
    connect(exportViewAction_, &QAction::triggered, this, [this] {
        const QList<ExportItem> items = exportItems();
        if (items.isEmpty()) {
            messages_->showProblem(tr("Nothing to export yet"), tr("The views have no data yet: fill the slots or run an evaluation."));
            return;
        }
        exportWithDialog(this, items, inside_->currentTabExportIndex());
    });
    exportAllAction_ = new QAction(tr("Export &All Views…"), this);
    exportAllAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    exportAllAction_->setStatusTip(tr("Every plot and heatmap as PNG, PDF and SVG, with its data (CSV), into one folder"));
    connect(exportAllAction_, &QAction::triggered, this, [this] { exportAllWithDialog(this, exportItems(), this); });

    batchAction_ = new QAction(tr("&Batch Evaluation…"), this);
    batchAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    batchAction_->setStatusTip(tr("Accuracy and throughput of several models at several N over a dataset"));
    connect(batchAction_, &QAction::triggered, this, [this] {
        batchDialog_->show();
        batchDialog_->raise();
        batchDialog_->activateWindow();
    });

    quitAction_ = new QAction(QIcon::fromTheme(QStringLiteral("application-exit")), tr("&Quit"), this);
    quitAction_->setShortcut(QKeySequence::Quit);
    connect(quitAction_, &QAction::triggered, this, &QWidget::close);

    loadKeysAction_ = new QAction(tr("&Load Keys…"), this);
    connect(loadKeysAction_, &QAction::triggered, this, &MainWindow::loadKeysDialog);
    saveKeysAction_ = new QAction(tr("&Save Keys…"), this);
    connect(saveKeysAction_, &QAction::triggered, this, &MainWindow::saveKeysDialog);
    resetKeysAction_ = new QAction(tr("&Reset to Trained Keys"), this);
    resetKeysAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    connect(resetKeysAction_, &QAction::triggered, this, [this] { controller_->setKeys({}); });

    tourAction_ = new QAction(tr("Guided &Tour"), this);
    tourAction_->setCheckable(true);
    tourAction_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    tourAction_->setStatusTip(tr("Bind, superpose, process, unbind, classify: one step at a time"));
    connect(tourAction_, &QAction::toggled, this, &MainWindow::showTour);

    presentAction_ = new QAction(tr("&Presentation Mode"), this);
    presentAction_->setShortcut(QKeySequence(Qt::Key_F5));
    presentAction_->setStatusTip(tr("The guided tour full screen with large fonts, for lecture halls"));
    connect(presentAction_, &QAction::triggered, this, [this] {
        tourAction_->setChecked(true);
        tourWindow()->setPresenting(true);
    });

    zoomInAction_ = new QAction(tr("Zoom &In"), this);
    zoomInAction_->setShortcut(QKeySequence::ZoomIn);
    connect(zoomInAction_, &QAction::triggered, this, [this] { zoom(1.25); });
    zoomOutAction_ = new QAction(tr("Zoom &Out"), this);
    zoomOutAction_->setShortcut(QKeySequence::ZoomOut);
    connect(zoomOutAction_, &QAction::triggered, this, [this] { zoom(0.8); });

    fullScreenAction_ = new QAction(tr("&Full Screen"), this);
    fullScreenAction_->setShortcut(QKeySequence::FullScreen);
    fullScreenAction_->setCheckable(true);
    connect(fullScreenAction_, &QAction::toggled, this, [this](bool on) { on ? showFullScreen() : showNormal(); });
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(openAction_);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    recentModels_ = new RecentFiles(QStringLiteral("recent/models"), recentMenu_, this);
    connect(recentModels_, &RecentFiles::openRequested, this, [this](const QString& path) { controller_->loadModel(path); });
    file->addAction(inputs_->addInputs());
    file->addSeparator();
    file->addAction(sessions_->openAction());
    file->addAction(sessions_->saveAction());
    file->addAction(sessions_->saveAsAction());
    file->addSeparator();
    file->addAction(exportViewAction_);
    file->addAction(exportAllAction_);
    file->addAction(screenshotAction_);
    file->addSeparator();
    file->addAction(quitAction_);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(history_->undoAction());
    edit->addAction(history_->redoAction());

    QMenu* inputs = menuBar()->addMenu(tr("&Inputs"));
    inputs->addAction(inputs_->paste());
    inputs->addAction(inputs_->samples());
    inputs->addAction(inputs_->typeSequence());
    inputs->addAction(inputs_->clearSlot());

    QMenu* keys = menuBar()->addMenu(tr("&Keys"));
    keys->addAction(loadKeysAction_);
    keys->addAction(saveKeysAction_);
    keys->addAction(resetKeysAction_);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tourAction_);
    view->addAction(presentAction_);
    view->addSeparator();
    view->addAction(zoomInAction_);
    view->addAction(zoomOutAction_);
    view->addAction(fullScreenAction_);

    QMenu* evaluate = menuBar()->addMenu(tr("E&valuate"));
    evaluate->addAction(batchAction_);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard Shortcuts"), this, [this] { showShortcutHelp(this, menuBar()); });
    help->addAction(tr("&About MIMO Explorer"), this, [this] { showAboutBox(this, *controller_); });
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}
