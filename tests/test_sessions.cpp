// Sessions (save, reopen, compare every field and the predictions), undo / redo of N, key and
// input changes, bad session files, and the headless modes: `mimo-explorer --batch`,
// `--screenshot --session`, and `mimo eval --config` / `--keys`.
#include "explorer_fixtures.h"

#include "core/errors.h"
#include "core/explore/batch_evaluation.h"
#include "core/explore/session_file.h"
#include "core/model/model_catalog.h"
#include "ui/batch/batch_evaluation_dialog.h"
#include "ui/batch/batch_evaluation_form.h"
#include "ui/batch/evaluation_task.h"
#include "ui/controller/edit_history.h"
#include "ui/inside/activations_view.h"
#include "ui/inside/inside_panel.h"
#include "ui/inside/throughput_view.h"
#include "ui/panels/slot_grid.h"
#include "ui/panels/slot_widget.h"
#include "ui/session/session_actions.h"
#include "ui/window/message_bar.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSettings>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using namespace explorer_fixtures;

class SessionsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void sessionFileRoundTripsEveryField();
    void sessionFileErrorsNameTheFile_data();
    void sessionFileErrorsNameTheFile();
    void atomicWritesLeaveNoHalfFile();
    void movedSessionFolderFindsItsFiles();
    void windowSessionRoundTrip();
    void undoRedoNKeysAndInputs();
    void badSessionsKeepTheWork();
    void headlessBatchRun();
    void commandLineScreenshotOfASession();
    void evalConfigAndKeysFromTheCommandLine();

private:
    std::unique_ptr<MainWindow> startedWindow();
    QImage windowPicture(const QString& session);
    static QJsonObject runJson(const QString& program, const QStringList& arguments, int* exitCode, QString* err = nullptr);
    static mimo::SessionData sampleSession(const QString& image);

    QTemporaryDir settingsDir_;
    QTemporaryDir dir_;
    QString conv_, images_;
};

void SessionsTest::initTestCase()
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
    QCoreApplication::setOrganizationName("MIMO Explorer Tests");
    QCoreApplication::setApplicationName("test_sessions");
    QDir(dir_.path()).mkpath("models");
    conv_ = dir_.filePath("models/tiny-conv.pt");
    writeConvModel(conv_, 12, 1, 8);
    images_ = dir_.filePath("images");
    int seed = 0;
    for (const char* label : {"dark", "bright", "striped"}) {
        QDir(images_).mkpath(label);
        for (int i = 0; i < 4; ++i)
            writeImage(QString("%1/%2/%3.png").arg(images_, label).arg(i), seed++);
    }
}

void SessionsTest::init() { QSettings().clear(); }

std::unique_ptr<MainWindow> SessionsTest::startedWindow()
{
    auto window = std::make_unique<MainWindow>();
    window->resize(1100, 760);
    window->show();
    window->start({QFileInfo(conv_).absolutePath()});
    if (!QTest::qWaitFor([&] { return window->controller()->hasModel(); }, 30000))
        qWarning("the start-up model did not load");
    waitUntilIdle(*window);
    return window;
}

QJsonObject SessionsTest::runJson(const QString& program, const QStringList& arguments, int* exitCode, QString* err)
{
    QProcess process;
    process.start(qEnvironmentVariable("MIMO_BIN_DIR") + "/" + program, arguments);
    if (!process.waitForFinished(120000))
        qWarning("%s did not finish", qPrintable(program));
    *exitCode = process.exitCode();
    if (err)
        *err = QString::fromUtf8(process.readAllStandardError());
    return QJsonDocument::fromJson(process.readAllStandardOutput()).object();
}

mimo::SessionData SessionsTest::sampleSession(const QString& image)
{
    mimo::SessionData session;
    session.modelPath = "/models/some model.pt";
    session.device = "cpu";
    session.n = 4;
    session.keys.kind = mimo::KeyChoice::Kind::Values;
    session.keys.rows = 2;
    session.keys.cols = 3;
    session.keys.values = {0.5f, -1.25f, 3.0f, 1e-7f, 2.0f, -0.0f};
    session.keys.sourceName = "keys.csv";
    mimo::InputSource file;
    file.path = image.toStdString();
    mimo::InputSource encoded;
    encoded.origin = mimo::InputSource::Origin::EncodedBytes;
    encoded.bytes = {0x89, 'P', 'N', 'G', 0, 255, 17};
    encoded.name = "pasted image";
    mimo::InputSource pixels;
    pixels.origin = mimo::InputSource::Origin::Pixels;
    pixels.width = 2;
    pixels.height = 1;
    pixels.channels = 3;
    pixels.bytes = {1, 2, 3, 250, 251, 252};
    mimo::InputSource text;
    text.origin = mimo::InputSource::Origin::Text;
    text.text = "[MAX 2 9 \"quoted\" ]\n";
    mimo::InputSource sample;
    sample.origin = mimo::InputSource::Origin::DatasetSample;
    sample.dataset = "fashion-mnist:test";
    sample.index = 1234;
    session.inputs = {file, encoded, std::nullopt, pixels, text, sample};
    session.view = {{"inside/tab", "2"}, {"inside/activations/layer", "layer 2"}};
    mimo::BatchResult batch;
    batch.config.models = {"/a.pt", "/b.pt"};
    batch.config.ns = {1, 2};
    batch.config.keys.kind = mimo::KeyChoice::Kind::Family;
    batch.config.keys.family = mimo::KeyFamily::Unitary;
    batch.config.keys.seed = 9;
    batch.startedAt = "2026-11-30T12:00:00Z";
    batch.seconds = 1.5;
    mimo::BatchModelResult a;
    a.path = "/a.pt";
    a.name = "A";
    a.dataset = "images:/x";
    a.classNames = {"p", "q"};
    mimo::EvalRow row;
    row.n = 2;
    row.count = 10;
    row.correct = 7;
    row.accuracy = 0.7;
    row.ciLow = 0.4;
    row.ciHigh = 0.9;
    row.inputsPerSecond = 123.5;
    row.speedup = 1.9;
    row.perClassAccuracy = {0.5, 0.9};
    a.report.rows = {row};
    a.report.device = "cpu";
    mimo::BatchModelResult b;
    b.path = "/b.pt";
    b.name = "b.pt";
    b.error = "/b.pt: not a model file";
    batch.models = {a, b};
    session.batch = batch;
    return session;
}

void SessionsTest::sessionFileRoundTripsEveryField()
{
    const QString path = dir_.filePath("every-field.mimo-session");
    const mimo::SessionData session = sampleSession(dir_.filePath("images/dark/0.png"));
    mimo::writeSessionFile(path.toStdString(), session);
    const mimo::SessionData back = mimo::readSessionFile(path.toStdString());
    QVERIFY(back == session);
    QCOMPARE(back.inputs.size(), size_t(6));
    QVERIFY(!back.inputs[2].has_value());
    QCOMPARE(back.keys.values, session.keys.values);
    QCOMPARE(back.batch->models[1].error, std::string("/b.pt: not a model file"));
    QCOMPARE(back.batch->models[0].report.rows[0].perClassAccuracy, (std::vector<double>{0.5, 0.9}));
    // A change anywhere is seen by the comparison (so the equality above means something).
    mimo::SessionData changed = back;
    changed.inputs[3]->bytes[5] = 0;
    QVERIFY(!(changed == session));
    changed = back;
    changed.batch->models[0].report.rows[0].correct = 6;
    QVERIFY(!(changed == session));
}

void SessionsTest::sessionFileErrorsNameTheFile_data()
{
    QTest::addColumn<bool>("create");
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("problem");
    const QByteArray head = "{\"format\": \"mimo-explorer-session\", \"version\": 1, ";
    QTest::newRow("not JSON") << true << QByteArray("{ not json") << "invalid JSON";
    QTest::newRow("no format") << true << QByteArray("{\"hello\": 1}") << "not a MIMO Explorer session";
    QTest::newRow("format not a text") << true << QByteArray("{\"format\": 1}") << "not a MIMO Explorer session";
    QTest::newRow("no version") << true << QByteArray("{\"format\": \"mimo-explorer-session\"}") << "version";
    QTest::newRow("device a number") << true << head + "\"device\": 3}" << "device";
    QTest::newRow("base64 truncated") << true
                                      << head + "\"inputs\": [{\"origin\": \"encoded\", \"data\": \"QUJD\"}, "
                                                "{\"origin\": \"encoded\", \"data\": \"QUJDR\"}]}"
                                      << "truncated";
    QTest::newRow("newer version") << true << QByteArray("{\"format\": \"mimo-explorer-session\", \"version\": 99}")
                                   << "newer";
    QTest::newRow("n a word") << true << head + "\"n\": \"four\"}" << "n:";
    QTest::newRow("base64 invalid") << true << head + "\"inputs\": [{\"origin\": \"encoded\", \"data\": \"%%%\"}]}"
                                    << "base64";
    QTest::newRow("unknown key family") << true
                                        << head + "\"keys\": {\"kind\": \"family\", \"family\": \"paisley\"}}"
                                        << "paisley";
    QTest::newRow("missing file") << false << QByteArray() << "not found";
}

void SessionsTest::sessionFileErrorsNameTheFile()
{
    QFETCH(bool, create);
    QFETCH(QByteArray, content);
    QFETCH(QString, problem);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("bad.mimo-session");
    if (create)
        writeBytes(path, content);
    try {
        mimo::readSessionFile(path.toStdString());
        QFAIL("accepted");
    } catch (const mimo::DataError& error) {
        QVERIFY2(QString::fromStdString(error.what()).contains(path), error.what());
        QVERIFY2(QString::fromStdString(error.problem()).contains(problem), error.what());
    }
}

void SessionsTest::atomicWritesLeaveNoHalfFile()
{
    QTemporaryDir dir;
    const QString target = dir.filePath("results.json");
    mimo::writeFileAtomically(target.toStdString(), "first");
    QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner);
    mimo::writeFileAtomically(target.toStdString(), "second, longer");
    QFile file(target);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), QByteArray("second, longer"));
    const auto kept = QFile::permissions(target);
    QVERIFY(kept.testFlag(QFile::ReadOwner) && kept.testFlag(QFile::WriteOwner));
    QVERIFY(!kept.testFlag(QFile::ReadGroup) && !kept.testFlag(QFile::ReadOther)); // still private
    // A missing folder, and a target that cannot be replaced (a folder): errors naming the path,
    // no temporary left behind, the folder untouched.
    try {
        mimo::writeFileAtomically(dir.filePath("no/such/folder/x.csv").toStdString(), "x");
        QFAIL("wrote into a missing folder");
    } catch (const mimo::DataError& error) {
        QVERIFY(QString::fromStdString(error.what()).contains("no/such/folder/x.csv"));
    }
    QVERIFY(QDir(dir.path()).mkdir("taken"));
    try {
        mimo::writeFileAtomically(dir.filePath("taken").toStdString(), "x");
        QFAIL("replaced a folder");
    } catch (const mimo::DataError& error) {
        QVERIFY(QString::fromStdString(error.what()).contains("taken"));
    }
    QVERIFY(QFileInfo(dir.filePath("taken")).isDir());
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"results.json"});
}

void SessionsTest::movedSessionFolderFindsItsFiles()
{
    QTemporaryDir base;
    QDir(base.path()).mkpath("project/inputs");
    writeImage(base.filePath("project/inputs/a.png"), 3);
    QFile::copy(conv_, base.filePath("project/model.pt"));
    mimo::SessionData session;
    session.modelPath = base.filePath("project/model.pt").toStdString();
    mimo::InputSource input;
    input.path = base.filePath("project/inputs/a.png").toStdString();
    session.inputs = {input};
    mimo::writeSessionFile(base.filePath("project/s.mimo-session").toStdString(), session);
    QVERIFY(QDir(base.path()).rename("project", "moved"));
    const auto back = mimo::readSessionFile(base.filePath("moved/s.mimo-session").toStdString());
    QCOMPARE(QString::fromStdString(back.modelPath), QDir::cleanPath(base.filePath("moved/model.pt")));
    QCOMPARE(QString::fromStdString(back.inputs[0]->path), QDir::cleanPath(base.filePath("moved/inputs/a.png")));
}

void SessionsTest::windowSessionRoundTrip()
{
    auto window = startedWindow();
    ExplorerController* controller = window->controller();
    controller->setN(2);
    QVERIFY(waitUntilIdle(*window));
    mimo::KeyChoice keys;
    keys.kind = mimo::KeyChoice::Kind::Family;
    keys.family = mimo::KeyFamily::Sphere;
    keys.seed = 5;
    controller->setKeys(keys);
    QVERIFY(waitUntilIdle(*window));
    // A file in slot 1 and a pasted image (pixels, embedded in the session) in slot 2.
    mimo::InputSource file;
    file.path = dir_.filePath("images/bright/1.png").toStdString();
    mimo::InputSource pasted;
    pasted.origin = mimo::InputSource::Origin::Pixels;
    pasted.width = 5;
    pasted.height = 4;
    pasted.channels = 1;
    for (int i = 0; i < 20; ++i)
        pasted.bytes.push_back(uint8_t(i * 12));
    pasted.name = "pasted image";
    controller->inputs().setInputs({file, pasted}, 0);
    QVERIFY(waitUntilIdle(*window));
    QVERIFY(controller->resultIsCurrent());
    // View settings: named controls of the inside views, the activations' layer list among them
    // (it fills only once the activations are computed, after the session's run).
    window->insidePanel()->setCurrentWidget(window->insidePanel()->activationsView());
    auto* layer = window->insidePanel()->activationsView()->findChild<QComboBox*>("layer");
    QVERIFY(layer);
    QVERIFY(QTest::qWaitFor([&] { return layer->count() > 2; }, 20000));
    layer->setCurrentIndex(layer->count() - 1);
    const QString layerName = layer->currentText();
    QVERIFY(waitUntilIdle(*window));
    auto* logX = window->insidePanel()->findChild<QCheckBox*>("logX");
    auto* range = window->insidePanel()->findChild<QComboBox*>("range");
    QVERIFY(logX && range);
    QVERIFY(!logX->isChecked());
    logX->setChecked(true);
    range->setCurrentIndex(2);
    // Batch results kept in the session: a real batch over the image folder.
    BatchEvaluationDialog* batch = window->batchDialog();
    mimo::BatchConfig config;
    config.models = {conv_.toStdString()};
    config.dataset = "images:" + images_.toStdString();
    config.ns = {1, 2};
    config.batch = 4;
    batch->form()->setConfig(config);
    QVERIFY(batch->start());
    QVERIFY(QTest::qWaitFor([&] { return !batch->result().models.empty() && !batch->result().models[0].report.rows.empty() &&
                                         batch->result().models[0].report.rows.size() == 2 && !batch->task()->running(); },
                            60000));
    // The main window follows the batch: its live curve, and the outcome in the status bar.
    const auto curves = window->insidePanel()->throughputView()->series();
    QCOMPARE(curves.size(), 1);
    QCOMPARE(curves[0].rows.size(), std::size_t(2));
    QVERIFY2(window->statusBar()->currentMessage().contains("Batch evaluation"),
             qPrintable(window->statusBar()->currentMessage()));
    const mimo::SessionData saved = [&] {
        mimo::SessionData s = controller->sessionData();
        return s;
    }();
    const auto probabilities = controller->result()->superposedProbabilities;
    const auto alone = controller->result()->aloneProbabilities;
    const QString path = dir_.filePath("window.mimo-session");
    QVERIFY(window->sessions()->saveTo(path));
    const std::string batchJson = mimo::batchResultToJson(batch->result());
    window.reset();

    // A fresh window opens the session: model, N, keys, inputs, view and batch as they were.
    QSettings().clear();
    MainWindow reopened;
    reopened.resize(1100, 760);
    reopened.show();
    QSignalSpy applied(reopened.sessions(), &SessionActions::sessionApplied);
    reopened.startWithSession({QFileInfo(conv_).absolutePath()}, path);
    QVERIFY(applied.wait(30000));
    QVERIFY(QTest::qWaitFor([&] { return reopened.controller()->resultIsCurrent(); }, 30000));
    QVERIFY(waitUntilIdle(reopened));
    const mimo::SessionData back = reopened.controller()->sessionData();
    QCOMPARE(back.modelPath, saved.modelPath);
    QCOMPARE(back.device, saved.device);
    QCOMPARE(back.n, 2);
    QVERIFY(back.keys == keys);
    QCOMPARE(back.inputs.size(), saved.inputs.size());
    for (size_t i = 0; i < back.inputs.size(); ++i)
        QVERIFY2(mimo::sameInput(*back.inputs[i], *saved.inputs[i]), qPrintable(QString("slot %1").arg(i + 1)));
    const auto* result = reopened.controller()->result();
    QCOMPARE(result->superposedProbabilities.size(), probabilities.size());
    for (size_t s = 0; s < probabilities.size(); ++s)
        for (size_t c = 0; c < probabilities[s].size(); ++c) {
            QVERIFY(qAbs(result->superposedProbabilities[s][c] - probabilities[s][c]) < 1e-6f);
            QVERIFY(qAbs(result->aloneProbabilities[s][c] - alone[s][c]) < 1e-6f);
        }
    QCOMPARE(reopened.insidePanel()->currentWidget(), static_cast<QWidget*>(reopened.insidePanel()->activationsView()));
    auto* reopenedLayer = reopened.insidePanel()->activationsView()->findChild<QComboBox*>("layer");
    QVERIFY(QTest::qWaitFor([&] { return reopenedLayer->currentText() == layerName; }, 20000));
    QVERIFY(reopened.insidePanel()->findChild<QCheckBox*>("logX")->isChecked());
    QCOMPARE(reopened.insidePanel()->findChild<QComboBox*>("range")->currentIndex(), 2);
    QCOMPARE(mimo::batchResultToJson(reopened.batchDialog()->result()), batchJson);
    QVERIFY(reopened.windowTitle().contains("window.mimo-session"));
}

void SessionsTest::undoRedoNKeysAndInputs()
{
    auto window = startedWindow();
    ExplorerController* controller = window->controller();
    QUndoStack* stack = window->editHistory()->stack();
    QCOMPARE(stack->count(), 0); // loading the model is not an edit
    controller->inputs().openPaths({images_ + "/dark"}, 0); // four images fill the four slots: one edit
    QVERIFY(waitUntilIdle(*window));
    QCOMPARE(stack->count(), 1);
    QVERIFY(controller->resultIsCurrent());
    const EditState start = controller->editState();
    const auto startProbabilities = controller->result()->superposedProbabilities;

    controller->setN(2);
    QVERIFY(waitUntilIdle(*window));
    const EditState afterN = controller->editState();
    mimo::KeyChoice keys;
    keys.kind = mimo::KeyChoice::Kind::Family;
    keys.family = mimo::KeyFamily::Bipolar;
    keys.seed = 2;
    controller->setKeys(keys);
    QVERIFY(waitUntilIdle(*window));
    const EditState afterKeys = controller->editState();
    QVERIFY(drop(window->slotGrid()->slotWidget(1), {dir_.filePath("images/striped/2.png")}));
    QVERIFY(waitUntilIdle(*window));
    const EditState afterInput = controller->editState();
    QCOMPARE(stack->count(), 4);
    QVERIFY(stack->undoText().startsWith("Input"));

    window->editHistory()->undoAction()->trigger();
    QVERIFY(waitUntilIdle(*window));
    QVERIFY(controller->editState().sameAs(afterKeys));
    window->editHistory()->undoAction()->trigger();
    QVERIFY(waitUntilIdle(*window));
    QVERIFY(controller->editState().sameAs(afterN));
    QVERIFY(controller->keys() == mimo::KeyChoice{});
    window->editHistory()->undoAction()->trigger();
    QVERIFY(waitUntilIdle(*window));
    QVERIFY(controller->editState().sameAs(start));
    QCOMPARE(stack->index(), 1); // the first filling of the slots is still undoable
    // Undoing brings back the same predictions, recomputed.
    QVERIFY(controller->resultIsCurrent());
    const auto again = controller->result()->superposedProbabilities;
    for (size_t s = 0; s < again.size(); ++s)
        for (size_t c = 0; c < again[s].size(); ++c)
            QVERIFY(qAbs(again[s][c] - startProbabilities[s][c]) < 1e-6f);

    for (int i = 0; i < 3; ++i) {
        window->editHistory()->redoAction()->trigger();
        QVERIFY(waitUntilIdle(*window));
    }
    QVERIFY(controller->editState().sameAs(afterInput));
    QCOMPARE(controller->n(), 2);
    QVERIFY(controller->keys() == keys);
    // A new edit after an undo drops the redo branch; loading a model starts a new history.
    window->editHistory()->undoAction()->trigger();
    QVERIFY(waitUntilIdle(*window));
    controller->setN(1);
    QVERIFY(waitUntilIdle(*window));
    QVERIFY(!window->editHistory()->redoAction()->isEnabled());
    controller->loadModel(conv_);
    QVERIFY(waitUntilIdle(*window));
    QCOMPARE(stack->count(), 0);
}

void SessionsTest::badSessionsKeepTheWork()
{
    auto window = startedWindow();
    ExplorerController* controller = window->controller();
    controller->setN(2);
    controller->inputs().openPaths({images_ + "/bright"}, 0);
    QVERIFY(waitUntilIdle(*window));
    QVERIFY(controller->resultIsCurrent());
    const EditState before = controller->editState();
    const std::string model = controller->model().path;

    const QString junk = dir_.filePath("junk.mimo-session");
    writeBytes(junk, "{ this is not json");
    QVERIFY(!window->sessions()->openFrom(junk));
    QVERIFY(window->messageBar()->isVisible());
    QVERIFY(window->messageBar()->message().contains(junk));

    // A session whose model is gone: a message names it, and the work in the window stays.
    mimo::SessionData session = controller->sessionData();
    session.modelPath = dir_.filePath("models/gone.pt").toStdString();
    const QString missing = dir_.filePath("missing-model.mimo-session");
    mimo::writeSessionFile(missing.toStdString(), session);
    QVERIFY(window->sessions()->openFrom(missing));
    QVERIFY(waitUntilIdle(*window));
    QVERIFY(window->messageBar()->message().contains("gone.pt"));
    QCOMPARE(controller->model().path, model);
    QVERIFY(controller->editState().sameAs(before));
    QVERIFY(controller->resultIsCurrent() || QTest::qWaitFor([&] { return controller->resultIsCurrent(); }, 20000));

    // A session whose input file was deleted opens; the slot is named and left for an example.
    const QString gone = dir_.filePath("deleted.png");
    writeImage(gone, 9);
    session = controller->sessionData();
    mimo::InputSource input;
    input.path = gone.toStdString();
    session.inputs[0] = input;
    const QString partial = dir_.filePath("partial.mimo-session");
    mimo::writeSessionFile(partial.toStdString(), session);
    QFile::remove(gone);
    QSignalSpy applied(window->sessions(), &SessionActions::sessionApplied);
    QVERIFY(window->sessions()->openFrom(partial));
    QVERIFY(applied.wait(30000));
    QVERIFY(waitUntilIdle(*window));
    QVERIFY(window->messageBar()->message().contains("slot 1"));
    QVERIFY(window->messageBar()->message().contains("deleted.png"));
    QVERIFY(!controller->slotInputs()[0].has_value());
    QCOMPARE(controller->n(), 2);
}

void SessionsTest::headlessBatchRun()
{
    QTemporaryDir out;
    const QString config = out.filePath("batch.json");
    writeBytes(config, QString("{\"models\": [\"%1\", \"broken.pt\"], \"dataset\": \"images:%2\", \"n\": [1, 2, 4], "
                               "\"batch\": 4, \"keys\": {\"kind\": \"family\", \"family\": \"bipolar\", \"seed\": 3}}")
                           .arg(conv_, images_)
                           .toUtf8());
    writeBytes(out.filePath("broken.pt"), "not a model"); // relative paths are the config's folder's
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.remove("QT_QPA_PLATFORM"); // --batch chooses offscreen by itself
    environment.insert("DISPLAY", "");
    environment.insert("WAYLAND_DISPLAY", "");
    process.setProcessEnvironment(environment);
    process.start(qEnvironmentVariable("MIMO_BIN_DIR") + "/mimo-explorer",
                  {"--batch", config, "--out", out.filePath("results")});
    QVERIFY(process.waitForFinished(120000));
    const QString err = QString::fromUtf8(process.readAllStandardError());
    QCOMPARE(process.exitCode(), 1); // the broken model fails; the other's results are written
    QVERIFY2(err.contains("broken.pt"), qPrintable(err));
    for (const char* name : {"results.csv", "results.json", "config.json"})
        QVERIFY2(QFileInfo(out.filePath(QString("results/") + name)).size() > 50, name);
    // The curves, each in three formats, as files a viewer opens.
    int curves = 0;
    for (const QFileInfo& png : QDir(out.filePath("results")).entryInfoList({"*.png"})) {
        const QImage image(png.filePath());
        QVERIFY2(!image.isNull() && image.width() > 300, qPrintable(png.fileName()));
        const QString stem = png.filePath().chopped(4);
        QFile pdf(stem + ".pdf"), svg(stem + ".svg");
        QVERIFY(pdf.open(QIODevice::ReadOnly) && pdf.read(5) == "%PDF-");
        QVERIFY(svg.open(QIODevice::ReadOnly) && svg.readAll().contains("<svg"));
        ++curves;
    }
    QCOMPARE(curves, 2);
    // The same curves drawn again from the results file alone (as `mimo eval --out` leaves it).
    QProcess plot;
    plot.start(qEnvironmentVariable("MIMO_BIN_DIR") + "/mimo-explorer",
               {"--plot", out.filePath("results/results.json"), "--out", out.filePath("plot")});
    QVERIFY(plot.waitForFinished(60000));
    QCOMPARE(plot.exitCode(), 0);
    QCOMPARE(QDir(out.filePath("plot")).entryList({"*.png", "*.pdf", "*.svg"}).size(), 6);
    QCOMPARE(QImage(out.filePath("plot/throughput-accuracy.png")).size(),
             QImage(out.filePath("results/throughput-accuracy.png")).size());
    // Drawn again where no file may grow past 4 KiB (as on a full disk): every old file stays
    // whole, each failure names its file, the exit code says so. QSaveFile had left an empty PDF.
    QMap<QString, QByteArray> before;
    for (const QFileInfo& file : QDir(out.filePath("plot")).entryInfoList({"*.png", "*.pdf", "*.svg"})) {
        QFile kept(file.filePath());
        QVERIFY(kept.open(QIODevice::ReadOnly));
        before[file.filePath()] = kept.readAll();
        QVERIFY(before[file.filePath()].size() > 4096);
    }
    plot.start("/bin/sh", {"-c", "trap '' XFSZ; ulimit -f 4; exec \"$0\" --plot \"$1\" --out \"$2\"",
                           qEnvironmentVariable("MIMO_BIN_DIR") + "/mimo-explorer",
                           out.filePath("results/results.json"), out.filePath("plot")});
    QVERIFY(plot.waitForFinished(60000));
    QCOMPARE(plot.exitCode(), 1);
    const QString full = QString::fromUtf8(plot.readAllStandardError());
    for (auto file = before.cbegin(); file != before.cend(); ++file) {
        QVERIFY2(full.contains(QFileInfo(file.key()).fileName() + ": could not be written"), qPrintable(full));
        QFile kept(file.key());
        QVERIFY(kept.open(QIODevice::ReadOnly));
        QVERIFY2(kept.readAll() == file.value(), qPrintable(file.key()));
    }
    QCOMPARE(QDir(out.filePath("plot")).entryList(QDir::Files | QDir::Hidden).size(), 6); // no temporary left

    // The numbers are mimo eval's for the same config.
    QFile json(out.filePath("results/results.json"));
    QVERIFY(json.open(QIODevice::ReadOnly));
    const QJsonArray models = QJsonDocument::fromJson(json.readAll()).object()["models"].toArray();
    QCOMPARE(models.size(), 2);
    QVERIFY(models[1].toObject()["error"].toString().contains("broken.pt"));
    int exitCode = 0;
    const QJsonObject eval = runJson("mimo", {"eval", "--model", conv_, "--data", "images:" + images_, "--n", "1,2,4",
                                              "--batch", "4", "--keys", "bipolar:3", "--json"},
                                     &exitCode);
    QCOMPARE(exitCode, 0);
    const QJsonArray evalRows = eval["results"].toArray();
    const QJsonArray batchRows = models[0].toObject()["results"].toArray();
    QCOMPARE(batchRows.size(), 3);
    QCOMPARE(evalRows.size(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(batchRows[i].toObject()["n"].toInt(), evalRows[i].toObject()["n"].toInt());
        QCOMPARE(batchRows[i].toObject()["correct"].toInt(), evalRows[i].toObject()["correct"].toInt());
        QCOMPARE(batchRows[i].toObject()["count"].toInt(), 12);
    }
    // The CSV has a row per N plus the failed model's.
    QFile csv(out.filePath("results/results.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QCOMPARE(csv.readAll().count('\n'), 1 + 3 + 1);

    QProcess noOut;
    noOut.start(qEnvironmentVariable("MIMO_BIN_DIR") + "/mimo-explorer", {"--batch", config});
    QVERIFY(noOut.waitForFinished(60000));
    QCOMPARE(noOut.exitCode(), 2);
    writeBytes(out.filePath("bad.json"), "{\"models\": [\"x.pt\"], \"colour\": \"red\"}");
    QProcess bad;
    bad.start(qEnvironmentVariable("MIMO_BIN_DIR") + "/mimo-explorer",
              {"--batch", out.filePath("bad.json"), "--out", out.filePath("bad")});
    QVERIFY(bad.waitForFinished(60000));
    QCOMPARE(bad.exitCode(), 2);
    const QString badErr = QString::fromUtf8(bad.readAllStandardError());
    QVERIFY2(badErr.contains("bad.json") && badErr.contains("colour"), qPrintable(badErr));
}

namespace {

// Share of pixels that differ clearly between two pictures of one size (1 when sizes differ).
double differingShare(const QImage& a, const QImage& b)
{
    if (a.size() != b.size() || a.isNull())
        return 1.0;
    const QImage x = a.convertToFormat(QImage::Format_RGB32), y = b.convertToFormat(QImage::Format_RGB32);
    qint64 differing = 0;
    for (int row = 0; row < x.height(); ++row) {
        const auto* p = reinterpret_cast<const QRgb*>(x.constScanLine(row));
        const auto* q = reinterpret_cast<const QRgb*>(y.constScanLine(row));
        for (int column = 0; column < x.width(); ++column)
            differing += qAbs(qRed(p[column]) - qRed(q[column])) + qAbs(qGreen(p[column]) - qGreen(q[column])) +
                             qAbs(qBlue(p[column]) - qBlue(q[column])) > 48;
    }
    return double(differing) / (double(x.width()) * x.height());
}

} // namespace

// What the window shows once `session` (or the default start, for an empty one) is open in this
// process, through the same path a start-up takes, drawn as `mimo-explorer --screenshot` draws it.
QImage SessionsTest::windowPicture(const QString& session)
{
    QSettings().clear();
    MainWindow window; // fresh settings: the default size, as a screenshot run has
    QStringList directories;
    for (const auto& folder : mimo::bundledModelDirectories(qEnvironmentVariable("MIMO_BIN_DIR").toStdString()))
        directories << QString::fromStdString(folder);
    window.show();
    if (session.isEmpty())
        window.start(directories);
    else
        window.startWithSession(directories, session);
    if (!QTest::qWaitFor([&] { return window.controller()->hasModel(); }, 30000))
        qWarning("no model loaded");
    waitUntilIdle(window);
    if (!QTest::qWaitFor([&] { return window.controller()->inspections().isCurrent(); }, 10000))
        qWarning("the inside view was not drawn");
    QTest::qWait(150); // the slots' queued refits and plot redraws, as the screenshot run waits
    if (!QTest::qWaitFor([&] { return window.layoutSettled(); }, 3000))
        qWarning("the split between the slots and the views did not settle");
    return window.grab().toImage();
}

void SessionsTest::commandLineScreenshotOfASession()
{
    QTemporaryDir dir;
    mimo::SessionData session;
    session.modelPath = conv_.toStdString();
    session.n = 2;
    session.device = "cpu";
    for (const char* file : {"images/dark/1.png", "images/striped/3.png"}) {
        mimo::InputSource input;
        input.path = dir_.filePath(file).toStdString();
        session.inputs.push_back(input);
    }
    session.view = {{"inside/inside", "1"}};
    const QString path = dir.filePath("shot.mimo-session");
    mimo::writeSessionFile(path.toStdString(), session);
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("XDG_CONFIG_HOME", dir.path());
    process.setProcessEnvironment(environment);
    const QString shot = dir.filePath("shot.png");
    const auto screenshot = [&](const QStringList& arguments) {
        QFile::remove(shot);
        process.start(qEnvironmentVariable("MIMO_BIN_DIR") + "/mimo-explorer", arguments);
        if (!process.waitForFinished(60000))
            qWarning("mimo-explorer did not finish");
        return QImage(shot);
    };

    // The picture is the session's window (its model, N = 2, its two inputs, its view), not the
    // default start: Qt once took --session for X11 session management and the run showed the
    // default model. Only the measured time of the run may differ between two pictures.
    const QImage expected = windowPicture(path);
    const QImage fallback = windowPicture(QString());
    QVERIFY2(differingShare(expected, fallback) > 0.05, "the session looks like the default start: the check cannot tell");
    for (const QStringList& arguments : {QStringList{"--session", path, "--screenshot", shot},
                                         QStringList{"--screenshot", shot, "--session=" + path},
                                         QStringList{"--screenshot", shot, path}}) { // as a file manager passes it
        const QImage picture = screenshot(arguments);
        QCOMPARE(process.exitCode(), 0);
        const double share = differingShare(picture, expected);
        if (share >= 0.02) { // kept for the failure report: what the run drew beside what it should
            picture.save(QDir::temp().filePath("session-screenshot-drawn.png"));
            expected.save(QDir::temp().filePath("session-screenshot-expected.png"));
        }
        QVERIFY2(share < 0.02, qPrintable(QString("%1: %2 % of the picture differs from the session's window (%3)")
                                              .arg(arguments.join(' '))
                                              .arg(100 * share, 0, 'f', 1)
                                              .arg(QString::fromUtf8(process.readAllStandardError()))));
    }

    // A session whose model is gone, and one that is not a session at all: non-zero, naming the
    // file and what is wrong.
    session.modelPath = dir.filePath("gone.pt").toStdString();
    const QString broken = dir.filePath("broken.mimo-session");
    mimo::writeSessionFile(broken.toStdString(), session);
    screenshot({"--screenshot", shot, broken});
    QCOMPARE(process.exitCode(), 1);
    QString err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(err.contains("gone.pt") && err.contains("no model"), qPrintable(err));
    const QString notJson = dir.filePath("notes.mimo-session");
    writeBytes(notJson, "these are my notes\n");
    screenshot({"--session", notJson, "--screenshot", shot});
    QCOMPARE(process.exitCode(), 2);
    err = QString::fromUtf8(process.readAllStandardError());
    QVERIFY2(err.contains("notes.mimo-session") && err.contains("invalid JSON"), qPrintable(err));
    QVERIFY(!QFile::exists(shot));
}

void SessionsTest::evalConfigAndKeysFromTheCommandLine()
{
    QTemporaryDir dir;
    const QString config = dir.filePath("c.json");
    writeBytes(config, QString("{\"models\": [\"%1\"], \"dataset\": \"images:%2\", \"n\": [2], \"limit\": 6}")
                           .arg(conv_, images_)
                           .toUtf8());
    int exitCode = 0;
    const QJsonObject batch = runJson("mimo", {"eval", "--config", config, "--json", "--out", dir.filePath("out")}, &exitCode);
    QCOMPARE(exitCode, 0);
    const QJsonArray rows = batch["models"].toArray()[0].toObject()["results"].toArray();
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows[0].toObject()["count"].toInt(), 6);
    QVERIFY(QFileInfo::exists(dir.filePath("out/results.csv")));
    // Keys from the command line, described in the output; the same seed gives the same numbers.
    const QJsonObject first = runJson("mimo", {"eval", "--model", conv_, "--data", "images:" + images_, "--keys",
                                               "gaussian:7", "--json"},
                                      &exitCode);
    QCOMPARE(exitCode, 0);
    QCOMPARE(first["keys"].toString(), QString("gaussian keys, seed 7"));
    const QJsonObject second = runJson("mimo", {"eval", "--model", conv_, "--data", "images:" + images_, "--keys",
                                                "gaussian:7", "--json"},
                                       &exitCode);
    for (int i = 0; i < first["results"].toArray().size(); ++i)
        QCOMPARE(first["results"].toArray()[i].toObject()["correct"].toInt(),
                 second["results"].toArray()[i].toObject()["correct"].toInt());
    QString err;
    runJson("mimo", {"eval", "--model", conv_, "--keys", "paisley:1"}, &exitCode, &err);
    QCOMPARE(exitCode, 2);
    QVERIFY(err.contains("paisley"));
    runJson("mimo", {"eval", "--config", config, "--n", "2"}, &exitCode, &err);
    QCOMPARE(exitCode, 2);
    QVERIFY(err.contains("--config"));
    // A broken first model fails alone; the good one is evaluated on its own data.
    writeBytes(dir.filePath("broken.pt"), "not a model");
    const QJsonObject mixed = runJson("mimo", {"eval", "--model", dir.filePath("broken.pt") + "," + conv_, "--data",
                                               "images:" + images_, "--n", "1,2", "--json"},
                                      &exitCode, &err);
    QCOMPARE(exitCode, 1);
    QVERIFY2(err.contains("broken.pt"), qPrintable(err));
    const QJsonArray mixedModels = mixed["models"].toArray();
    QCOMPARE(mixedModels.size(), 2);
    QCOMPARE(mixedModels[1].toObject()["results"].toArray().size(), 2);
    // An output folder that cannot be made is refused before the run.
    writeBytes(dir.filePath("a-file"), "x");
    runJson("mimo", {"eval", "--config", config, "--out", dir.filePath("a-file/out")}, &exitCode, &err);
    QVERIFY(exitCode != 0);
    QVERIFY2(err.contains("a-file/out") && !err.contains("%"), qPrintable(err)); // no progress: nothing ran
}

QTEST_MAIN(SessionsTest)
#include "test_sessions.moc"
