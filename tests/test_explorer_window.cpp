// The explorer window on the offscreen platform, driven as a user drives it: real drag-and-drop
// events with files the test writes, N and key changes through the panels, the latest-request-
// wins rule, settings that survive a restart, screenshots that show something.
#include "explorer_fixtures.h"

#include "ui/controller/explorer_controller.h"
#include "ui/controller/input_requests.h"
#include "ui/panels/key_panel.h"
#include "ui/panels/model_panel.h"
#include "ui/panels/slot_grid.h"
#include "ui/panels/slot_widget.h"
#include "ui/widgets/matrix_heatmap_widget.h"
#include "ui/window/main_window.h"
#include "ui/window/message_bar.h"
#include "ui/window/tour_window.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QProcess>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QScreen>
#include <QtTest>

using namespace explorer_fixtures;

// Starts with NUL bytes; its length comes from the literal (a counted 38 read past its end).
static const char kJunk[] = "\x00\x01\x02 not an image, sequence or model";

class ExplorerWindowTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void startsWithBundledModelExamplesAndPredictions();
    void dropsImagesFoldersModelsAndJunk();
    void changingNAndKeysUpdatesTheView();
    void latestRequestWins();
    void staysResponsiveDuringInference();
    void sequenceModelsTakeTypedSequences();
    void pasteAndDatasetSamplesFillSlots();
    void guidedTourShowsEveryStep();
    void presentingFromTheKeyboard();
    void settingsSurviveARestart();
    void screenshotIsNotBlank();
    void commandLineScreenshot();

private:
    // A window started on `models` (default: the tiny MIMOConv only), with its model loaded.
    std::unique_ptr<MainWindow> startedWindow(const QString& modelDirectory = {});

    QTemporaryDir settingsDir_;
    QTemporaryDir dir_;
    QString conv_, former_, big_;
};

void ExplorerWindowTest::initTestCase()
{
    // Tests never touch the user's real settings.
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
    QCoreApplication::setOrganizationName("MIMO Explorer Tests");
    QCoreApplication::setApplicationName("test_explorer_window");
    QDir(dir_.path()).mkpath("conv");
    QDir(dir_.path()).mkpath("former");
    QDir(dir_.path()).mkpath("big");
    conv_ = dir_.filePath("conv/tiny-conv.pt");
    former_ = dir_.filePath("former/tiny-former.pt");
    big_ = dir_.filePath("big/big-conv.pt");
    writeConvModel(conv_, 12, 1, 8);
    writeFormerModel(former_);
    writeConvModel(big_, 64, 4, 64); // slow enough that a run spans many timer ticks
    QDir(dir_.path()).mkpath("folder/bright");
    for (int i = 0; i < 3; ++i)
        writeImage(dir_.filePath(QString("folder/bright/%1.png").arg(i)), i);
    writeImage(dir_.filePath("single.png"), 7);
    writeBytes(dir_.filePath("junk.bin"), QByteArray::fromRawData(kJunk, sizeof kJunk - 1));
    writeBytes(dir_.filePath("broken.png"), QByteArray("\x89PNG\r\n\x1a\n truncated", 19));
    writeBytes(dir_.filePath("broken.pt"), QByteArray("this is not a model archive"));
}

void ExplorerWindowTest::init()
{
    QSettings().clear();
}

std::unique_ptr<MainWindow> ExplorerWindowTest::startedWindow(const QString& modelDirectory)
{
    auto window = std::make_unique<MainWindow>();
    if (!QSettings().contains("window/geometry"))
        window->resize(1100, 760);
    window->show();
    window->start({modelDirectory.isEmpty() ? QFileInfo(conv_).absolutePath() : modelDirectory});
    const bool loaded = QTest::qWaitFor([&] { return window->controller()->hasModel(); }, 30000);
    if (!loaded)
        qWarning("the start-up model did not load");
    waitUntilIdle(*window);
    return window;
}

void ExplorerWindowTest::startsWithBundledModelExamplesAndPredictions()
{
    const QString bundled = qEnvironmentVariable("MIMO_SOURCE_DIR") + "/models";
    QElapsedTimer clock;
    clock.start();
    MainWindow window;
    window.show();
    window.start({bundled});
    QVERIFY(QTest::qWaitFor([&] { return window.controller()->resultIsCurrent(); }, 60000));
    qInfo("start-up to first predictions: %lld ms", static_cast<long long>(clock.elapsed()));
    auto* controller = window.controller();
    QVERIFY(QString::fromStdString(controller->model().path).endsWith("fmnist-mimoconv-10-4.pt"));
    QCOMPARE(controller->n(), 4);
    QCOMPARE(controller->emptySlots(), 0);
    QCOMPARE(window.slotGrid()->slotCount(), 4);
    for (int i = 0; i < 4; ++i) {
        SlotWidget* slot = window.slotGrid()->slotWidget(i);
        QVERIFY(slot->hasInput());
        QVERIFY2(!slot->superposedSummary().isEmpty(), qPrintable(slot->sourceText()));
        QVERIFY(!slot->aloneSummary().isEmpty());
        QVERIFY(controller->result()->labels[size_t(i)] >= 0); // examples know their class
    }
    // The bundled models are listed from their cards, with accuracy per N.
    QComboBox* models = window.modelPanel()->modelBox();
    QVERIFY(models->count() >= 2);
    QVERIFY(models->currentText().contains("N=4"));
    QVERIFY(window.statusDetails()->text().contains("N=4"));
}

void ExplorerWindowTest::dropsImagesFoldersModelsAndJunk()
{
    auto window = startedWindow();
    auto* controller = window->controller();
    QCOMPARE(controller->n(), 4);
    QCOMPARE(controller->emptySlots(), 4); // a model without example data starts with empty slots

    // A folder dropped on the window fills the slots in order; its name gives the true class.
    QVERIFY(drop(window.get(), {dir_.filePath("folder")}));
    QVERIFY2(QTest::qWaitFor([&] { return controller->emptySlots() == 1; }, 20000),
             qPrintable(window->messageBar()->message()));
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(QString::fromStdString(controller->slotInputs()[size_t(i)]->prepared.name), QString("%1.png").arg(i));
        QCOMPARE(controller->slotInputs()[size_t(i)]->prepared.label, qint64(1)); // "bright"
    }
    // An image dropped on slot 4 fills that slot, and the four run together.
    QVERIFY(drop(window->slotGrid()->slotWidget(3), {dir_.filePath("single.png")}));
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent(); }, 20000));
    QCOMPARE(QString::fromStdString(controller->slotInputs()[3]->prepared.name), QString("single.png"));
    QCOMPARE(controller->result()->predictions.size(), size_t(4));
    const auto before = controller->result()->predictions;

    // Junk, an image that does not decode, a broken model: a clear message naming the file,
    // and the previous state intact.
    for (const QString& bad : {dir_.filePath("junk.bin"), dir_.filePath("broken.png"), dir_.filePath("broken.pt")}) {
        window->messageBar()->hide();
        QVERIFY(drop(window->slotGrid()->slotWidget(0), {bad}));
        QVERIFY(QTest::qWaitFor([&] { return window->messageBar()->isVisible(); }, 20000));
        QVERIFY2(window->messageBar()->message().contains(QFileInfo(bad).fileName()),
                 qPrintable(window->messageBar()->message()));
        waitUntilIdle(*window);
        QCOMPARE(QString::fromStdString(controller->model().path), conv_);
        QCOMPARE(QString::fromStdString(controller->slotInputs()[0]->prepared.name), QString("0.png"));
        QVERIFY(controller->resultIsCurrent());
        QCOMPARE(controller->result()->predictions[0].superposed.front().probability,
                 before[0].superposed.front().probability);
    }
    QVERIFY(window->messageBar()->message().contains("broken.pt"));

    // A model file dropped anywhere loads; the user's own inputs follow it where they fit.
    QVERIFY(drop(window->slotGrid()->slotWidget(2), {big_}));
    QVERIFY(QTest::qWaitFor([&] { return QString::fromStdString(controller->model().path) == big_; }, 30000));
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent(); }, 30000));
    QCOMPARE(QString::fromStdString(controller->slotInputs()[3]->prepared.name), QString("single.png"));
    QCOMPARE(controller->slotInputs()[3]->prepared.image.height, 64); // prepared again for the new model
}

void ExplorerWindowTest::changingNAndKeysUpdatesTheView()
{
    auto window = startedWindow();
    auto* controller = window->controller();
    QVERIFY(drop(window.get(), {dir_.filePath("folder"), dir_.filePath("single.png")}));
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent(); }, 20000));
    const QByteArray modelHash = fileHash(conv_);

    // N through the panel's combo box: same weights, no reload, the slots follow.
    QComboBox* nBox = window->modelPanel()->nBox();
    QCOMPARE(nBox->count(), 3); // N = 1, 2, 4
    nBox->setCurrentIndex(nBox->findData(2));
    Q_EMIT nBox->activated(nBox->currentIndex());
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent() && controller->result()->n == 2; }, 20000));
    QCOMPARE(window->slotGrid()->slotCount(), 2);
    QCOMPARE(controller->keySimilarity().shape, (std::vector<int64_t>{2, 2}));
    // N = 1 is every input alone: superposition and alone agree exactly.
    nBox->setCurrentIndex(nBox->findData(1));
    Q_EMIT nBox->activated(nBox->currentIndex());
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent() && controller->result()->n == 1; }, 20000));
    QCOMPARE(controller->result()->superposedProbabilities[0], controller->result()->aloneProbabilities[0]);
    // Back to 4: the inputs of slots 2-4 are still there.
    nBox->setCurrentIndex(nBox->findData(4));
    Q_EMIT nBox->activated(nBox->currentIndex());
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent() && controller->result()->n == 4; }, 20000));
    QCOMPARE(controller->emptySlots(), 0);
    const auto trained = controller->result()->superposedProbabilities;

    // Keys drawn from a family: a different superposition, shown with its similarity matrix.
    mimo::KeyChoice bipolar;
    bipolar.kind = mimo::KeyChoice::Kind::Family;
    bipolar.family = mimo::KeyFamily::Bipolar;
    bipolar.seed = 5;
    controller->setKeys(bipolar);
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent() && controller->result()->keys == bipolar.describe(); }, 20000));
    QVERIFY(controller->result()->superposedProbabilities != trained);
    waitUntilIdle(*window);
    const auto& similarity = window->keyPanel()->similarityView()->matrix();
    QCOMPARE(similarity.shape, (std::vector<int64_t>{4, 4}));
    for (int i = 0; i < 4; ++i)
        QVERIFY(qAbs(similarity.values[size_t(i * 4 + i)] - 1.0f) < 1e-5f);

    // A permutation of the trained keys, keys saved to a file and loaded back, then reset.
    mimo::KeyChoice permuted;
    permuted.kind = mimo::KeyChoice::Kind::Permutation;
    permuted.permutation = {1, 0, 3, 2};
    controller->setKeys(permuted);
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent() && controller->keys() == permuted; }, 20000));
    const auto permutedProbabilities = controller->result()->superposedProbabilities;
    const QString keyFile = dir_.filePath("keys.txt");
    controller->saveKeys(keyFile);
    QVERIFY(waitUntilIdle(*window));
    controller->setKeys({});
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent() && controller->keys().kind == mimo::KeyChoice::Kind::Trained; }, 20000));
    QCOMPARE(controller->result()->superposedProbabilities, trained);
    controller->loadKeyFile(keyFile);
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent() && controller->keys().kind == mimo::KeyChoice::Kind::Values; }, 20000));
    for (size_t i = 0; i < 4; ++i)
        for (size_t c = 0; c < 3; ++c)
            QVERIFY(qAbs(controller->result()->superposedProbabilities[i][c] - permutedProbabilities[i][c]) < 1e-5f);

    // Keys of the wrong shape: a message naming the file, the keys in use unchanged.
    writeBytes(dir_.filePath("short-keys.txt"), "1 2 3\n4 5 6\n");
    controller->loadKeyFile(dir_.filePath("short-keys.txt"));
    QVERIFY(QTest::qWaitFor([&] { return window->messageBar()->isVisible(); }, 20000));
    QVERIFY(window->messageBar()->message().contains("short-keys.txt"));
    QCOMPARE(controller->keys().kind, mimo::KeyChoice::Kind::Values);

    QCOMPARE(fileHash(conv_), modelHash); // exploring keys never writes the model file
}

void ExplorerWindowTest::latestRequestWins()
{
    auto window = startedWindow();
    auto* controller = window->controller();
    QVERIFY(drop(window.get(), {dir_.filePath("folder"), dir_.filePath("single.png")}));
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent(); }, 20000));

    // Every result shown must belong to the state at the moment it is shown.
    int shown = 0, stale = 0;
    connect(controller, &ExplorerController::resultChanged, this, [&] {
        if (!controller->resultIsCurrent())
            return;
        ++shown;
        const auto* result = controller->result();
        if (result->n != controller->n() || result->keys != controller->keys().describe())
            ++stale;
    });
    // A burst of changes faster than the runs: N and keys, without waiting in between. Each
    // setN changes the state at once and each key choice when its check returns: 12 states.
    const quint64 runsBefore = controller->runsStarted();
    for (int round = 0; round < 6; ++round) {
        controller->setN(round % 2 ? 2 : 4);
        mimo::KeyChoice keys;
        keys.kind = mimo::KeyChoice::Kind::Family;
        keys.family = mimo::KeyFamily::Gaussian;
        keys.seed = uint64_t(round + 1);
        controller->setKeys(keys);
    }
    controller->setN(1);
    QVERIFY(waitUntilIdle(*window));
    QVERIFY(controller->resultIsCurrent());
    QCOMPARE(stale, 0);
    QVERIFY(shown >= 1);
    QCOMPARE(controller->result()->n, 1);
    QCOMPARE(controller->result()->keys, std::string("gaussian keys, seed 6"));
    // Fewer runs than states: while one runs, only the newest state waits (the six synchronous
    // N changes alone collapse into one run).
    const quint64 runs = controller->runsStarted() - runsBefore;
    QVERIFY2(runs <= 8, qPrintable(QString("%1 runs for 12 states").arg(runs)));
}

void ExplorerWindowTest::staysResponsiveDuringInference()
{
    auto window = startedWindow(QFileInfo(big_).absolutePath());
    auto* controller = window->controller();
    QVERIFY(drop(window.get(), {dir_.filePath("folder"), dir_.filePath("single.png")}));
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent(); }, 30000));

    // While the compute thread works, the GUI thread keeps handling timer events.
    int ticks = 0, ticksWhileBusy = 0;
    QTimer timer;
    connect(&timer, &QTimer::timeout, this, [&] {
        ++ticks;
        if (controller->busy())
            ++ticksWhileBusy;
    });
    timer.start(2);
    mimo::KeyChoice keys;
    keys.kind = mimo::KeyChoice::Kind::Family;
    keys.family = mimo::KeyFamily::Sphere;
    for (int i = 0; i < 3; ++i) {
        keys.seed = uint64_t(10 + i);
        controller->setKeys(keys);
        QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent() && controller->keys() == keys; }, 30000));
    }
    timer.stop();
    qInfo("timer ticks while the model computed: %d of %d", ticksWhileBusy, ticks);
    QVERIFY2(ticksWhileBusy >= 3, qPrintable(QString("%1 ticks while busy").arg(ticksWhileBusy)));
}

void ExplorerWindowTest::sequenceModelsTakeTypedSequences()
{
    auto window = startedWindow(QFileInfo(former_).absolutePath());
    auto* controller = window->controller();
    QCOMPARE(controller->model().info.family(), mimo::ModelFamily::Former);
    QCOMPARE(controller->n(), 4);
    const auto sources = typedSequences({"[MAX 2 9 ]", "[MIN 4 7 ]", "[SM 3 3 ]", "[MED 1 5 8 ]"});
    controller->inputs().setInputs(sources, 0);
    // The slots start with generated ListOps examples: wait for the typed ones.
    QVERIFY(QTest::qWaitFor([&] {
        return controller->resultIsCurrent() && controller->slotInputs()[3]->prepared.text == "[MED 1 5 8 ]";
    }, 20000));
    QCOMPARE(QString::fromStdString(controller->slotInputs()[3]->prepared.text), QString("[MED 1 5 8 ]"));
    QCOMPARE(QString::fromStdString(controller->result()->grid), QString("2 x 2 grid"));

    // Too long, unknown tokens, an image for a ListOps model: a message, nothing replaced.
    mimo::InputSource tooLong;
    tooLong.origin = mimo::InputSource::Origin::Text;
    tooLong.text = "[MAX";
    for (int i = 0; i < 40; ++i)
        tooLong.text += " 1";
    tooLong.text += " ]";
    controller->inputs().setInputs({tooLong}, 0);
    QVERIFY(QTest::qWaitFor([&] { return window->messageBar()->isVisible(); }, 20000));
    QVERIFY2(window->messageBar()->message().contains("at most 32"), qPrintable(window->messageBar()->message()));
    window->messageBar()->hide();
    QVERIFY(drop(window->slotGrid()->slotWidget(1), {dir_.filePath("single.png")}));
    QVERIFY(QTest::qWaitFor([&] { return window->messageBar()->isVisible(); }, 20000));
    QVERIFY(window->messageBar()->message().contains("single.png"));
    waitUntilIdle(*window);
    QCOMPARE(QString::fromStdString(controller->slotInputs()[0]->prepared.text), QString("[MAX 2 9 ]"));
    QCOMPARE(QString::fromStdString(controller->slotInputs()[1]->prepared.text), QString("[MIN 4 7 ]"));
}

void ExplorerWindowTest::pasteAndDatasetSamplesFillSlots()
{
    auto window = startedWindow();
    auto* controller = window->controller();
    // Paste an image into the selected slot (slot 3).
    QImage picture(30, 30, QImage::Format_RGB32);
    picture.fill(QColor(200, 40, 40));
    QApplication::clipboard()->setImage(picture);
    window->slotGrid()->selectSlot(2);
    QAction* paste = menuAction(*window, QKeySequence(QKeySequence::Paste));
    QVERIFY(paste);
    paste->trigger();
    QVERIFY(QTest::qWaitFor([&] { return bool(controller->slotInputs()[2]); }, 20000));
    QCOMPARE(controller->slotInputs()[2]->prepared.name, std::string("pasted image"));
    QCOMPARE(controller->slotInputs()[2]->prepared.image.height, 12);
    QVERIFY(!controller->slotInputs()[0]);

    // Dataset samples of one class fill every slot, each with its true class.
    mimo::SampleQuery query;
    query.mode = mimo::SampleQuery::Mode::OfClass;
    query.classIndex = 0;
    query.count = 4;
    controller->inputs().pickSamples("images:" + dir_.filePath("folder"), query, 0);
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent() && controller->emptySlots() == 0; }, 20000));
    for (const auto& slot : controller->slotInputs()) {
        QCOMPARE(slot->source.origin, mimo::InputSource::Origin::DatasetSample);
        QCOMPARE(slot->prepared.label, qint64(1)); // the folder's only class, "bright", is the model's class 1
    }
    // An index past the end: a message naming the dataset, the slots unchanged.
    query.mode = mimo::SampleQuery::Mode::Index;
    query.index = 99;
    query.count = 1;
    controller->inputs().pickSamples("images:" + dir_.filePath("folder"), query, 0);
    QVERIFY(QTest::qWaitFor([&] { return window->messageBar()->isVisible(); }, 20000));
    QVERIFY2(window->messageBar()->message().contains("index 99"), qPrintable(window->messageBar()->message()));
    QCOMPARE(controller->slotInputs()[0]->source.origin, mimo::InputSource::Origin::DatasetSample);
}

void ExplorerWindowTest::guidedTourShowsEveryStep()
{
    auto window = startedWindow();
    auto* controller = window->controller();
    QVERIFY(drop(window.get(), {dir_.filePath("folder"), dir_.filePath("single.png")}));
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent(); }, 20000));
    window->tourWindow(); // created on demand
    QAction* tour = menuAction(*window, QKeySequence(Qt::CTRL | Qt::Key_T));
    QVERIFY(tour);
    tour->trigger();
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent() && !controller->result()->tour.empty(); }, 20000));
    waitUntilIdle(*window);
    TourWindow* view = window->tourWindow();
    QVERIFY(view->isVisible());
    QCOMPARE(int(view->steps().size()), 7);
    QStringList ids;
    for (const auto& step : view->steps())
        ids << QString::fromStdString(step.id);
    QCOMPARE(ids, (QStringList{"pipeline", "bind", "random-keys", "superpose", "process", "unbind", "classify"}));
    // The tensors are those of the current inputs: the bound maps of 4 slots, their sum.
    const auto& bind = view->steps()[1];
    const auto bound = std::find_if(bind.tensors.begin(), bind.tensors.end(), [](const auto& t) { return t.name == "bound"; });
    QVERIFY(bound != bind.tensors.end());
    QCOMPARE(bound->shape, (std::vector<int64_t>{4, 8, 12, 12}));
    const auto& superposed = view->steps()[3].tensors.front();
    QCOMPARE(superposed.shape, (std::vector<int64_t>{8, 12, 12}));
    for (size_t i = 0; i < superposed.values.size(); i += 37) {
        float sum = 0;
        for (int s = 0; s < 4; ++s)
            sum += bound->values[size_t(s) * superposed.values.size() + i];
        QVERIFY(qAbs(sum - superposed.values[i]) < 1e-4f);
    }
    // It opens wholly on the screen, whatever the screen's size.
    const QRect room = view->screen()->availableGeometry();
    QVERIFY2(room.contains(view->geometry()),
             qPrintable(QStringLiteral("the tour at %1,%2 %3x%4 leaves the screen %5x%6")
                            .arg(view->x()).arg(view->y()).arg(view->width()).arg(view->height())
                            .arg(room.width()).arg(room.height())));
    // Every sentence true of what is shown: the bound maps keep each input's pixels in place
    // (binding acts along the channels), and the |cosine| the text gives is the one of these
    // tensors, before and after binding.
    const QString text = QString::fromStdString(bind.explanation);
    QVERIFY2(!text.contains("noise"), qPrintable(text));
    QVERIFY2(text.contains("acts along the channels"), qPrintable(text));
    const auto stem = std::find_if(bind.tensors.begin(), bind.tensors.end(), [](const auto& t) { return t.name == "stem"; });
    QVERIFY(stem != bind.tensors.end());
    const auto meanCosine = [](const mimo::TensorView& maps) {
        const int64_t n = maps.shape[0], c = maps.shape[1], pixels = maps.shape[2] * maps.shape[3];
        const auto at = [&](int64_t slot, int64_t channel, int64_t pixel) {
            return double(maps.values[size_t((slot * c + channel) * pixels + pixel)]);
        };
        double sum = 0;
        int pairs = 0;
        for (int64_t i = 0; i < n; ++i)
            for (int64_t j = i + 1; j < n; ++j, ++pairs) {
                double pairSum = 0;
                for (int64_t p = 0; p < pixels; ++p) {
                    double dot = 0, ii = 0, jj = 0;
                    for (int64_t k = 0; k < c; ++k) {
                        dot += at(i, k, p) * at(j, k, p);
                        ii += at(i, k, p) * at(i, k, p);
                        jj += at(j, k, p) * at(j, k, p);
                    }
                    pairSum += std::abs(dot) / std::max(std::sqrt(ii) * std::sqrt(jj), 1e-12);
                }
                sum += pairSum / double(pixels);
            }
        return sum / pairs;
    };
    const QString before = QString::number(meanCosine(*stem), 'f', 2), after = QString::number(meanCosine(*bound), 'f', 2);
    QVERIFY2(text.contains("of " + before + " before binding and " + after + " after"),
             qPrintable(text + "\n(measured here: " + before + " and " + after + ")"));
    // Random keys beside the trained ones (the next step): the same pixels, and the text's channel
    // match is the one of the maps on screen (each bound channel map against its closest stem
    // channel map).
    const auto& keysStep = view->steps()[2];
    QCOMPARE(keysStep.tensors.size(), size_t(2));
    QCOMPARE(keysStep.tensors[0].values, bound->values); // the trained keys' maps, beside
    const auto random = &keysStep.tensors[1];
    QCOMPARE(random->name, std::string("bound with random keys"));
    QCOMPARE(random->shape, bound->shape);
    QCOMPARE(QString::fromStdString(random->rowLabels.at(0)), QString::fromStdString(bound->rowLabels.at(0)));
    const auto channelMatch = [&](const mimo::TensorView& maps) {
        const int64_t n = maps.shape[0], c = maps.shape[1], pixels = maps.shape[2] * maps.shape[3];
        const auto value = [&](const mimo::TensorView& t, int64_t slot, int64_t channel, int64_t pixel) {
            return double(t.values[size_t((slot * c + channel) * pixels + pixel)]);
        };
        double sum = 0;
        for (int64_t s = 0; s < n; ++s)
            for (int64_t a = 0; a < c; ++a) {
                double best = 0;
                for (int64_t b = 0; b < c; ++b) {
                    double dot = 0, aa = 0, bb = 0;
                    for (int64_t p = 0; p < pixels; ++p) {
                        dot += value(maps, s, a, p) * value(*stem, s, b, p);
                        aa += value(maps, s, a, p) * value(maps, s, a, p);
                        bb += value(*stem, s, b, p) * value(*stem, s, b, p);
                    }
                    best = std::max(best, std::abs(dot) / std::max(std::sqrt(aa) * std::sqrt(bb), 1e-12));
                }
                sum += best;
            }
        return QString::number(sum / double(n * c), 'f', 2);
    };
    const QString trainedMatch = channelMatch(*bound), randomMatch = channelMatch(*random);
    const QString keysText = QString::fromStdString(keysStep.explanation);
    QVERIFY2(keysText.contains("|cosine| of " + trainedMatch + " with the trained keys and " + randomMatch +
                               " with the random ones"),
             qPrintable(keysText + "\n(measured here: " + trainedMatch + " and " + randomMatch + ")"));
    QVERIFY(keysText.contains("leaves every pixel in place"));
    // Which input sits in which slot, on every step that shows slots.
    for (const auto& step : view->steps())
        for (const auto& tensor : step.tensors)
            if (!tensor.shape.empty() && tensor.shape[0] == 4 && tensor.name != "superposed")
                QVERIFY2(tensor.rowLabels.size() == 4 && QString::fromStdString(tensor.rowLabels[0]).startsWith("slot 1: "),
                         qPrintable(QString::fromStdString(step.id + " / " + tensor.name)));
    // It starts at the whole pipeline; the picture shows the bind step.
    QCOMPARE(view->currentStep(), 0);
    QVERIFY(view->showsPipeline());
    view->next();
    QCOMPARE(view->currentStep(), 1);
    view->resize(1000, 700);
    QTest::qWait(50);
    const QImage shot = view->grab().toImage();
    QVERIFY(hasVisibleContent(shot));
    QVERIFY(shot.save(QDir(QCoreApplication::applicationDirPath()).filePath("tour-window.png")));
    view->setPresenting(true);
    QVERIFY(view->presenting());
    view->setPresenting(false);
    view->close();
    QVERIFY(QTest::qWaitFor([&] { return !controller->tourWanted(); }, 2000));
}

// A lecture from the keyboard: F5 in and out from either window, the arrows step the tour from
// either window, 1/2/4 choose N and K shuffles the keys while presenting (the slots and the
// tour follow); the same keys do nothing to N when not presenting.
void ExplorerWindowTest::presentingFromTheKeyboard()
{
    auto window = startedWindow();
    auto* controller = window->controller();
    QVERIFY(drop(window.get(), {dir_.filePath("folder"), dir_.filePath("single.png")}));
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent(); }, 20000));
    QApplication::setActiveWindow(window.get());
    QTest::keyClick(window.get(), Qt::Key_F5);
    TourWindow* tour = window->tourWindow();
    QVERIFY(QTest::qWaitFor([&] { return tour->presenting(); }, 5000));
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent() && !tour->steps().empty(); }, 20000));
    QApplication::setActiveWindow(tour);
    QTest::keyClick(tour, Qt::Key_Right);
    QCOMPARE(tour->currentStep(), 1);
    // N = 2 from the tour window: the slots and the tour's tensors follow.
    QTest::keyClick(tour, Qt::Key_2);
    QVERIFY(QTest::qWaitFor([&] { return controller->resultIsCurrent() && controller->result()->n == 2; }, 20000));
    QCOMPARE(window->slotGrid()->slotCount(), 2);
    QVERIFY(QTest::qWaitFor([&] { return !tour->steps().empty() && tour->steps()[1].tensors[0].shape[0] == 2; }, 20000));
    QCOMPARE(tour->currentStep(), 1); // the step stays
    // K: the trained keys in another order.
    QTest::keyClick(tour, Qt::Key_K);
    QVERIFY(QTest::qWaitFor([&] { return controller->keys().kind == mimo::KeyChoice::Kind::Permutation; }, 20000));
    // The arrows work from the main window too, and Esc there leaves.
    QApplication::setActiveWindow(window.get());
    QTest::keyClick(window.get(), Qt::Key_Left);
    QCOMPARE(tour->currentStep(), 0);
    QTest::keyClick(window.get(), Qt::Key_Escape);
    QVERIFY(!tour->presenting());
    // Not presenting: a digit is a digit, N stays.
    QTest::keyClick(window.get(), Qt::Key_4);
    QTest::qWait(50);
    QCOMPARE(controller->n(), 2);
    // F5 from the tour window enters and leaves.
    QApplication::setActiveWindow(tour);
    QTest::keyClick(tour, Qt::Key_F5);
    QVERIFY(tour->presenting());
    QTest::keyClick(tour, Qt::Key_F5);
    QVERIFY(!tour->presenting());
    tour->close();
}

void ExplorerWindowTest::settingsSurviveARestart()
{
    QSize size;
    int preview = 0;
    {
        auto window = startedWindow();
        window->resize(1013, 701);
        QAction* zoomIn = menuAction(*window, QKeySequence(QKeySequence::ZoomIn));
        QVERIFY(zoomIn);
        zoomIn->trigger();
        preview = window->slotGrid()->previewSize();
        QVERIFY(preview > 112);
        window->controller()->loadModel(former_);
        QVERIFY(QTest::qWaitFor([&] { return QString::fromStdString(window->controller()->model().path) == former_; }, 20000));
        waitUntilIdle(*window);
        size = window->size();
        window->close();
    }
    // The restarted window is started on the conv folder, but reopens the model last used.
    auto window = startedWindow();
    QCOMPARE(window->size(), size);
    QCOMPARE(window->slotGrid()->previewSize(), preview);
    QCOMPARE(QString::fromStdString(window->controller()->model().path), former_);
    const QStringList recent = QSettings().value("recent/models").toStringList();
    QCOMPARE(recent.value(0), QFileInfo(former_).absoluteFilePath());
    QVERIFY(recent.contains(QFileInfo(conv_).absoluteFilePath()));
}

void ExplorerWindowTest::screenshotIsNotBlank()
{
    auto window = startedWindow();
    QVERIFY(drop(window.get(), {dir_.filePath("folder"), dir_.filePath("single.png")}));
    QVERIFY(QTest::qWaitFor([&] { return window->controller()->resultIsCurrent(); }, 20000));
    window->resize(1100, 760);
    QTest::qWait(50);
    const QImage shot = window->grab().toImage();
    QVERIFY(hasVisibleContent(shot));
    const QString path = QDir(QCoreApplication::applicationDirPath()).filePath("explorer-window.png");
    QVERIFY(shot.save(path));
    QVERIFY(QFileInfo(path).size() > 1000);
}

void ExplorerWindowTest::commandLineScreenshot()
{
    QTemporaryDir dir;
    const QString path = dir.filePath("window.png");
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("MIMO_MODELS_DIR", QFileInfo(conv_).absolutePath());
    environment.insert("XDG_CONFIG_HOME", dir.path()); // its own settings
    process.setProcessEnvironment(environment);
    process.start(qEnvironmentVariable("MIMO_BIN_DIR") + "/mimo-explorer", {"--screenshot", path});
    QVERIFY(process.waitForFinished(60000));
    QCOMPARE(process.exitCode(), 0);
    QImage image(path);
    QVERIFY(!image.isNull());
    QVERIFY(hasVisibleContent(image));
}

QTEST_MAIN(ExplorerWindowTest)
#include "test_explorer_window.moc"
