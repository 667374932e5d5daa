// "Seeing inside" on the offscreen platform: each view receives the data of the current inputs
// (not just exists), follows N changes, and the live accuracy-throughput curve fills, stops
// and keeps its points.
#include "explorer_fixtures.h"

#include "ui/batch/evaluation_task.h"
#include "ui/export/export_dialog.h"
#include "ui/export/export_rendering.h"
#include "ui/export/export_writer.h"
#include "ui/inside/activations_view.h"
#include "ui/inside/attention_view.h"
#include "ui/inside/channel_comparison.h"
#include "ui/inside/inside_panel.h"
#include "ui/inside/interference_view.h"
#include "ui/inside/throughput_view.h"
#include "ui/panels/key_panel.h"
#include "ui/window/message_bar.h"
#include "ui/widgets/matrix_heatmap_widget.h"
#include "ui/widgets/tensor_view_widget.h"

#include <QApplication>
#include <QClipboard>
#include <QMenu>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>

#include "ui/widgets/qcustomplot_no_keywords.h"

// Error-bar plottables of one direction in a plot.
static int errorBarsOf(QCustomPlot* plot, QCPErrorBars::ErrorType type)
{
    int count = 0;
    for (int i = 0; i < plot->plottableCount(); ++i)
        if (auto* bars = qobject_cast<QCPErrorBars*>(plot->plottable(i)); bars && bars->errorType() == type)
            ++count;
    return count;
}

using namespace explorer_fixtures;

class InsideViewsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void activationsFollowTheSlotsAndN();
    void interferenceOfNOneAndOfCopies();
    void attentionMapsForTheChosenSequence();
    void liveCurveFillsStopsAndKeepsItsPoints();
    void plotsRecolourWithThePalette();
    void everyViewExportsThroughItsMenuWhilePlotsReplot();

private:
    std::unique_ptr<MainWindow> windowWith(const QString& modelDirectory, bool fillSlots);
    bool waitForInspection(MainWindow& window);
    void saveShot(MainWindow& window, const QString& name);

    QTemporaryDir settingsDir_;
    QTemporaryDir dir_;
    QString convDir_, formerDir_, dataset_;
};

void InsideViewsTest::initTestCase()
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
    QCoreApplication::setOrganizationName("MIMO Explorer Tests");
    QCoreApplication::setApplicationName("test_inside_views");
    convDir_ = dir_.filePath("conv");
    formerDir_ = dir_.filePath("former");
    QDir().mkpath(convDir_);
    QDir().mkpath(formerDir_);
    writeConvModel(convDir_ + "/tiny-conv.pt", 12, 1, 8);
    writeFormerModel(formerDir_ + "/tiny-former.pt");
    // An image-folder dataset with the tiny model's three classes.
    dataset_ = dir_.filePath("data");
    int seed = 0;
    for (const char* name : {"dark", "bright", "striped"}) {
        QDir().mkpath(dataset_ + "/" + name);
        for (int i = 0; i < 8; ++i)
            writeImage(QString("%1/%2/%3.png").arg(dataset_, name).arg(i), seed++);
    }
}

void InsideViewsTest::init()
{
    QSettings().clear();
}

std::unique_ptr<MainWindow> InsideViewsTest::windowWith(const QString& modelDirectory, bool fillSlots)
{
    auto window = std::make_unique<MainWindow>();
    window->resize(1200, 900);
    window->show();
    window->start({modelDirectory});
    if (!QTest::qWaitFor([&] { return window->controller()->hasModel(); }, 30000))
        qWarning("the model did not load");
    waitUntilIdle(*window);
    if (fillSlots) {
        drop(window.get(), {dataset_});
        if (!QTest::qWaitFor([&] { return window->controller()->resultIsCurrent(); }, 30000))
            qWarning("no result");
    }
    return window;
}

void InsideViewsTest::saveShot(MainWindow& window, const QString& name)
{
    QTest::qWait(50);
    QCoreApplication::sendPostedEvents();
    const QImage shot = window.grab().toImage();
    QVERIFY(hasVisibleContent(shot));
    QVERIFY(shot.save(QDir(QCoreApplication::applicationDirPath()).filePath(name)));
}

bool InsideViewsTest::waitForInspection(MainWindow& window)
{
    auto* controller = window.controller();
    return QTest::qWaitFor([&] { return controller->resultIsCurrent() && controller->inspections().isCurrent(); }, 30000);
}

void InsideViewsTest::activationsFollowTheSlotsAndN()
{
    auto window = windowWith(convDir_, true);
    auto* controller = window->controller();
    InsidePanel* inside = window->insidePanel();
    inside->setCurrentWidget(inside->activationsView());
    QVERIFY(waitForInspection(*window));
    ActivationsView* view = inside->activationsView();
    QVERIFY(controller->inspections().activations());
    QCOMPARE(controller->inspections().activations()->n, 4);
    // The slots hold the first four files of the dataset folder: the stem outputs drawn are theirs.
    QCOMPARE(view->currentLayer(), QString("Binding step"));
    view->selectView("Superposition");
    QCOMPARE(view->shownTensor().shape, (std::vector<int64_t>{8, 12, 12}));
    QCOMPARE(view->shownTensor().values, controller->inspections().activations()->superposition.values);
    view->selectLayer("layer1");
    view->selectView("Each input alone");
    QCOMPARE(view->shownTensor().shape.front(), int64_t(4));
    view->selectChannel(3);
    QCOMPARE(view->enlargedChannel().shape, (std::vector<int64_t>{12, 12}));
    QVERIFY(view->statisticsText().contains("mean"));
    QVERIFY(view->histogram()->plottableCount() >= 1);
    // The selected channel side by side: superposition, each input alone, each slot alone in
    // the superposition, the difference; one colour range for all.
    const QStringList panels = view->comparison()->panelLabels();
    QCOMPARE(panels.size(), 10);
    QCOMPARE(panels.first(), QString("superposition"));
    QCOMPARE(panels.last(), QString("difference"));

    // N = 2: one redraw later the views hold two slots, and the layer and view chosen stay.
    controller->setN(2);
    QVERIFY(QTest::qWaitFor([&] {
        return controller->inspections().isCurrent() && controller->inspections().activations() && controller->inspections().activations()->n == 2;
    }, 30000));
    QCOMPARE(view->currentLayer(), QString("layer1"));
    QCOMPARE(view->currentView(), QString("Each input alone"));
    QCOMPARE(view->shownTensor().shape.front(), int64_t(2));
}

void InsideViewsTest::interferenceOfNOneAndOfCopies()
{
    auto window = windowWith(convDir_, true);
    auto* controller = window->controller();
    InsidePanel* inside = window->insidePanel();
    inside->setCurrentWidget(inside->interferenceView());
    controller->setN(1);
    QVERIFY(QTest::qWaitFor([&] {
        return controller->inspections().isCurrent() && controller->inspections().interference() && controller->inspections().interference()->n == 1;
    }, 30000));
    const auto& one = inside->interferenceView()->summary();
    QVERIFY(qAbs(one.featureCosine.at(0) - 1.0) < 1e-5); // N = 1: the feature alone, exactly
    QCOMPARE(inside->interferenceView()->influenceView()->matrix().shape, (std::vector<int64_t>{1, 1}));

    // N identical copies: a 4 x 4 influence matrix reaches the view.
    controller->setN(4);
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent() && controller->n() == 4; }, 30000));
    const QString image = dataset_ + "/bright/0.png";
    controller->inputs().openPaths({image, image, image, image}, 0);
    QVERIFY(QTest::qWaitFor([&] {
        const auto inputs = controller->slotInputs();
        return controller->inspections().isCurrent() && controller->inspections().interference() && controller->inspections().interference()->n == 4 &&
               inputs[3] && inputs[3]->source.path == image.toStdString();
    }, 30000));
    const auto& copies = inside->interferenceView()->summary();
    QCOMPARE(inside->interferenceView()->influenceView()->matrix().shape, (std::vector<int64_t>{4, 4}));
    QCOMPARE(copies.featureCosine.size(), size_t(4));
    QVERIFY(copies.hasKeyInterference);
    QVERIFY(inside->interferenceView()->keyPlot()->isVisible());
    QVERIFY(inside->interferenceView()->slotPlot()->plottableCount() >= 2);
    saveShot(*window, "interference-view.png");
}

void InsideViewsTest::attentionMapsForTheChosenSequence()
{
    auto window = windowWith(formerDir_, false);
    auto* controller = window->controller();
    controller->inputs().setInputs(typedSequences({"[MAX 2 9 ]", "[MIN 4 7 [MAX 1 2 ] ]", "[SM 3 3 ]", "[MED 1 5 8 ]"}), 0);
    QVERIFY(QTest::qWaitFor([&] {
        return controller->resultIsCurrent() && controller->slotInputs()[1]->prepared.text == "[MIN 4 7 [MAX 1 2 ] ]";
    }, 30000));
    InsidePanel* inside = window->insidePanel();
    inside->setCurrentWidget(inside->attentionView());
    QVERIFY(waitForInspection(*window));
    QVERIFY(controller->inspections().attentionMaps());
    QCOMPARE(controller->inspections().attentionMaps()->slot, 0);
    controller->inspections().setAttentionSelection(1, 0, 1);
    QVERIFY(QTest::qWaitFor([&] { return controller->inspections().attentionMaps() && controller->inspections().attentionMaps()->slot == 1; }, 30000));
    const auto& maps = inside->attentionView()->maps();
    QCOMPARE(maps.slot, 1);
    QCOMPARE(maps.head, 1);
    QCOMPARE(maps.length, 8);
    QCOMPARE(maps.superposed.shape, (std::vector<int64_t>{8, 8}));
    saveShot(*window, "attention-view.png"); // a tiny model; docs/images has the bundled ones (test_attention_view)
    // The MIMOFormer's score interference reaches the Interference tab too.
    inside->setCurrentWidget(inside->interferenceView());
    QVERIFY(QTest::qWaitFor([&] { return controller->inspections().interference() && controller->inspections().isCurrent(); }, 30000));
    QCOMPARE(inside->interferenceView()->summary().scoreInterference.size(), size_t(2)); // 1 layer x 2 heads
    // ... and exports as a table with its data, one row per layer and head.
    bool exported = false;
    for (const ExportItem& item : inside->interferenceView()->exportItems())
        if (item.name == "interference-scores") {
            exported = true;
            QVERIFY(item.isValid());
            QCOMPARE(item.csvText().count('\n'), 1 + 2);
            QVERIFY(!renderPng(item, QSize(400, 200), 96).isEmpty());
        }
    QVERIFY(exported);
}

void InsideViewsTest::liveCurveFillsStopsAndKeepsItsPoints()
{
    auto window = windowWith(convDir_, false);
    InsidePanel* inside = window->insidePanel();
    inside->setCurrentWidget(inside->throughputView());
    ThroughputView* view = inside->throughputView();
    EvaluationTask* task = inside->evaluation();
    QSignalSpy finished(task, &EvaluationTask::finished);

    mimo::BatchConfig request;
    request.models = {(convDir_ + "/tiny-conv.pt").toStdString()};
    request.dataset = ("images:" + dataset_).toStdString();
    request.ns = {1, 2, 4};
    request.batch = 4;
    Q_EMIT view->evaluationRequested(request);
    QVERIFY(task->running());
    QVERIFY(finished.wait(60000));
    QVERIFY(!task->running());
    QCOMPARE(task->result().cancelled, false);
    QVERIFY(modelErrors(task->result()).isEmpty());
    view->flush();
    QCOMPARE(view->series().size(), 1);
    QCOMPARE(view->series()[0].rows.size(), size_t(3));
    QCOMPARE(view->pointCount(), 3); // one point per N
    saveShot(*window, "throughput-view.png");
    for (const auto& row : view->series()[0].rows) {
        QCOMPARE(row.count, size_t(24));
        QVERIFY(row.inputsPerSecond > 0);
        QVERIFY(row.ciLow <= row.accuracy && row.accuracy <= row.ciHigh);
        QCOMPARE(row.rounds, 6); // 24 items in batches of 4, after an untimed warm-up
        QVERIFY(row.inputsPerSecondLow <= row.inputsPerSecond && row.inputsPerSecond <= row.inputsPerSecondHigh);
        QVERIFY(row.speedupLow <= row.speedup && row.speedup <= row.speedupHigh);
    }
    // Each point carries whiskers for its rounds' spread: throughput across, speedup up and down.
    QCOMPARE(errorBarsOf(view->accuracyPlot(), QCPErrorBars::etKeyError), 1);
    QCOMPARE(errorBarsOf(view->speedupPlot(), QCPErrorBars::etValueError), 1);
    const std::string caution = mimo::speedCaution(task->result().models[0].report);
    QCOMPARE(view->caution(), caution.empty() ? QString() : "Read these speeds with care. " + QString::fromStdString(caution));

    // Stopped after the first batch: the partial curve stays.
    request.batch = 1;
    request.ns = {1, 4};
    bool stopped = false;
    connect(task, &EvaluationTask::progressed, this, [&] {
        if (!stopped) {
            stopped = true;
            task->stop();
        }
    });
    Q_EMIT view->evaluationRequested(request);
    QVERIFY(finished.wait(60000));
    QCOMPARE(task->result().cancelled, true);
    view->flush();
    QCOMPARE(view->series().size(), 1);
    QVERIFY(!view->series()[0].rows.empty());
    QVERIFY(view->series()[0].rows.front().count < 24);
    QVERIFY(view->pointCount() >= 1);
    const int rounds = view->series()[0].rows.front().rounds;
    if (rounds < 3) // too few to judge a spread, and the view says so
        QVERIFY2(view->caution().contains(QStringLiteral("Only %1 round").arg(rounds)), qPrintable(view->caution()));

    // A model that cannot be evaluated on this data is reported; the others still run.
    request.models = {(formerDir_ + "/tiny-former.pt").toStdString(), (convDir_ + "/tiny-conv.pt").toStdString()};
    request.ns = {1, 2};
    request.batch = 8;
    Q_EMIT view->evaluationRequested(request);
    QVERIFY(finished.wait(60000));
    const QStringList errors = modelErrors(task->result());
    QCOMPARE(errors.size(), 1);
    QVERIFY(errors.front().contains("tiny-former.pt"));
    view->flush();
    QCOMPARE(view->series().size(), 1);
    QCOMPARE(view->pointCount(), 2);
}

void InsideViewsTest::plotsRecolourWithThePalette()
{
    ThroughputView view;
    view.show();
    QPalette dark = view.palette();
    dark.setColor(QPalette::Window, QColor(30, 30, 30));
    dark.setColor(QPalette::Base, QColor(20, 20, 20));
    dark.setColor(QPalette::WindowText, QColor(230, 230, 230));
    dark.setColor(QPalette::Text, QColor(230, 230, 230));
    view.setPalette(dark);
    QTest::qWait(20);
    QCOMPARE(view.accuracyPlot()->xAxis->basePen().color(), QColor(230, 230, 230));
    QPalette light = dark;
    light.setColor(QPalette::WindowText, QColor(10, 10, 10));
    light.setColor(QPalette::Text, QColor(10, 10, 10));
    view.setPalette(light);
    QTest::qWait(20);
    QCOMPARE(view.accuracyPlot()->xAxis->basePen().color(), QColor(10, 10, 10));

    // Heatmaps: the neutral colour of a diverging map comes from the palette's base colour.
    TensorViewWidget heatmap;
    mimo::TensorView signedValues;
    signedValues.shape = {2, 2};
    signedValues.values = {-1.0f, 0.0f, 0.0f, 1.0f};
    heatmap.setTensor(signedValues);
    heatmap.resize(200, 120);
    QPalette lightBase = light;
    lightBase.setColor(QPalette::Base, QColor(245, 245, 245));
    heatmap.setPalette(lightBase);
    const QImage onLight = heatmap.grab().toImage();
    QPalette darkBase = lightBase;
    darkBase.setColor(QPalette::Base, QColor(20, 20, 20));
    heatmap.setPalette(darkBase);
    const QImage onDark = heatmap.grab().toImage();
    QVERIFY(onLight != onDark);
}

namespace {

// Right-clicking a view: its context menu, as the user gets it (the menu the view installed).
QMenu* openContextMenu(QWidget* view)
{
    Q_EMIT view->customContextMenuRequested(view->rect().center());
    return qobject_cast<QMenu*>(QApplication::activePopupWidget());
}

QAction* menuAction(QMenu* menu, const QString& text)
{
    for (QAction* action : menu->actions())
        if (action->text() == text)
            return action;
    return nullptr;
}

// Right click > Export… > the format and the file > Export, then the writer's report. False
// when a step is not offered or the file is not among those written.
bool exportThroughMenu(QWidget* view, ExportFormat format, const QString& path)
{
    QMenu* menu = openContextMenu(view);
    QAction* action = menu ? menuAction(menu, QStringLiteral("Export…")) : nullptr;
    if (!action || !action->isEnabled())
        return false;
    bool accepted = false;
    QTimer::singleShot(0, view, [&] {
        auto* dialog = qobject_cast<ExportDialog*>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        dialog->setFormat(format);
        dialog->setPath(path);
        dialog->accept();
        accepted = dialog->result() == QDialog::Accepted;
        if (!accepted)
            dialog->reject();
    });
    QSignalSpy finished(ExportWriter::shared(), &ExportWriter::finished);
    menu->hide();
    action->trigger(); // the dialog runs modally in here
    if (!accepted || !finished.wait(30000))
        return false;
    return finished.first().at(0).toStringList().contains(path) && finished.first().at(1).toStringList().isEmpty();
}

} // namespace

void InsideViewsTest::everyViewExportsThroughItsMenuWhilePlotsReplot()
{
    // Every view with an export menu, in both families, through the menu a user right-clicks:
    // PNG, SVG and PDF files (each twice) while the plots replot on the GUI thread (a PNG once
    // crashed here: the writer's thread destroyed a paint engine the GUI thread was using), the
    // clipboard and the CSV.
    QTemporaryDir out;
    int views = 0;
    const auto exportEvery = [&](MainWindow& window, const QList<QWidget*>& tabs) {
        InsidePanel* inside = window.insidePanel();
        QTimer replot;
        connect(&replot, &QTimer::timeout, &window, [&window] {
            for (QCustomPlot* plot : window.findChildren<QCustomPlot*>())
                plot->replot();
        });
        replot.start(1);
        for (QWidget* tab : tabs) {
            if (tab != window.keyPanel()) {
                inside->setCurrentWidget(tab);
                QVERIFY(waitForInspection(window));
            }
            QTest::qWait(20);
            for (QWidget* view : tab->findChildren<QWidget*>()) {
                if (view->contextMenuPolicy() != Qt::CustomContextMenu || !view->isVisible())
                    continue;
                QMenu* menu = openContextMenu(view);
                QVERIFY2(menu, qPrintable(view->objectName()));
                const bool enabled = menuAction(menu, "Export…") && menuAction(menu, "Export…")->isEnabled();
                menu->hide();
                if (!enabled)
                    continue; // nothing shown in it (e.g. a part this model has not)
                ++views;
                const QString name = QStringLiteral("view%1").arg(views);
                for (ExportFormat format : {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf}) {
                    for (int time = 0; time < 2; ++time) {
                        const QString path = out.filePath(QStringLiteral("%1-%2.%3").arg(name).arg(time).arg(exportFormatSuffix(format)));
                        QVERIFY2(exportThroughMenu(view, format, path), qPrintable(path));
                        QVERIFY(QFileInfo(path).size() > 100);
                    }
                }
                QVERIFY(!QImage(out.filePath(name + "-1.png")).isNull());
                menu = openContextMenu(view);
                QGuiApplication::clipboard()->clear();
                menu->hide();
                menuAction(menu, "Copy to Clipboard")->trigger();
                QVERIFY(!QGuiApplication::clipboard()->image().isNull());
                menu = openContextMenu(view);
                menu->hide();
                if (QAction* csv = menuAction(menu, "Copy Data as CSV")) {
                    csv->trigger();
                    QVERIFY(QGuiApplication::clipboard()->text().contains('\n'));
                }
            }
        }
    };
    auto conv = windowWith(convDir_, true);
    InsidePanel* inside = conv->insidePanel();
    exportEvery(*conv, QList<QWidget*>{inside->activationsView(), inside->interferenceView(), conv->keyPanel()});
    const int convViews = views;
    QVERIFY2(convViews >= 8, qPrintable(QString::number(convViews))); // 4 activation views, 3+ interference, keys
    conv.reset();
    QSettings().clear(); // else the window opens the last model used, the MIMOConv

    auto former = windowWith(formerDir_, false);
    former->controller()->inputs().setInputs(typedSequences({"[MAX 2 9 ]", "[MIN 4 7 ]", "[SM 3 3 ]", "[MED 1 5 8 ]"}), 0);
    QVERIFY2(QTest::qWaitFor([&] { return former->controller()->resultIsCurrent(); }, 30000),
             qPrintable(former->messageBar()->title() + ": " + former->messageBar()->message()));
    exportEvery(*former, QList<QWidget*>{former->insidePanel()->attentionView()});
    QVERIFY(views > convViews);
}


QTEST_MAIN(InsideViewsTest)
#include "test_inside_views.moc"
