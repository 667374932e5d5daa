// Evaluate > Batch Evaluation on the offscreen platform: the dialog's rows equal what
// `mimo eval` prints for the same model, data and N; a cancel keeps what finished; a broken
// model file gets a row naming its problem while the others run; CSV and JSON exports hold the
// rows; bad input gets a message and starts nothing.
#include "explorer_fixtures.h"

#include "core/data/dataset_spec.h"
#include "core/eval/evaluation.h"
#include "core/explore/explorer_inputs.h"
#include "core/model/model_catalog.h"
#include "ui/batch/batch_evaluation_dialog.h"
#include "ui/batch/batch_evaluation_form.h"
#include "ui/batch/batch_results_table.h"
#include "ui/batch/evaluation_task.h"

#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QPushButton>
#include <QSemaphore>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>

#include <atomic>

using namespace explorer_fixtures;

namespace {

// Folders of class subfolders named after the tiny model's classes.
void writeImageFolder(const QString& folder, int perClass)
{
    int seed = 0;
    for (const char* name : {"dark", "bright", "striped"}) {
        QDir().mkpath(folder + "/" + name);
        for (int i = 0; i < perClass; ++i)
            writeImage(QString("%1/%2/%3.png").arg(folder, name).arg(i), seed++);
    }
}

const mimo::EvalRow* rowFor(const mimo::BatchModelResult& model, int n)
{
    for (const auto& row : model.report.rows)
        if (row.n == n)
            return &row;
    return nullptr;
}

// The table row of a model (by its shown name) and N; -1 when there is none.
int tableRow(const BatchResultsTable& table, const QString& model, const QString& n)
{
    for (int r = 0; r < table.rowCount(); ++r)
        if (table.cellText(r, BatchResultsTable::ModelColumn) == model && table.cellText(r, BatchResultsTable::NColumn) == n)
            return r;
    return -1;
}

std::size_t tableRowsFor(const mimo::BatchResult& result)
{
    std::size_t rows = 0;
    for (const auto& model : result.models)
        rows += (model.report.rows.empty() && !model.error.empty() ? 1 : model.report.rows.size()) + model.skippedNs.size();
    return rows;
}

} // namespace

class BatchEvaluationTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void rowsEqualTheCommandLine();
    void cancelKeepsTheFinishedRows();
    void brokenModelKeepsTheOthers();
    void exportsHoldTheRows();
    void badInputStartsNothing();
    void unreadableItemsAreShown();
    void timeLeftReadsNaturally();

private:
    mimo::BatchConfig smallConfig() const;
    bool runToEnd(BatchEvaluationDialog& dialog, const mimo::BatchConfig& config);

    QTemporaryDir settingsDir_;
    QTemporaryDir dir_;
    QString model_, data_, largeData_;
};

void BatchEvaluationTest::initTestCase()
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settingsDir_.path());
    QCoreApplication::setOrganizationName("MIMO Explorer Tests");
    QCoreApplication::setApplicationName("test_batch_evaluation");
    model_ = dir_.filePath("tiny-conv.pt");
    writeConvModel(model_, 12, 1, 8);
    data_ = dir_.filePath("data");
    writeImageFolder(data_, 4);
    largeData_ = dir_.filePath("large-data");
    writeImageFolder(largeData_, 16);
}

void BatchEvaluationTest::init() { QSettings().clear(); }

mimo::BatchConfig BatchEvaluationTest::smallConfig() const
{
    mimo::BatchConfig config;
    config.models = {model_.toStdString()};
    config.dataset = ("images:" + data_).toStdString();
    config.ns = {1, 2};
    config.batch = 4;
    return config;
}

bool BatchEvaluationTest::runToEnd(BatchEvaluationDialog& dialog, const mimo::BatchConfig& config)
{
    dialog.form()->setConfig(config);
    QSignalSpy finished(dialog.task(), &EvaluationTask::finished);
    auto* start = dialog.findChild<QPushButton*>("start");
    if (!start || !start->isEnabled())
        return false;
    QTest::mouseClick(start, Qt::LeftButton);
    if (!dialog.task()->running()) {
        qWarning("did not start: %s", qPrintable(dialog.message()));
        return false;
    }
    return finished.wait(120000) && !dialog.task()->running();
}

void BatchEvaluationTest::rowsEqualTheCommandLine()
{
    BatchEvaluationDialog dialog;
    dialog.show();
    dialog.form()->setCatalog({mimo::readModelListing(model_.toStdString())});
    dialog.form()->setCurrentModel(model_);
    auto* models = dialog.findChild<QListWidget*>("models");
    QVERIFY(models);
    QCOMPARE(models->count(), 1);
    QCOMPARE(models->item(0)->text(), QString("tiny MIMOConv"));
    QCOMPARE(models->item(0)->checkState(), Qt::Checked);
    const mimo::BatchConfig config = smallConfig();
    dialog.form()->setConfig(config);
    QVERIFY(dialog.form()->config() == config);

    QSignalSpy progressed(&dialog, &BatchEvaluationDialog::progressed);
    QSignalSpy changed(&dialog, &BatchEvaluationDialog::resultChanged);
    QVERIFY(runToEnd(dialog, config));
    const mimo::BatchResult& result = dialog.result();
    QVERIFY(!result.cancelled);
    QCOMPARE(result.models.size(), std::size_t(1));
    const auto& model = result.models[0];
    QVERIFY2(model.error.empty(), model.error.c_str());
    QCOMPARE(model.report.rows.size(), std::size_t(2));
    QVERIFY(changed.count() >= 2); // at the start and at the end, at least
    QVERIFY(!progressed.isEmpty());
    QCOMPARE(progressed.last().at(0).toDouble(), 1.0);

    // The same numbers as the command line's evaluation.
    QProcess eval;
    eval.start(qEnvironmentVariable("MIMO_BIN_DIR") + "/mimo",
               {"eval", "--model", model_, "--data", "images:" + data_, "--n", "1,2", "--batch", "4", "--json"});
    QVERIFY2(eval.waitForFinished(120000), qPrintable(eval.errorString()));
    QCOMPARE(eval.exitCode(), 0);
    const QJsonArray expected =
        QJsonDocument::fromJson(eval.readAllStandardOutput()).object().value("results").toArray();
    QCOMPARE(expected.size(), 2);
    const BatchResultsTable* table = dialog.table();
    QCOMPARE(table->rowCount(), 2);
    for (const QJsonValue& value : expected) {
        const QJsonObject cli = value.toObject();
        const int n = cli.value("n").toInt();
        const mimo::EvalRow* row = rowFor(model, n);
        QVERIFY2(row, qPrintable(QString("no row for N=%1").arg(n)));
        QCOMPARE(row->count, std::size_t(cli.value("count").toInteger()));
        QCOMPARE(row->count, std::size_t(12));
        QCOMPARE(row->correct, std::size_t(cli.value("correct").toInteger()));
        QCOMPARE(row->accuracy, cli.value("accuracy").toDouble());
        QVERIFY(row->inputsPerSecond > 0);
        const QJsonArray perClass = cli.value("per_class_accuracy").toArray();
        QCOMPARE(row->perClassAccuracy.size(), std::size_t(perClass.size()));
        for (int c = 0; c < perClass.size(); ++c)
            QCOMPARE(row->perClassAccuracy[std::size_t(c)], perClass[c].toDouble());

        const int r = tableRow(*table, "tiny MIMOConv", QString::number(n));
        QVERIFY2(r >= 0, qPrintable(QString("no table row for N=%1").arg(n)));
        QCOMPARE(table->cellText(r, BatchResultsTable::CorrectColumn),
                 QString("%1 / %2").arg(cli.value("correct").toInteger()).arg(cli.value("count").toInteger()));
        QCOMPARE(table->cellText(r, BatchResultsTable::AccuracyColumn),
                 QString::number(100.0 * cli.value("accuracy").toDouble(), 'f', 2));
        QVERIFY(table->cellText(r, BatchResultsTable::NoteColumn).isEmpty());
        const auto dark = std::find(model.classNames.begin(), model.classNames.end(), "dark");
        QVERIFY(dark != model.classNames.end());
        const int darkColumn = table->columnOf("dark");
        QVERIFY(darkColumn >= BatchResultsTable::FirstClassColumn);
        QCOMPARE(table->cellText(r, darkColumn),
                 QString::number(100.0 * perClass[int(dark - model.classNames.begin())].toDouble(), 'f', 1));
    }
    // And the same as core's single-model evaluation, which predates the batch code (the
    // command line now runs through the batch code too, so this is the independent check).
    mimo::EvalConfig direct;
    direct.ns = {1, 2};
    direct.batch = 4;
    const auto listing = mimo::readModelListing(model_.toStdString());
    const auto reference = mimo::evaluateModelFile(
        model_.toStdString(), mimo::openDataset(("images:" + data_).toStdString(), mimo::dataOptionsForModel(listing)),
        direct);
    QCOMPARE(reference.rows.size(), std::size_t(2));
    for (const auto& expectedRow : reference.rows) {
        const mimo::EvalRow* row = rowFor(model, expectedRow.n);
        QVERIFY(row);
        QCOMPARE(row->correct, expectedRow.correct);
        QCOMPARE(row->count, expectedRow.count);
        QCOMPARE(row->perClassAccuracy, expectedRow.perClassAccuracy);
    }
    QCOMPARE(rowFor(model, 1)->speedup, 1.0); // the first N is the reference
    QCOMPARE(table->cellText(tableRow(*table, "tiny MIMOConv", "1"), BatchResultsTable::SpeedupColumn), QString("1.00x"));
    QVERIFY(table->selectionAsText().contains("tiny MIMOConv\t1\t"));
    // What people see (kept beside the test binary for a look).
    dialog.resize(900, 720);
    const QImage shot = dialog.grab().toImage();
    QVERIFY(hasVisibleContent(shot));
    shot.save(QDir(QCoreApplication::applicationDirPath()).filePath("batch-dialog.png"));

    // The live plot's feed: one curve with a point per N.
    const QList<CurveSeries> curves = curveSeries(result);
    QCOMPARE(curves.size(), 1);
    QCOMPARE(curves[0].model, QString("tiny MIMOConv"));
    QCOMPARE(curves[0].rows.size(), std::size_t(2));

    // The choices come back in the next session.
    BatchEvaluationDialog again;
    QCOMPARE(again.findChild<QLineEdit*>("nValues")->text(), QString("1, 2"));
    QCOMPARE(again.findChild<QLineEdit*>("datasetSpec")->text(), "images:" + data_);
    QCOMPARE(again.form()->config().batch, 4);
}

void BatchEvaluationTest::cancelKeepsTheFinishedRows()
{
    const QString copyA = dir_.filePath("copy-a.pt"), copyB = dir_.filePath("copy-b.pt");
    QFile::remove(copyA);
    QFile::remove(copyB);
    QVERIFY(QFile::copy(model_, copyA));
    QVERIFY(QFile::copy(model_, copyB));
    mimo::BatchConfig config = smallConfig();
    config.models = {model_.toStdString(), copyA.toStdString(), copyB.toStdString()};
    config.dataset = ("images:" + largeData_).toStdString();
    config.batch = 1;
    const std::size_t items = 48;

    BatchEvaluationDialog dialog;
    dialog.task()->setProgressInterval(0); // every batch replies: the second model is seen under way
    // Cancel once the second model is under way: the first has finished, the third never starts.
    // The worker waits at a gate after the second model's first batch until the window has
    // clicked Cancel, so the click lands at that point of every run, however fast the machine.
    const auto secondUnderWay = [](const mimo::BatchResult& partial) {
        return partial.models.size() == 2 && !partial.models[1].report.rows.empty();
    };
    QSemaphore gate;
    std::atomic<bool> held{false};
    dialog.task()->setAfterProgressOnWorker([&](const mimo::BatchResult& partial) {
        if (secondUnderWay(partial) && !held.exchange(true))
            gate.acquire();
    });
    dialog.show();
    bool cancelled = false;
    connect(dialog.task(), &EvaluationTask::progressed, &dialog, [&](const mimo::BatchResult& partial) {
        if (!cancelled && secondUnderWay(partial)) {
            cancelled = true;
            dialog.findChild<QPushButton*>("cancel")->click();
            gate.release();
        }
    });
    QVERIFY(runToEnd(dialog, config));
    QVERIFY(cancelled);
    const mimo::BatchResult& result = dialog.result();
    QVERIFY(result.cancelled);
    QVERIFY(result.hasRows());
    // The second model is marked cancelled with what it measured; the first is complete.
    QCOMPARE(result.models.size(), std::size_t(2));
    for (std::size_t m = 0; m + 1 < result.models.size(); ++m) {
        QVERIFY(!result.models[m].report.cancelled);
        QCOMPARE(result.models[m].report.rows.size(), config.ns.size());
        for (const auto& row : result.models[m].report.rows)
            QCOMPARE(row.count, items); // a finished model keeps all it measured
    }
    QVERIFY(result.models.back().report.cancelled);
    for (const auto& row : result.models.back().report.rows) {
        QVERIFY(row.count > 0); // no empty rows from the model in progress
        QVERIFY(row.count < items);
    }
    std::size_t evaluated = 0;
    for (const auto& model : result.models)
        for (const auto& row : model.report.rows)
            evaluated += row.count;
    QVERIFY(evaluated > 0);
    QVERIFY(evaluated < config.models.size() * config.ns.size() * items);
    QCOMPARE(std::size_t(dialog.table()->rowCount()), tableRowsFor(result));
    QVERIFY(dialog.table()->rowCount() >= 1);
    QVERIFY(dialog.message().contains("Cancelled"));
    QVERIFY(dialog.findChild<QPushButton*>("start")->isEnabled());
    QVERIFY(!dialog.findChild<QPushButton*>("cancel")->isEnabled());
}

void BatchEvaluationTest::brokenModelKeepsTheOthers()
{
    const QString broken = dir_.filePath("broken.pt");
    writeBytes(broken, "these bytes are no model file");
    mimo::BatchConfig config = smallConfig();
    config.models = {broken.toStdString(), model_.toStdString()};

    BatchEvaluationDialog dialog;
    dialog.show();
    QVERIFY(runToEnd(dialog, config));
    const mimo::BatchResult& result = dialog.result();
    QVERIFY(!result.cancelled);
    QCOMPARE(result.models.size(), std::size_t(2));
    QVERIFY(!result.models[0].error.empty());
    QVERIFY(result.models[0].report.rows.empty());
    QVERIFY2(result.models[1].error.empty(), result.models[1].error.c_str());
    QCOMPARE(result.models[1].report.rows.size(), std::size_t(2));

    const BatchResultsTable* table = dialog.table();
    QCOMPARE(table->rowCount(), 3);
    QVERIFY(tableRow(*table, "tiny MIMOConv", "1") >= 0);
    QVERIFY(tableRow(*table, "tiny MIMOConv", "2") >= 0);
    int brokenRow = -1;
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->cellText(r, BatchResultsTable::NColumn).isEmpty())
            brokenRow = r;
    QVERIFY(brokenRow >= 0);
    const QString note = table->cellText(brokenRow, BatchResultsTable::NoteColumn);
    QVERIFY2(note.contains("broken.pt"), qPrintable(note));
    QVERIFY2(note.contains(QString::fromStdString(result.models[0].error)), qPrintable(note));
    QVERIFY(dialog.message().contains("broken.pt"));
}

void BatchEvaluationTest::exportsHoldTheRows()
{
    BatchEvaluationDialog dialog;
    dialog.show();
    QVERIFY(runToEnd(dialog, smallConfig()));
    const mimo::BatchResult& result = dialog.result();
    QCOMPARE(result.models.size(), std::size_t(1));

    const QString csvPath = dir_.filePath("results.csv"), jsonPath = dir_.filePath("results.json");
    QVERIFY2(dialog.exportCsv(csvPath), qPrintable(dialog.message()));
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    QStringList lines = QString::fromUtf8(csv.readAll()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3); // the header and a row per N
    QVERIFY(lines[0].contains("accuracy"));
    QVERIFY(lines[0].contains("class:dark"));
    for (int i = 1; i < lines.size(); ++i)
        QVERIFY(lines[i].contains("tiny-conv.pt"));

    QVERIFY2(dialog.exportJson(jsonPath), qPrintable(dialog.message()));
    QFile json(jsonPath);
    QVERIFY(json.open(QIODevice::ReadOnly));
    const mimo::BatchResult read = mimo::batchResultFromJson(json.readAll().toStdString(), jsonPath.toStdString());
    QCOMPARE(read.models.size(), std::size_t(1));
    QCOMPARE(read.models[0].report.rows.size(), std::size_t(2));
    for (std::size_t i = 0; i < 2; ++i) {
        QCOMPARE(read.models[0].report.rows[i].n, result.models[0].report.rows[i].n);
        QCOMPARE(read.models[0].report.rows[i].correct, result.models[0].report.rows[i].correct);
        QCOMPARE(read.models[0].report.rows[i].count, result.models[0].report.rows[i].count);
    }

    // A session restored from the export shows the same rows.
    BatchEvaluationDialog restored;
    QSignalSpy changed(&restored, &BatchEvaluationDialog::resultChanged);
    restored.setResult(read);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(restored.table()->rowCount(), 2);
    QCOMPARE(restored.table()->cellText(0, BatchResultsTable::CorrectColumn),
             dialog.table()->cellText(0, BatchResultsTable::CorrectColumn));

    // A file that cannot be written: a message naming it, and no crash.
    const QString unwritable = dir_.filePath("no-such-folder/results.csv");
    QVERIFY(!dialog.exportCsv(unwritable));
    QVERIFY2(dialog.message().contains("no-such-folder") && dialog.message().contains("results.csv"),
             qPrintable(dialog.message()));
    QVERIFY(!QFile::exists(unwritable));
}

void BatchEvaluationTest::badInputStartsNothing()
{
    BatchEvaluationDialog dialog;
    dialog.show();
    QSignalSpy finished(dialog.task(), &EvaluationTask::finished);
    auto* start = dialog.findChild<QPushButton*>("start");

    mimo::BatchConfig config = smallConfig();
    config.models.clear();
    dialog.form()->setConfig(config);
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(!dialog.task()->running());
    QVERIFY2(dialog.message().contains("model"), qPrintable(dialog.message()));

    dialog.form()->setConfig(smallConfig());
    dialog.findChild<QLineEdit*>("nValues")->setText("0,x");
    QVERIFY(!dialog.start());
    QVERIFY(!dialog.task()->running());
    QVERIFY2(dialog.message().contains("\"0\""), qPrintable(dialog.message()));

    // A folder kind with no folder chosen yet: the spec is empty and the message says so.
    dialog.form()->setConfig(smallConfig());
    auto* kind = dialog.findChild<QComboBox*>("datasetKind");
    kind->setCurrentIndex(kind->findText("CIFAR-10 binary folder…"));
    QVERIFY(dialog.findChild<QLineEdit*>("datasetSpec")->text().isEmpty());
    QVERIFY(!dialog.start());
    QVERIFY2(dialog.message().contains("folder"), qPrintable(dialog.message()));

    // A batch size the core refuses never reaches the thread either.
    mimo::BatchConfig zeroBatch = smallConfig();
    zeroBatch.batch = 0;
    QString problem;
    QVERIFY(!dialog.task()->start(zeroBatch, &problem));
    QVERIFY(!problem.isEmpty());

    QTest::qWait(50);
    QCOMPARE(finished.count(), 0);
    QVERIFY(dialog.result().models.empty());
}

// A damaged image in the folder is skipped, counted out and named under the form.
void BatchEvaluationTest::unreadableItemsAreShown()
{
    const QString damaged = dir_.filePath("damaged-data");
    writeImageFolder(damaged, 4);
    writeBytes(damaged + "/bright/zz-broken.png", QByteArray("not a picture"));
    BatchEvaluationDialog dialog;
    dialog.show();
    mimo::BatchConfig config = smallConfig();
    config.dataset = ("images:" + damaged).toStdString();
    QVERIFY(runToEnd(dialog, config));
    const auto& model = dialog.result().models.at(0);
    QVERIFY2(model.error.empty(), model.error.c_str());
    QCOMPARE(model.report.unreadable.size(), std::size_t(1));
    for (const auto& row : model.report.rows)
        QCOMPARE(row.count, std::size_t(12));
    QVERIFY2(dialog.message().contains("1 unreadable item skipped:"), qPrintable(dialog.message()));
    QVERIFY2(dialog.message().contains("bright/zz-broken.png"), qPrintable(dialog.message()));
}

void BatchEvaluationTest::timeLeftReadsNaturally()
{
    QCOMPARE(timeLeftText(12.4), QString("about 12 s left"));
    QCOMPARE(timeLeftText(600), QString("about 10 min left"));
    QCOMPARE(timeLeftText(7500), QString("about 2 h 5 min left"));
}

QTEST_MAIN(BatchEvaluationTest)
#include "test_batch_evaluation.moc"
