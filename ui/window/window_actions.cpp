#include "ui/window/window_actions.h"

#include "ui/controller/edit_history.h"
#include "ui/panels/input_actions.h"
#include "ui/session/session_actions.h"

#include <QAction>
#include <QIcon>
#include <QKeySequence>
#include <QMenu>
#include <QMenuBar>
#include <QWidget>

namespace {

QAction* makeAction(QWidget* window, const QString& text, const QKeySequence& shortcut = {},
                    const QString& statusTip = {}, const QString& icon = {})
{
    auto* action = new QAction(icon.isEmpty() ? QIcon() : QIcon::fromTheme(icon), text, window);
    action->setShortcut(shortcut);
    action->setStatusTip(statusTip);
    return action;
}

} // namespace

WindowActions::WindowActions(QWidget* window) : QObject(window)
{
    open = makeAction(window, tr("&Open Model…"), QKeySequence::Open, tr("Open a model file (.pt)"),
                      QStringLiteral("document-open"));
    modelCard = makeAction(window, tr("Model &Card"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I),
                           tr("How the loaded model was trained and how well it does: its card"));
    screenshot = makeAction(window, tr("Save &Screenshot…"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S),
                            tr("Save a picture of the window (PNG)"));
    exportView = makeAction(window, tr("&Export View…"), {}, tr("Export a plot or heatmap as PNG, PDF or SVG"));
    exportAll = makeAction(window, tr("Export &All Views…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E),
                           tr("Every plot and heatmap as PNG, PDF and SVG, with its data (CSV), into one folder"));
    batch = makeAction(window, tr("&Batch Evaluation…"), QKeySequence(Qt::CTRL | Qt::Key_B),
                       tr("Accuracy and throughput of several models at several N over a dataset"));
    quit = makeAction(window, tr("&Quit"), QKeySequence::Quit, {}, QStringLiteral("application-exit"));

    loadKeys = makeAction(window, tr("&Load Keys…"));
    saveKeys = makeAction(window, tr("&Save Keys…"));
    resetKeys = makeAction(window, tr("&Reset to Trained Keys"), QKeySequence(Qt::CTRL | Qt::Key_R));

    tour = makeAction(window, tr("Guided &Tour"), QKeySequence(Qt::CTRL | Qt::Key_T),
                      tr("Bind, superpose, process, unbind, classify: one step at a time"));
    tour->setCheckable(true);
    present = makeAction(window, tr("&Presentation Mode"), QKeySequence(Qt::Key_F5),
                         tr("The guided tour full screen with large fonts, for lecture halls"));
    zoomIn = makeAction(window, tr("Zoom &In"), QKeySequence::ZoomIn);
    zoomOut = makeAction(window, tr("Zoom &Out"), QKeySequence::ZoomOut);
    fullScreen = makeAction(window, tr("&Full Screen"), QKeySequence::FullScreen);
    fullScreen->setCheckable(true);

    primer = makeAction(window, tr("What is a &MIMONet?"), {},
                        tr("Bind, superpose, process, unbind: the idea in one figure, with the paper and the docs"));
    shortcutHelp = makeAction(window, tr("&Keyboard Shortcuts"));
    about = makeAction(window, tr("&About MIMO Explorer"));
    aboutQt = makeAction(window, tr("About &Qt"));
}

QMenu* WindowActions::fillMenuBar(QMenuBar* bar, const Others& others) const
{
    QMenu* file = bar->addMenu(tr("&File"));
    file->addAction(open);
    QMenu* recent = file->addMenu(tr("Open &Recent"));
    file->addAction(modelCard);
    file->addAction(others.inputs->addInputs());
    file->addSeparator();
    file->addAction(others.sessions->openAction());
    file->addAction(others.sessions->saveAction());
    file->addAction(others.sessions->saveAsAction());
    file->addSeparator();
    file->addAction(exportView);
    file->addAction(exportAll);
    file->addAction(screenshot);
    file->addSeparator();
    file->addAction(quit);

    QMenu* edit = bar->addMenu(tr("&Edit"));
    edit->addAction(others.history->undoAction());
    edit->addAction(others.history->redoAction());

    QMenu* inputs = bar->addMenu(tr("&Inputs"));
    inputs->addAction(others.inputs->paste());
    inputs->addAction(others.inputs->samples());
    inputs->addAction(others.inputs->typeSequence());
    inputs->addAction(others.inputs->camera());
    inputs->addAction(others.inputs->clearSlot());

    QMenu* keys = bar->addMenu(tr("&Keys"));
    keys->addActions({loadKeys, saveKeys, resetKeys});

    QMenu* view = bar->addMenu(tr("&View"));
    view->addActions({tour, present});
    view->addSeparator();
    view->addActions({zoomIn, zoomOut, fullScreen});

    QMenu* evaluate = bar->addMenu(tr("E&valuate"));
    evaluate->addAction(batch);

    QMenu* help = bar->addMenu(tr("&Help"));
    help->addAction(primer);
    help->addSeparator();
    help->addActions({shortcutHelp, about, aboutQt});
    return recent;
}
