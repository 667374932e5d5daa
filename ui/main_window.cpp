#include "ui/main_window.h"

#include "core/runtime.h"
#include "ui/empty_state_widget.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(tr("MIMO Explorer"));
    setCentralWidget(new EmptyStateWidget(this));
    createMenus();
    statusBar()->addPermanentWidget(new QLabel(QString::fromStdString(mimo::computeBackendSummary()), this));
    statusBar()->showMessage(tr("Ready"));
    restoreWindowState();
}

void MainWindow::createMenus()
{
    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    QAction* quit = fileMenu->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* viewMenu = menuBar()->addMenu(tr("&View"));
    fullScreenAction_ = viewMenu->addAction(tr("&Full Screen"));
    fullScreenAction_->setShortcut(QKeySequence::FullScreen);
    fullScreenAction_->setCheckable(true);
    connect(fullScreenAction_, &QAction::toggled, this,
            [this](bool on) { on ? showFullScreen() : showNormal(); });

    QMenu* helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About MIMO Explorer"), this, &MainWindow::showAbout);
    helpMenu->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

void MainWindow::restoreWindowState()
{
    QSettings settings;
    if (!restoreGeometry(settings.value("window/geometry").toByteArray()))
        resize(1100, 720);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    event->accept();
}

void MainWindow::showAbout()
{
    QMessageBox::about(this, tr("About MIMO Explorer"),
                       tr("<h3>MIMO Explorer %1</h3>"
                          "<p>Explore multiple-input multiple-output neural networks (MIMONets, Menet et al., "
                          "NeurIPS 2023): several inputs bound to keys, computed on in superposition, and "
                          "unbound into one result each.</p><p>%2</p>")
                           .arg(QString::fromStdString(mimo::projectVersion()),
                                QString::fromStdString(mimo::computeBackendSummary()).toHtmlEscaped()));
}
