// The two executables as a user runs them: exit codes, help, JSON, and clear errors on bad input.
#include "cli_runner.h"
#include "core/model/device.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using namespace mimo::testing;

// A 2x1 colour BMP written by hand keeps these tests free of image libraries.
QByteArray tinyBmp()
{
    return QByteArray::fromHex("424d3e000000000000003600000028000000020000000100000001001800000000000800000013"
                               "0b0000130b00000000000000000000ffffff0000000000");
}

QJsonObject jsonOf(const Run& r) { return QJsonDocument::fromJson(r.out.toUtf8()).object(); }

} // namespace

class CliTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void mimoHelpListsCommands();
    void explorerHelpPrintsUsage();
    void unknownCommandAndOptionFail();
    void keysAsJson();
    void vsaInterferenceReportsTheoryAndMeasurement();
    void listopsGenerateThenDataInfo();
    void dataInfoOnFashionMnist();
    void badDatasetFilesAreNamed();
    void imagePrepareReportsStepsAndErrors();
    void trainThenInfoEvalPredictBench();
    void modelCommandsRejectBadInput();
    void compareDevicesAgreesOnTheCpu();
    void formerTrainEvalPredictInterferenceBench();
    void formerCommandsRejectBadInput();
    void importOfficialFormerWithClassNames();

private:
    QString tinyModel();
    QString tinyFormer();
    QTemporaryDir dir_;
};

void CliTest::mimoHelpListsCommands()
{
    const Run r = run("mimo", {"--help"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("Usage: mimo"));
    for (const char* command : {"keys", "vsa-interference", "data", "listops", "image", "train", "eval", "bench",
                                "predict", "list-models", "info", "import-official"})
        QVERIFY2(r.out.contains(QString("  ") + command), command);
    const Run sub = run("mimo", {"vsa-interference", "--help"});
    QCOMPARE(sub.exitCode, 0);
    QVERIFY(sub.out.contains("--unbinding"));
    QCOMPARE(run("mimo", {}).exitCode, 2); // no command: usage, non-zero
}

void CliTest::explorerHelpPrintsUsage()
{
    const Run r = run("mimo-explorer", {"--help"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.out.contains("Usage:"));
    QVERIFY(r.out.contains("--screenshot"));
    // Help and version need no display: not even a platform plugin to fall back on.
    QProcessEnvironment bare = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"})
        bare.remove(name);
    for (const QStringList& arguments : {QStringList{"--help"}, QStringList{"-h"}, QStringList{"--version"}}) {
        const Run headless = run("mimo-explorer", arguments, bare);
        QVERIFY2(headless.exitCode == 0, qPrintable(arguments.join(' ') + ": exit " + QString::number(headless.exitCode) +
                                                    "\n" + headless.err));
        if (arguments.front() == "--version")
            QVERIFY2(headless.out.startsWith("mimo-explorer ") && headless.out.contains(QRegularExpression("\\d+\\.\\d+")),
                     qPrintable(headless.out));
        else
            QVERIFY(headless.out.contains("Usage:") && headless.out.contains("--session"));
    }
}

void CliTest::unknownCommandAndOptionFail()
{
    const Run unknown = run("mimo", {"frobnicate"});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY(unknown.err.contains("unknown command 'frobnicate'"));
    const Run badOption = run("mimo", {"keys", "--colour", "red"});
    QCOMPARE(badOption.exitCode, 2);
    QVERIFY(badOption.err.contains("--colour"));
    const Run badFamily = run("mimo", {"keys", "--family", "paisley"});
    QCOMPARE(badFamily.exitCode, 2);
    QVERIFY(badFamily.err.contains("paisley"));
    const Run badNumber = run("mimo", {"keys", "--dim", "many"});
    QCOMPARE(badNumber.exitCode, 2);
    QVERIFY(badNumber.err.contains("--dim"));
}

void CliTest::keysAsJson()
{
    const Run r = run("mimo", {"keys", "--family", "orthogonal", "--count", "3", "--dim", "8", "--seed", "5", "--json"});
    QCOMPARE(r.exitCode, 0);
    const QJsonObject json = jsonOf(r);
    QCOMPARE(json["family"].toString(), QString("orthogonal"));
    const QJsonArray similarity = json["similarity"].toArray();
    QCOMPARE(similarity.size(), 3);
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            QVERIFY(qAbs(similarity[i].toArray()[j].toDouble() - (i == j ? 1.0 : 0.0)) < 1e-5);
    QCOMPARE(json["keys"].toArray()[0].toArray().size(), 8);
    // Same seed, same keys: a second run prints the same values.
    QCOMPARE(jsonOf(run("mimo", {"keys", "--family", "orthogonal", "--count", "3", "--dim", "8", "--seed", "5",
                                  "--json"}))["keys"],
             json["keys"]);
}

void CliTest::vsaInterferenceReportsTheoryAndMeasurement()
{
    const Run r = run("mimo", {"vsa-interference", "--n", "1,4", "--trials", "5", "--dim", "128", "--json"});
    QCOMPARE(r.exitCode, 0);
    const QJsonArray rows = jsonOf(r)["rows"].toArray();
    QCOMPARE(rows.size(), 2);
    QCOMPARE(rows[0].toObject()["n"].toInt(), 1);
    QCOMPARE(rows[0].toObject()["snr_db"].toString(), QString("inf"));
    const double measured = rows[1].toObject()["cosine"].toDouble();
    const double theory = rows[1].toObject()["theory_cosine"].toDouble();
    QVERIFY(measured > 0.2 && measured < 0.7);
    QVERIFY(qAbs(measured - theory) < 0.05);
    const Run table = run("mimo", {"vsa-interference", "--n", "2", "--trials", "3"});
    QCOMPARE(table.exitCode, 0);
    QVERIFY(table.out.contains("theory"));
}

void CliTest::listopsGenerateThenDataInfo()
{
    const QString tsv = dir_.filePath("short.tsv");
    const Run gen = run("mimo", {"listops", "generate", "--count", "20", "--min-length", "10", "--max-length", "60",
                                 "--seed", "3", "--out", tsv});
    QCOMPARE(gen.exitCode, 0);
    QVERIFY(QFile::exists(tsv));
    const Run info = run("mimo", {"data", "info", "listops:" + tsv, "--json"});
    QCOMPARE(info.exitCode, 0);
    const QJsonObject json = jsonOf(info);
    QCOMPARE(json["size"].toInt(), 20);
    QCOMPARE(json["modality"].toString(), QString("sequence"));
    QCOMPARE(json["classes"].toArray().size(), 10);
    const Run show = run("mimo", {"data", "show", "listops:" + tsv, "--index", "0"});
    QCOMPARE(show.exitCode, 0);
    QVERIFY(show.out.contains("label"));

    const QString text = dir_.filePath("reviews.tsv");
    writeFile(text, "label\ttext\nneg\tnot great\npos\tloved every minute\n");
    const Run review = run("mimo", {"data", "show", "text:" + text, "--index", "1"});
    QCOMPARE(review.exitCode, 0);
    QVERIFY2(review.out.contains("label 1 (pos)") && review.out.contains("loved every minute"), qPrintable(review.out));
}

void CliTest::dataInfoOnFashionMnist()
{
    if (!QFile::exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"))
        QSKIP("dataset-fashion-mnist is not installed (the set-up script installs it)");
    const Run info = run("mimo", {"data", "info", "fashion-mnist:test", "--json"});
    QCOMPARE(info.exitCode, 0);
    const QJsonObject json = jsonOf(info);
    QCOMPARE(json["size"].toInt(), 10000);
    QCOMPARE(json["classes"].toArray()[9].toString(), QString("Ankle boot"));
    const QJsonArray counts = json["class_counts"].toArray();
    for (const auto& count : counts)
        QCOMPARE(count.toInt(), 1000);
    const Run show = run("mimo", {"data", "show", "fashion-mnist:test", "--index", "0"});
    QCOMPARE(show.exitCode, 0);
    QVERIFY(show.out.contains("Ankle boot"));
}

void CliTest::badDatasetFilesAreNamed()
{
    const QString mnistDir = dir_.filePath("junk-mnist");
    QDir().mkpath(mnistDir);
    writeFile(mnistDir + "/t10k-images-idx3-ubyte", "this is not an IDX file at all");
    writeFile(mnistDir + "/t10k-labels-idx1-ubyte", QByteArray(12, '\0'));
    const Run r = run("mimo", {"data", "info", "mnist:" + mnistDir + ":test"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.err.contains("t10k-images-idx3-ubyte"), qPrintable(r.err));
    const Run missing = run("mimo", {"data", "info", "cifar10:" + dir_.filePath("nowhere")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.err.contains("nowhere"), qPrintable(missing.err));
    const Run badSpec = run("mimo", {"data", "info", "tapes:/dev/null"});
    QCOMPARE(badSpec.exitCode, 1);
    QVERIFY(badSpec.err.contains("tapes"));
}

void CliTest::imagePrepareReportsStepsAndErrors()
{
    const QByteArray bmp = tinyBmp();
    const QString good = dir_.filePath("tiny.bmp");
    writeFile(good, bmp);
    const Run ok = run("mimo", {"image", "prepare", good, "--channels", "1", "--size", "28"});
    QCOMPARE(ok.exitCode, 0);
    QVERIFY2(ok.out.contains("28x28"), qPrintable(ok.out));
    const QString junk = dir_.filePath("holiday.png");
    writeFile(junk, "GIF89a? no, plain text");
    const Run bad = run("mimo", {"image", "prepare", junk});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY(bad.err.contains("holiday.png"));
}

QString CliTest::tinyModel()
{
    // Trained once per test run on a generated MNIST-format set: the model every model
    // command below works on.
    const QString model = dir_.filePath("models/tiny.pt");
    if (QFile::exists(model))
        return model;
    const QString data = dir_.filePath("tiny-idx");
    QDir().mkpath(data);
    QDir().mkpath(dir_.filePath("models"));
    mimo::testing::writeTinyIdx(data.toStdString(), "train", 64, 8);
    mimo::testing::writeTinyIdx(data.toStdString(), "t10k", 20, 8);
    const QStringList arch{"--arch", "fmnist-mimoconv", "--depth", "10", "--width", "1", "--stem", "8",
                           "--capacity", "2", "--size", "8"};
    const Run train = run("mimo", QStringList{"train", "conv"} + arch +
                                      QStringList{"--data", "mnist:" + data + ":train", "--test-data",
                                                  "mnist:" + data + ":test", "--epochs", "1", "--batch", "8",
                                                  "--low-n", "1", "--out", model});
    if (train.exitCode != 0)
        qWarning("training the tiny model failed: %s", qPrintable(train.err));
    return model;
}

QString CliTest::tinyFormer()
{
    // A one-layer MIMOFormer (M = N = 2) trained for a few steps on generated ListOps.
    const QString model = dir_.filePath("models/former.pt");
    if (QFile::exists(model))
        return model;
    QDir().mkpath(dir_.filePath("models"));
    for (const auto& [name, seed] : {std::pair<QString, QString>{"lo-train.tsv", "1"}, {"lo-test.tsv", "2"}})
        run("mimo", {"listops", "generate", "--out", dir_.filePath(name), "--count", name == "lo-train.tsv" ? "64" : "18",
                     "--min-length", "5", "--max-length", "60", "--max-depth", "4", "--max-args", "4", "--seed", seed});
    const Run train = run("mimo", {"train",  "former",   "--arch",       "listops-short-mimo",
                                   "--dim",  "16",       "--ff",         "24",
                                   "--heads", "2",       "--head-dim",   "8",
                                   "--layers", "1",      "--features",   "16",
                                   "--length", "48",     "--steps",      "4",
                                   "--batch", "8",       "--warmup",     "1",
                                   "--mimo-warmup", "2", "--data",       "listops:" + dir_.filePath("lo-train.tsv"),
                                   "--test-data", "listops:" + dir_.filePath("lo-test.tsv"), "--out", model});
    if (train.exitCode != 0)
        qWarning("training the tiny former failed: %s %s", qPrintable(train.out), qPrintable(train.err));
    return model;
}

void CliTest::formerTrainEvalPredictInterferenceBench()
{
    const QString model = tinyFormer();
    QVERIFY(QFile::exists(model));
    QVERIFY(QFile::exists(model + ".md"));
    const QString test = "listops:" + dir_.filePath("lo-test.tsv");

    const QJsonObject info = jsonOf(run("mimo", {"info", model, "--json"}));
    QCOMPARE(info["family"].toString(), QString("mimoformer"));
    QCOMPARE(info["supported_n"].toArray(), (QJsonArray{1, 2, 4}));
    QCOMPARE(info["input_spec"].toObject()["kind"].toString(), QString("listops"));
    QVERIFY(info["training_command"].toString().startsWith("build/bin/mimo train former"));

    const Run eval = run("mimo", {"eval", "--model", model, "--data", test, "--json"});
    QCOMPARE(eval.exitCode, 0);
    const QJsonArray results = jsonOf(eval)["results"].toArray();
    // Accuracy by tree depth: the groups add up to the whole, each as the row's counts say.
    QCOMPARE(jsonOf(eval)["group_kind"].toString(), QString("tree depth"));
    for (const auto& value : results) {
        const QJsonObject row = value.toObject();
        int count = 0, correct = 0, previous = 0;
        for (const auto& g : row["per_group"].toArray()) {
            const QJsonObject group = g.toObject();
            QVERIFY(group["group"].toInt() > previous); // ascending depths from 1
            previous = group["group"].toInt();
            count += group["count"].toInt();
            correct += group["correct"].toInt();
        }
        QCOMPARE(count, row["count"].toInt());
        QCOMPARE(correct, row["correct"].toInt());
    }
    const Run depthTable = run("mimo", {"eval", "--model", model, "--data", test});
    QVERIFY2(depthTable.out.contains("accuracy by tree depth"), qPrintable(depthTable.out));
    QCOMPARE(results.size(), 3);
    for (const auto& row : results) {
        QCOMPARE(row.toObject()["count"].toInt(), 18);
        const QString n = QString::number(row.toObject()["n"].toInt());
        QCOMPARE(row.toObject()["accuracy"].toDouble(), info["test_accuracy"].toObject()[n].toDouble());
    }

    // Expressions typed on the command line, and one read from a file.
    writeFile(dir_.filePath("expr.txt"), "[MED 5 6 1 ]\n");
    const Run predict = run("mimo", {"predict", "--model", model, "--n", "4", "[MAX 2 9 ]", "[MIN 4 7 ]",
                                     "[SM 1 2 3 ]", dir_.filePath("expr.txt"), "--json"});
    QCOMPARE(predict.exitCode, 0);
    QCOMPARE(jsonOf(predict)["slots"].toArray().size(), 4);

    const Run interference = run("mimo", {"interference", "--model", model, "--data", test, "--groups", "2",
                                          "--pairs", "32", "--json"});
    QCOMPARE(interference.exitCode, 0);
    const QJsonObject measured = jsonOf(interference);
    QCOMPARE(measured["heads"].toArray().size(), 2); // 1 layer x 2 heads
    QCOMPARE(measured["heads"].toArray()[0].toObject()["term_bound"].toArray().size(), 4);
    const Run table = run("mimo", {"interference", "--model", model, "--data", test, "--groups", "1", "--pairs", "8"});
    QVERIFY2(table.out.contains("Hoeffding"), qPrintable(table.out));

    const Run bench = run("mimo", {"bench", "--model", model, "--n", "1,4", "--batch", "8", "--rounds", "1",
                                   "--length", "32", "--json"});
    QCOMPARE(bench.exitCode, 0);
    const QJsonArray speed = jsonOf(bench)["results"].toArray();
    QCOMPARE(speed[1].toObject()["label"].toString(), QString("M=2 N=2"));
    const Run core = run("mimo", {"bench", "--attention-core", "--grids", "1,2", "--length", "32", "--heads", "1",
                                  "--head-dim", "8", "--features", "8", "--batch", "4", "--rounds", "1", "--json"});
    QCOMPARE(core.exitCode, 0);
    QCOMPARE(jsonOf(core)["results"].toArray()[1].toObject()["label"].toString(), QString("M=N=2"));
    const Run preset = run("mimo", {"bench", "--arch", "listops-short-performer", "--layers", "1", "--dim", "16",
                                    "--n", "1", "--batch", "2", "--rounds", "1", "--length", "16", "--json"});
    QCOMPARE(preset.exitCode, 0);
}

void CliTest::formerCommandsRejectBadInput()
{
    const QString model = tinyFormer();
    QVERIFY(QFile::exists(model));
    const QString test = "listops:" + dir_.filePath("lo-test.tsv");
    const Run unknownToken = run("mimo", {"predict", "--model", model, "--n", "1", "[MAX 2 banana ]"});
    QCOMPARE(unknownToken.exitCode, 1);
    QVERIFY2(unknownToken.err.contains("banana"), qPrintable(unknownToken.err));
    QString tooLong = "[SM";
    for (int i = 0; i < 60; ++i)
        tooLong += " 1";
    const Run longInput = run("mimo", {"predict", "--model", model, "--n", "1", tooLong + " ]"});
    QCOMPARE(longInput.exitCode, 1);
    QVERIFY2(longInput.err.contains("at most 48"), qPrintable(longInput.err));
    const Run oddCount = run("mimo", {"predict", "--model", model, "--n", "4", "[MAX 2 9 ]"});
    QCOMPARE(oddCount.exitCode, 1);
    QVERIFY(oddCount.err.contains("multiple of 4"));
    const Run badN = run("mimo", {"eval", "--model", model, "--data", test, "--n", "3"});
    QCOMPARE(badN.exitCode, 1);
    QVERIFY2(badN.err.contains("3 sequences"), qPrintable(badN.err));
    const Run images = run("mimo", {"eval", "--model", model, "--data", "fashion-mnist:test"});
    QCOMPARE(images.exitCode, 1);
    QVERIFY2(images.err.contains("holds images"), qPrintable(images.err));
    const Run noData = run("mimo", {"eval", "--model", model});
    QCOMPARE(noData.exitCode, 2);
    QCOMPARE(run("mimo", {"eval", "--model", model, "--data", test, "--bn", "batch"}).exitCode, 2);
    QCOMPARE(run("mimo", {"eval", "--model", model, "--data", test, "--n", "0"}).exitCode, 1);
    QCOMPARE(run("mimo", {"bench", "--model", model, "--heads", "4"}).exitCode, 2);
    QCOMPARE(run("mimo", {"bench", "--attention-core", "--n", "1,4"}).exitCode, 2);
    QCOMPARE(run("mimo", {"interference", "--model", model, "--data", test, "--pairs", "-1"}).exitCode, 2);
    const Run badBatch = run("mimo", {"train", "former", "--data", test, "--test-data", test, "--batch", "6", "--out",
                                      dir_.filePath("z.pt")});
    QCOMPARE(badBatch.exitCode, 1);
    QVERIFY2(badBatch.err.contains("multiple of M*N=4"), qPrintable(badBatch.err));
    const Run performer = run("mimo", {"train", "former", "--arch", "listops-short-banana", "--data", test,
                                       "--test-data", test, "--out", dir_.filePath("z.pt")});
    QCOMPARE(performer.exitCode, 1);
    QVERIFY(performer.err.contains("listops-short-performer"));
}

void CliTest::importOfficialFormerWithClassNames()
{
    QProcess probe;
    probe.start("/usr/bin/python3", {"-c", "import torch"});
    if (!probe.waitForFinished(60000) || probe.exitCode() != 0)
        QSKIP("Debian's python3-torch is not installed (scripts/setup.sh installs it)");
    const QString out = dir_.filePath("official-cli");
    QProcess fixture;
    fixture.start("/usr/bin/python3",
                  {qEnvironmentVariable("MIMO_SOURCE_DIR") + "/tests/fixtures/official_mimoformer.py", out});
    QVERIFY(fixture.waitForFinished(120000));
    QCOMPARE(fixture.exitCode(), 0);
    writeFile(dir_.filePath("names.txt"), "zero\none\ntwo\nthree\nfour\n");
    const Run imported = run("mimo", {"import-official", out + "/checkpoint.pth.tar", "--out", out + "/m.pt",
                                      "--classes-file", dir_.filePath("names.txt")});
    QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
    QVERIFY(imported.out.contains("MIMOFormer (mimo-att, M=2, N=2"));
    const QJsonObject info = jsonOf(run("mimo", {"info", out + "/m.pt", "--json"}));
    QCOMPARE(info["classes"].toArray().size(), 5);
    QCOMPARE(info["classes"].toArray()[4].toString(), QString("four"));
    const Run missing = run("mimo", {"import-official", out + "/checkpoint.pth.tar", "--out", out + "/n.pt",
                                     "--classes-file", dir_.filePath("absent.txt")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains("absent.txt"));
}

void CliTest::trainThenInfoEvalPredictBench()
{
    const QString model = tinyModel();
    const QString data = dir_.filePath("tiny-idx");
    const QString modelDir = dir_.filePath("models");
    QVERIFY(QFile::exists(model));
    QVERIFY(QFile::exists(model + ".md"));

    const QJsonObject info = jsonOf(run("mimo", {"info", model, "--json"}));
    QCOMPARE(info["supported_n"].toArray(), (QJsonArray{1, 2}));
    QVERIFY(info["training_command"].toString().contains("--capacity 2"));

    const Run eval = run("mimo", {"eval", "--model", model, "--data", "mnist:" + data + ":test", "--json"});
    QCOMPARE(eval.exitCode, 0);
    const QJsonArray results = jsonOf(eval)["results"].toArray();
    QCOMPARE(results.size(), 2);
    for (const auto& row : results) {
        QCOMPARE(row.toObject()["count"].toInt(), 20);
        const QString n = QString::number(row.toObject()["n"].toInt());
        // The card's accuracy was measured the same way on the same split.
        QCOMPARE(row.toObject()["accuracy"].toDouble(), info["test_accuracy"].toObject()[n].toDouble());
    }

    // Images of another size and colour are converted to the model's 1x8x8 input.
    const QByteArray bmp = tinyBmp();
    writeFile(dir_.filePath("a.bmp"), bmp);
    writeFile(dir_.filePath("b.bmp"), bmp);
    const Run predict = run("mimo", {"predict", "--model", model, "--n", "2", dir_.filePath("a.bmp"),
                                     dir_.filePath("b.bmp"), "--json"});
    QCOMPARE(predict.exitCode, 0);
    const QJsonArray predicted = jsonOf(predict)["slots"].toArray();
    QCOMPARE(predicted.size(), 2);
    QCOMPARE(predicted[0].toObject()["superposed"].toArray().size(), 3);

    tinyFormer(); // a second family in the same folder
    const Run list = run("mimo", {"list-models", "--dir", modelDir, "--json"});
    const QJsonArray listed = jsonOf(list)["models"].toArray();
    QCOMPARE(listed.size(), 2);
    QStringList families;
    for (const auto& entry : listed)
        families << entry.toObject()["family"].toString();
    QCOMPARE(families, (QStringList{"mimoformer", "mimoconv"})); // sorted by file name: former.pt, tiny.pt

    const Run bench = run("mimo", {"bench", "--model", model, "--n", "1,2", "--batch", "4", "--rounds", "1", "--json"});
    QCOMPARE(bench.exitCode, 0);
    const QJsonArray speed = jsonOf(bench)["results"].toArray();
    QCOMPARE(speed.size(), 2);
    QCOMPARE(speed[0].toObject()["speedup"].toDouble(), 1.0);
    QVERIFY(speed[1].toObject()["inputs_per_second"].toDouble() > 0);
}

// The device check's first step (scripts/device-check.sh), where the only device is the CPU:
// every N the model serves, the same logits twice, and a device that is not there is refused.
void CliTest::compareDevicesAgreesOnTheCpu()
{
    const QString model = tinyModel();
    const QString data = "mnist:" + dir_.filePath("tiny-idx") + ":test";
    const Run same = run("mimo", {"compare-devices", "--model", model, "--device", "cpu", "--data", data, "--items",
                                  "15", "--batch", "4", "--json"});
    QCOMPARE(same.exitCode, 0);
    const QJsonArray models = QJsonDocument::fromJson(same.out.toUtf8()).array();
    QCOMPARE(models.size(), 1);
    const QJsonArray rows = models[0].toObject()["rows"].toArray();
    QCOMPARE(rows.size(), 2); // N = 1, 2
    for (const auto& value : rows) {
        const QJsonObject row = value.toObject();
        const int n = row["n"].toInt();
        QCOMPARE(row["items"].toInt(), 15 / n * n); // whole groups only
        QCOMPARE(row["max_abs_difference"].toDouble(), 0.0);
        QVERIFY(row["max_abs_logit"].toDouble() > 0.0);
        QCOMPARE(row["same_top_class"].toInt(), row["items"].toInt());
        QVERIFY(row["within_tolerance"].toBool());
    }
    const Run text = run("mimo", {"compare-devices", "--model", model, "--device", "cpu", "--data", data});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains("every logit within 0.001"), qPrintable(text.out));
    if (!mimo::cudaAvailable()) {
        const Run noGpu = run("mimo", {"compare-devices", "--model", model, "--device", "cuda", "--data", data});
        QCOMPARE(noGpu.exitCode, 1);
        QVERIFY2(noGpu.err.contains("CUDA"), qPrintable(noGpu.err));
    }
    const Run noModel = run("mimo", {"compare-devices", "--model", dir_.filePath("none.pt"), "--device", "cpu"});
    QCOMPARE(noModel.exitCode, 1);
    QVERIFY(noModel.err.contains("none.pt"));
}

void CliTest::modelCommandsRejectBadInput()
{
    const QString model = tinyModel();
    QVERIFY(QFile::exists(model));
    const QByteArray bmp = tinyBmp();
    writeFile(dir_.filePath("a.bmp"), bmp);
    const Run badN = run("mimo", {"eval", "--model", model, "--data", "mnist:" + dir_.filePath("tiny-idx") + ":test",
                                  "--n", "3"});
    QCOMPARE(badN.exitCode, 1);
    QVERIFY2(badN.err.contains("N=3"), qPrintable(badN.err));
    const Run noData = run("mimo", {"eval", "--model", model, "--data", "cifar10:" + dir_.filePath("no-such-dir")});
    QCOMPARE(noData.exitCode, 1);
    QVERIFY(noData.err.contains("no-such-dir"));
    const Run wrongShape = run("mimo", {"eval", "--model", model, "--data", "fashion-mnist:test", "--limit", "10"});
    QCOMPARE(wrongShape.exitCode, 1);
    QVERIFY2(wrongShape.err.contains("expects 1x8x8"), qPrintable(wrongShape.err));
    const Run oddCount = run("mimo", {"predict", "--model", model, "--n", "2", dir_.filePath("a.bmp")});
    QCOMPARE(oddCount.exitCode, 1);
    QVERIFY(oddCount.err.contains("multiple of 2"));
    writeFile(dir_.filePath("broken.pt"), "not a model");
    const Run broken = run("mimo", {"info", dir_.filePath("broken.pt")});
    QCOMPARE(broken.exitCode, 1);
    QVERIFY(broken.err.contains("broken.pt"));
    const Run badLowN = run("mimo", {"train", "conv", "--arch", "fmnist-mimoconv", "--low-n", "3", "--out",
                                     dir_.filePath("x.pt")});
    QCOMPARE(badLowN.exitCode, 1);
    QVERIFY(badLowN.err.contains("--low-n 3"));
    // A classifier smaller than the data's classes: refused by name, not LibTorch's loss error.
    tinyModel(); // writes the tiny data set
    const QString data = dir_.filePath("tiny-idx");
    const Run fewClasses = run("mimo", {"train", "conv", "--arch", "fmnist-mimoconv", "--depth", "10", "--width", "1",
                                        "--stem", "8", "--capacity", "2", "--size", "8", "--classes", "2", "--data",
                                        "mnist:" + data + ":train", "--test-data", "mnist:" + data + ":test",
                                        "--out", dir_.filePath("few.pt")});
    QCOMPARE(fewClasses.exitCode, 1);
    QVERIFY2(fewClasses.err.contains("classifier has 2") && !fewClasses.err.contains("out of bounds"),
             qPrintable(fewClasses.err));
    const Run noOut = run("mimo", {"train", "conv"});
    QCOMPARE(noOut.exitCode, 2);
    const Run badImport = run("mimo", {"import-official", dir_.filePath("broken.pt"), "--out", dir_.filePath("y.pt")});
    QCOMPARE(badImport.exitCode, 1);
    QVERIFY(badImport.err.contains("broken.pt"));
}

QTEST_GUILESS_MAIN(CliTest)
#include "test_cli.moc"
