// The two executables as a user runs them: exit codes, help, JSON, and clear errors on bad input.
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QString err;
};

QString binary(const QString& name) { return qEnvironmentVariable("MIMO_BIN_DIR") + "/" + name; }

Run run(const QString& program, const QStringList& arguments)
{
    QProcess process;
    process.start(binary(program), arguments);
    Run result;
    if (!process.waitForFinished(120000)) {
        result.err = "did not finish: " + process.errorString();
        return result;
    }
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

// A 2x1 colour BMP written by hand keeps these tests free of image libraries.
QByteArray tinyBmp()
{
    return QByteArray::fromHex("424d3e000000000000003600000028000000020000000100000001001800000000000800000013"
                               "0b0000130b00000000000000000000ffffff0000000000");
}

QJsonObject jsonOf(const Run& r) { return QJsonDocument::fromJson(r.out.toUtf8()).object(); }

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(bytes);
}

} // namespace

class CliTest : public QObject {
    Q_OBJECT

private slots:
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

private:
    QString tinyModel();
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

    const Run list = run("mimo", {"list-models", "--dir", modelDir, "--json"});
    QCOMPARE(jsonOf(list)["models"].toArray().size(), 1);

    const Run bench = run("mimo", {"bench", "--model", model, "--n", "1,2", "--batch", "4", "--rounds", "1", "--json"});
    QCOMPARE(bench.exitCode, 0);
    const QJsonArray speed = jsonOf(bench)["results"].toArray();
    QCOMPARE(speed.size(), 2);
    QCOMPARE(speed[0].toObject()["speedup"].toDouble(), 1.0);
    QVERIFY(speed[1].toObject()["inputs_per_second"].toDouble() > 0);
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
    const Run noOut = run("mimo", {"train", "conv"});
    QCOMPARE(noOut.exitCode, 2);
    const Run badImport = run("mimo", {"import-official", dir_.filePath("broken.pt"), "--out", dir_.filePath("y.pt")});
    QCOMPARE(badImport.exitCode, 1);
    QVERIFY(badImport.err.contains("broken.pt"));
}

QTEST_GUILESS_MAIN(CliTest)
#include "test_cli.moc"
