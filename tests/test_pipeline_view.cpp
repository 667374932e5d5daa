// The Pipeline tab: the loaded model as its stages, checked against the model it was drawn from
// (stage list, shapes per N, the timed steps covering the pass as `mimo bench --breakdown` times
// it), and used as a class uses it: it opens first, names what a stage computes under the
// pointer, opens a stage's tensor on a click, follows N and the keys, exports, and is the first
// step of the guided tour. Bundled models at 1280x800; screenshots go next to the test.
#include "explorer_fixtures.h"
#include "layout_checks.h"

#include "core/errors.h"
#include "core/eval/benchmark.h"
#include "core/explore/explorer_engine.h"
#include "core/explore/explorer_inputs.h"
#include "ui/controller/explorer_controller.h"
#include "ui/export/export_rendering.h"
#include "ui/inside/activations_view.h"
#include "ui/inside/attention_view.h"
#include "ui/inside/inside_panel.h"
#include "ui/inside/interference_view.h"
#include "ui/inside/pipeline_view.h"
#include "ui/panels/model_panel.h"
#include "ui/widgets/pipeline_diagram.h"
#include "ui/window/main_window.h"
#include "ui/window/tour_window.h"

#include <QComboBox>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest>

#include <numeric>
#include <set>

using namespace explorer_fixtures;
using layout_checks::cutTexts;
using mimo::PipelineReport;

namespace {

std::string bundled(const char* name) { return (bundledModels() + "/" + name).toStdString(); }

std::vector<mimo::PreparedInput> samples(const mimo::ModelInfo& info, const std::string& dataset, int n)
{
    std::vector<mimo::PreparedInput> inputs;
    for (int i = 0; i < n; ++i) {
        mimo::InputSource source;
        source.origin = mimo::InputSource::Origin::DatasetSample;
        source.dataset = dataset;
        source.index = i;
        inputs.push_back(mimo::prepareInput(source, info));
    }
    return inputs;
}

std::vector<mimo::PreparedInput> typedInputs(const mimo::ModelInfo& info, int n)
{
    const char* expressions[] = {"[MAX 4 [MIN 7 2 ] 9 ]", "[SM 3 3 ]", "[MED 1 5 8 ]", "[MIN 6 2 ]"};
    std::vector<mimo::PreparedInput> inputs;
    for (int i = 0; i < n; ++i) {
        mimo::InputSource source;
        source.origin = mimo::InputSource::Origin::Text;
        source.text = expressions[i % 4];
        inputs.push_back(mimo::prepareInput(source, info));
    }
    return inputs;
}

QStringList ids(const PipelineReport& report)
{
    QStringList list;
    for (const auto& stage : report.stages)
        list << QString::fromStdString(stage.id);
    return list;
}

const mimo::PipelineStage& stage(const PipelineReport& report, const char* id)
{
    for (const auto& s : report.stages)
        if (s.id == id)
            return s;
    qFatal("no stage %s", id);
}

int stageIndex(const PipelineReport& report, const char* id)
{
    for (size_t i = 0; i < report.stages.size(); ++i)
        if (report.stages[i].id == id)
            return int(i);
    return -1;
}

// The timed steps cover every stage that computes, in order, without overlap, their shares add
// up to the pass, and each share lies within its rounds' spread.
void checkTimings(const PipelineReport& report, int rounds)
{
    QCOMPARE(report.rounds, rounds);
    QVERIFY(report.passMilliseconds > 0.0);
    QVERIFY(report.passLow <= report.passMilliseconds && report.passMilliseconds <= report.passHigh);
    double shares = 0.0;
    int expectedFirst = 1; // stage 0 is what the model is given
    QCOMPARE(report.stages[0].timing, -1);
    for (size_t t = 0; t < report.timings.size(); ++t) {
        const auto& timing = report.timings[t];
        QCOMPARE(timing.firstStage, expectedFirst);
        QVERIFY(timing.lastStage >= timing.firstStage);
        for (int s = timing.firstStage; s <= timing.lastStage; ++s)
            QCOMPARE(report.stages[size_t(s)].timing, int(t));
        expectedFirst = timing.lastStage + 1;
        QVERIFY(!timing.laps.empty());
        QVERIFY(timing.milliseconds >= 0.0);
        QVERIFY2(timing.shareLow <= timing.share && timing.share <= timing.shareHigh, timing.laps.front().c_str());
        shares += timing.share;
    }
    QCOMPARE(expectedFirst, int(report.stages.size()));
    QVERIFY2(std::abs(shares - 1.0) < 1e-9, qPrintable(QString::number(shares, 'g', 12)));
}

// The laps the pipeline's steps claim are the stages `mimo bench --breakdown` times for the model.
void checkLapsAgainstBench(const PipelineReport& report, const std::string& modelFile, int n)
{
    mimo::BenchConfig bench;
    bench.ns = {n};
    bench.batch = 2 * n;
    bench.rounds = 1;
    bench.warmup = 0;
    bench.length = 32;
    bench.breakdown = true;
    std::set<std::string> benchStages, claimed;
    const mimo::BenchReport measured = mimo::benchmarkModelFile(modelFile, bench);
    for (const auto& [name, seconds] : measured.rows[0].stageSeconds)
        benchStages.insert(name);
    for (const auto& timing : report.timings)
        claimed.insert(timing.laps.begin(), timing.laps.end());
    QVERIFY(benchStages == claimed);
}

} // namespace

class PipelineViewTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void convStagesFollowTheModelAndN();
    void baselineHasNoBindingStages();
    void formerStagesFollowTheGrid();
    void attentionWithMlpUnbindsAtTheEndOfTheLayer();
    void badRequestsAreRefused();
    void tabOpensStagesAndFollowsNAndKeys();
    void formerStageOpensItsAttentionLayer();
    void tourStartsAtThePipeline();

private:
    QTemporaryDir settingsDir_, dir_;
};

void PipelineViewTest::initTestCase()
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
    QCoreApplication::setOrganizationName("MIMO Explorer Tests");
    QCoreApplication::setApplicationName("test_pipeline_view");
}

void PipelineViewTest::convStagesFollowTheModelAndN()
{
    mimo::ExplorerEngine engine;
    const std::string file = bundled("fmnist-mimoconv-10-4.pt");
    const auto summary = engine.load(file);
    const auto& config = summary.info.conv();
    const auto inputs = samples(summary.info, "fashion-mnist:test", 4);
    for (int n : {1, 2, 4}) {
        mimo::RunRequest request;
        request.n = n;
        request.inputs.assign(inputs.begin(), inputs.begin() + n);
        const PipelineReport report = engine.pipeline(request, 3);
        QCOMPARE(ids(report), (QStringList{"inputs", "stem", "keys", "binding", "superposition", "layer1", "layer2",
                                           "layer3", "pooling", "unbinding", "classifier"}));
        QCOMPARE(report.n, n);
        QCOMPARE(report.family, std::string("MIMOConv"));
        QCOMPARE(int(report.inputs.size()), n);
        const int64_t d = config.stemWidth, side = config.input.height;
        const auto perInput = [&](const char* id, std::vector<int64_t> shape) {
            QCOMPARE(stage(report, id).copies, n);
            QVERIFY(!stage(report, id).superposed);
            QCOMPARE(stage(report, id).shape, shape);
        };
        const auto superposed = [&](const char* id, std::vector<int64_t> shape) {
            QCOMPARE(stage(report, id).copies, 1);
            QVERIFY(stage(report, id).superposed);
            QCOMPARE(stage(report, id).shape, shape);
        };
        perInput("inputs", {config.input.channels, side, side});
        perInput("stem", {d, side, side});
        perInput("keys", {d});
        perInput("binding", {d, side, side});
        superposed("superposition", {d, side, side});
        const auto widths = config.stageWidths();
        for (int s = 0; s < 3; ++s) {
            const int64_t size = (side + (1 << s) - 1) >> s; // stride 2 from the second stage on
            superposed(("layer" + std::to_string(s + 1)).c_str(), {widths[size_t(s)], size, size});
        }
        superposed("pooling", {config.featureWidth()});
        perInput("unbinding", {config.featureWidth()});
        perInput("classifier", {config.numClasses});
        // One matrix product binds and sums: keys, binding and superposition are one timed step.
        const auto& binding = report.timings[size_t(stage(report, "binding").timing)];
        QCOMPARE(binding.firstStage, stageIndex(report, "keys"));
        QCOMPARE(binding.lastStage, stageIndex(report, "superposition"));
        QCOMPARE(binding.laps, (std::vector<std::string>{"binding + superposition"}));
        QCOMPARE(stage(report, "layer2").opens, std::string("activations:layer2"));
        QCOMPARE(stage(report, "binding").opens, std::string("activations:Binding step:Bound inputs"));
        checkTimings(report, 3);
        if (n == 4)
            checkLapsAgainstBench(report, file, n);
    }
}

void PipelineViewTest::baselineHasNoBindingStages()
{
    mimo::ExplorerEngine engine;
    const std::string file = bundled("fmnist-wrn-10-4.pt");
    const auto summary = engine.load(file);
    mimo::RunRequest request;
    request.inputs = samples(summary.info, "fashion-mnist:test", 1);
    const PipelineReport report = engine.pipeline(request, 2);
    QCOMPARE(report.family, std::string("WideResNet"));
    QCOMPARE(ids(report), (QStringList{"inputs", "stem", "layer1", "layer2", "layer3", "pooling", "classifier"}));
    for (const auto& s : report.stages) {
        QCOMPARE(s.copies, 1);
        QVERIFY(!s.superposed);
    }
    checkTimings(report, 2);
    checkLapsAgainstBench(report, file, 1);
}

void PipelineViewTest::formerStagesFollowTheGrid()
{
    mimo::ExplorerEngine engine;
    const std::string file = bundled("listops-short-mimoformer.pt");
    const auto summary = engine.load(file);
    const auto& config = summary.info.former();
    const auto inputs = typedInputs(summary.info, 4);
    for (int n : {1, 2, 4}) {
        mimo::RunRequest request;
        request.n = n;
        request.inputs.assign(inputs.begin(), inputs.begin() + n);
        const PipelineReport report = engine.pipeline(request, 2);
        QStringList expected{"tokens", "embedding"};
        for (int layer = 1; layer <= config.layers; ++layer)
            for (const char* part : {"qkv", "binding", "attention", "unbinding", "projection", "mlp"})
                expected << QStringLiteral("layer%1.%2").arg(layer).arg(part);
        expected << "pooling" << "classifier";
        QCOMPARE(ids(report), expected);
        const auto [m, gridN] = config.gridFor(n);
        const std::vector<int64_t> heads{config.heads, config.maxLength, config.headDim};
        QCOMPARE(stage(report, "layer1.qkv").copies, n);
        QCOMPARE(stage(report, "layer1.qkv").shape, heads);
        // Queries are summed over the grid's m rows: n / m = gridN bundles; attention runs on them.
        QCOMPARE(stage(report, "layer1.binding").copies, gridN);
        QVERIFY(stage(report, "layer1.binding").superposed);
        QCOMPARE(stage(report, "layer1.binding").shape, heads);
        QCOMPARE(stage(report, "layer1.attention").copies, gridN);
        QCOMPARE(stage(report, "layer2.unbinding").copies, n);
        QCOMPARE(stage(report, "layer2.mlp").shape, (std::vector<int64_t>{config.maxLength, config.dim}));
        QCOMPARE(stage(report, "layer1.attention").group, std::string("Layer 1"));
        QCOMPARE(stage(report, "layer2.qkv").opens, std::string("attention:1"));
        // FAVOR+ binds, attends and unbinds in one kernel: one timed step per layer.
        const auto& kernel = report.timings[size_t(stage(report, "layer2.attention").timing)];
        QCOMPARE(kernel.firstStage, stageIndex(report, "layer2.binding"));
        QCOMPARE(kernel.lastStage, stageIndex(report, "layer2.unbinding"));
        QCOMPARE(kernel.laps, (std::vector<std::string>{"layer 2 attention kernel"}));
        checkTimings(report, 2);
        if (n == 4)
            checkLapsAgainstBench(report, file, n);
    }
    // The Performer attends sequence by sequence: no binding, no bundles.
    const std::string performer = bundled("listops-short-performer.pt");
    const auto performerInfo = engine.load(performer).info;
    mimo::RunRequest request;
    request.inputs = typedInputs(performerInfo, 1);
    const PipelineReport report = engine.pipeline(request, 2);
    QCOMPARE(report.family, std::string("Performer"));
    QVERIFY(!ids(report).contains("layer1.binding"));
    QVERIFY(ids(report).contains("layer1.attention"));
    checkTimings(report, 2);
    checkLapsAgainstBench(report, performer, 1);
}

void PipelineViewTest::attentionWithMlpUnbindsAtTheEndOfTheLayer()
{
    const QString path = dir_.filePath("att-mlp.pt");
    writeFormerModel(path, mimo::FormerAttention::MimoMlp);
    mimo::ExplorerEngine engine;
    const auto summary = engine.load(path.toStdString());
    mimo::RunRequest request;
    request.n = 4;
    request.inputs = typedInputs(summary.info, 4);
    const PipelineReport report = engine.pipeline(request, 2);
    QCOMPARE(ids(report), (QStringList{"tokens", "embedding", "layer1.qkv", "layer1.binding", "layer1.attention",
                                       "layer1.projection", "layer1.mlp", "layer1.unbinding", "pooling", "classifier"}));
    // The MLP computes on the bundles; every sequence is retrieved at the end of the layer.
    QVERIFY(stage(report, "layer1.mlp").superposed);
    QCOMPARE(stage(report, "layer1.mlp").copies, 2);
    QCOMPARE(stage(report, "layer1.unbinding").copies, 4);
    QCOMPARE(report.timings[size_t(stage(report, "layer1.unbinding").timing)].laps,
             (std::vector<std::string>{"layer 1 residual binding"}));
    checkTimings(report, 2);
    checkLapsAgainstBench(report, path.toStdString(), 4);
}

void PipelineViewTest::badRequestsAreRefused()
{
    mimo::ExplorerEngine engine;
    mimo::RunRequest request;
    QVERIFY_THROWS_EXCEPTION(mimo::Error, engine.pipeline(request)); // no model
    const auto summary = engine.load(bundled("fmnist-mimoconv-10-4.pt"));
    request.n = 4;
    request.inputs = samples(summary.info, "fashion-mnist:test", 2);
    try {
        engine.pipeline(request);
        QFAIL("two inputs for N=4 were accepted");
    } catch (const mimo::Error& error) {
        QVERIFY(QString(error.what()).contains("fill every slot"));
    }
    request.n = 3;
    request.inputs = samples(summary.info, "fashion-mnist:test", 3);
    QVERIFY_THROWS_EXCEPTION(mimo::Error, engine.pipeline(request)); // N must divide N_cap
    request.n = 2;
    request.inputs.resize(2);
    QVERIFY_THROWS_EXCEPTION(mimo::Error, engine.pipeline(request, 0));
}

void PipelineViewTest::tabOpensStagesAndFollowsNAndKeys()
{
    auto window = openBundledWindow("fmnist-mimoconv-10-4.pt");
    InsidePanel* inside = window->insidePanel();
    PipelineView* view = inside->pipelineView();
    PipelineDiagram* diagram = view->diagram();
    // The first tab, and the one a new user sees.
    QCOMPARE(inside->indexOf(view), 0);
    QCOMPARE(inside->currentWidget(), static_cast<QWidget*>(view));
    QVERIFY(QTest::qWaitFor([&] { return diagram->report().n == 4 && waitUntilIdle(*window, 1000); }, 60000));
    QTest::qWait(50);
    const PipelineReport& report = diagram->report();
    QCOMPARE(int(report.stages.size()), 11);
    QVERIFY(view->summaryText().contains(QStringLiteral("4 inputs in one superposition")));
    QVERIFY(view->summaryText().contains(QStringLiteral("over 11 rounds")));
    const int superposition = stageIndex(report, "superposition");
    QCOMPARE(diagram->rowTexts(superposition).value(1), QStringLiteral("[64, 28, 28]"));
    QCOMPARE(diagram->rowTexts(stageIndex(report, "stem")).value(1), QStringLiteral("4 \u00d7 [64, 28, 28]"));
    // Every stage readable at 1280x800: no title, shape or share cut, nothing else cut either.
    QStringList cut = diagram->cutTexts() + cutTexts(window.get());
    QVERIFY2(cut.isEmpty(), qPrintable(cut.join('\n')));
    for (int s = 0; s < int(report.stages.size()); ++s)
        QVERIFY(diagram->rect().contains(diagram->stageRect(s)));
    QVERIFY(saveShot(*window, "pipeline-mimoconv.png"));

    // The pointer on a stage says what it computes.
    const int binding = stageIndex(report, "binding");
    QTest::mouseMove(diagram, diagram->stageRect(binding).center());
    QVERIFY(QTest::qWaitFor([&] { return view->detailText().startsWith(QStringLiteral("Binding: circular convolution")); },
                            2000));
    QVERIFY(view->detailText().contains(QStringLiteral("timed together with Keys, Superposition")));
    QVERIFY(diagram->toolTipAt(diagram->stageRect(binding).center()).contains(QStringLiteral("binding + superposition")));

    // A click opens the stage's tensor: a body stage as its layer, binding as the binding step.
    QTest::mouseClick(diagram, Qt::LeftButton, {}, diagram->stageRect(stageIndex(report, "layer2")).center());
    ActivationsView* activations = inside->activationsView();
    QCOMPARE(inside->currentWidget(), static_cast<QWidget*>(activations));
    QVERIFY(QTest::qWaitFor([&] { return activations->currentLayer() == QLatin1String("layer2"); }, 60000));
    inside->setCurrentWidget(view);
    QVERIFY(QTest::qWaitFor([&] { return diagram->isVisible() && !diagram->stageRect(binding).isEmpty(); }, 5000));
    QTest::mouseClick(diagram, Qt::LeftButton, {}, diagram->stageRect(binding).center());
    QCOMPARE(inside->currentWidget(), static_cast<QWidget*>(activations));
    QVERIFY(QTest::qWaitFor([&] { return activations->currentView() == QLatin1String("Bound inputs"); }, 60000));
    QCOMPARE(activations->currentLayer(), QStringLiteral("Binding step"));
    inside->setCurrentWidget(view);

    // N through the model panel: the stacks follow.
    QComboBox* nBox = window->modelPanel()->nBox();
    nBox->setCurrentIndex(nBox->findData(2));
    Q_EMIT nBox->activated(nBox->currentIndex());
    QVERIFY(QTest::qWaitFor([&] { return diagram->report().n == 2 && waitUntilIdle(*window, 1000); }, 60000));
    QCOMPARE(stage(diagram->report(), "stem").copies, 2);
    QVERIFY(diagram->rowTexts(stageIndex(diagram->report(), "stem")).value(1).startsWith(QStringLiteral("2 \u00d7")));
    QVERIFY(view->summaryText().contains(QStringLiteral("2 inputs in one superposition")));
    // Other keys: the view says which keys it was measured with.
    mimo::KeyChoice keys;
    keys.kind = mimo::KeyChoice::Kind::Family;
    keys.family = mimo::KeyFamily::Bipolar;
    keys.seed = 5;
    window->controller()->setKeys(keys);
    QVERIFY(QTest::qWaitFor([&] { return diagram->report().keys == keys.describe() && waitUntilIdle(*window, 1000); },
                            60000));
    QVERIFY(view->summaryText().contains(QString::fromStdString(keys.describe())));

    // Export: the diagram as a picture and the stages as CSV.
    const QList<ExportItem> items = window->exportItems();
    const auto found = std::find_if(items.begin(), items.end(), [](const ExportItem& item) { return item.name == "pipeline"; });
    QVERIFY(found != items.end());
    QVERIFY(found->isValid());
    const QStringList lines = found->csvText().split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), int(diagram->report().stages.size()) + 1);
    QVERIFY(lines[0].startsWith(QStringLiteral("stage,group,title,copies,shape,milliseconds,share")));
    QVERIFY(lines[stageIndex(diagram->report(), "stem") + 1].startsWith(QStringLiteral("stem,,Stem,2,64x28x28,")));
    const QImage picture = renderImage(*found, defaultExportPixels(*found), kDefaultExportDpi);
    QVERIFY(!picture.isNull());
    QVERIFY(hasVisibleContent(picture));
}

void PipelineViewTest::formerStageOpensItsAttentionLayer()
{
    auto window = openBundledWindow("listops-short-mimoformer.pt");
    InsidePanel* inside = window->insidePanel();
    PipelineDiagram* diagram = inside->pipelineView()->diagram();
    QVERIFY(QTest::qWaitFor([&] { return diagram->report().n == 4 && waitUntilIdle(*window, 1000); }, 60000));
    QTest::qWait(50);
    QStringList cut = diagram->cutTexts();
    cut.removeAll(diagram->tr("(the diagram is taller than its widget)"));
    QVERIFY2(cut.isEmpty(), qPrintable(cut.join('\n')));
    QVERIFY(inside->pipelineView()->diagramArea()->widget()->height() >= diagram->heightForWidth(diagram->width()));
    QVERIFY(saveShot(*window, "pipeline-mimoformer.png"));
    const int attention = stageIndex(diagram->report(), "layer2.attention");
    inside->pipelineView()->diagramArea()->ensureVisible(diagram->stageRect(attention).center().x(),
                                                         diagram->stageRect(attention).center().y());
    QTest::mouseClick(diagram, Qt::LeftButton, {}, diagram->stageRect(attention).center());
    QCOMPARE(inside->currentWidget(), static_cast<QWidget*>(inside->attentionView()));
    QCOMPARE(inside->attentionView()->layer(), 1);
    QVERIFY(QTest::qWaitFor([&] { return inside->attentionView()->maps().layer == 1; }, 60000));
}

void PipelineViewTest::tourStartsAtThePipeline()
{
    auto window = openBundledWindow("fmnist-mimoconv-10-4.pt");
    InsidePanel* inside = window->insidePanel();
    inside->setCurrentWidget(inside->interferenceView());
    TourWindow* tourWindow = openTour(*window); // View > Guided Tour
    QVERIFY(tourWindow);
    QCOMPARE(tourWindow->steps()[0].id, std::string("pipeline"));
    QCOMPARE(tourWindow->currentStep(), 0);
    QVERIFY(tourWindow->showsPipeline());
    // The tour points at the Pipeline tab and draws the same stages.
    QCOMPARE(inside->currentWidget(), static_cast<QWidget*>(inside->pipelineView()));
    QVERIFY(QTest::qWaitFor([&] { return tourWindow->pipelineDiagram()->report().stages.size() == 11; }, 60000));
    QVERIFY(tourWindow->pipelineDiagram()->isVisible());
    QVERIFY(tourWindow->pipelineDiagram()->cutTexts().isEmpty());
    QVERIFY(saveShot(*tourWindow, "tour-pipeline.png"));
    // Presenting, the pipeline fits the screen without scrolling.
    tourWindow->setPresenting(true);
    tourWindow->resize(1280, 720);
    QTest::qWait(100);
    QCoreApplication::sendPostedEvents();
    QStringList cut = tourWindow->pipelineDiagram()->cutTexts();
    QVERIFY2(cut.isEmpty(), qPrintable(cut.join('\n')));
    tourWindow->setPresenting(false);
    // The next step leaves the diagram for the tensors.
    tourWindow->next();
    QVERIFY(!tourWindow->showsPipeline());
    QVERIFY(!tourWindow->pipelineDiagram()->isVisible());
    tourWindow->close();
}

QTEST_MAIN(PipelineViewTest)
#include "test_pipeline_view.moc"
