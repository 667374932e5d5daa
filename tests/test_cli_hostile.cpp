// Hostile files and values through the two executables (issue 15): each command refuses them
// by name with exit code 1 (a bad file) or 2 (a bad command line), never by crashing, and a
// batch that mixes good and bad models evaluates the good one and names each bad one.
#include "cli_runner.h"
#include "core/model/model_file.h"
#include "hostile_archive.h"
#include "tiny_archive.h"
#include "test_support.h"

#include <torch/torch.h>

#include <QDir>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace mimo;
using namespace mimo::testing;

namespace {

ModelArchive tinyArchive() { return tinyHostileArchive(10); }

} // namespace

class CliHostileTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void hostileInputsAreRefusedByName_data();
    void hostileInputsAreRefusedByName();
    void batchOfGoodAndHostileModels_data();
    void batchOfGoodAndHostileModels();
    void listModelsSurvivesALoopingLink();

private:
    QString path(const QString& name) const { return dir_.filePath(name); }
    QTemporaryDir dir_;
};

void CliHostileTest::initTestCase()
{
    QVERIFY(dir_.isValid());
    MimoConv model(tinyHostileConfig(10));
    saveConvModel(path("good.pt").toStdString(), model, ModelCard{});
    // Format 1 (no checksum), as every file was before it: the reader of the time crashed on it.
    ModelArchive outOfBounds = tinyArchive();
    outOfBounds.formatVersion = 1;
    outOfBounds.checksum = std::string();
    outOfBounds.mutate["conv1.weight"] = [](TensorRecord& r) { r.offset = 1 << 30; };
    writeFile(path("out-of-bounds.pt"), bytes(outOfBounds.build()));
    std::string lists = "]";
    for (int i = 0; i < 500000; ++i)
        lists += "(]";
    writeFile(path("deep.pt"), bytes(pickleArchive(PickleWriter().raw(lists + std::string(500000, 'e')).finish())));
    ModelArchive escapes = tinyArchive();
    escapes.format = "\x1b[2J\x1b]0;owned\x07";
    writeFile(path("escapes.pt"), bytes(escapes.build()));
    ModelArchive flipped = tinyArchive();
    flipped.mutate["fc.weight"] = [](TensorRecord& r) { r.bytes[2] ^= 0x40; };
    writeFile(path("flipped.pt"), bytes(flipped.build()));
    writeFile(path("garbage.pt"), "garbage");
    writeFile(path("a.bmp"), QByteArray::fromHex("424d3e000000000000003600000028000000020000000100000001001800000000000800000013"
                                                  "0b0000130b00000000000000000000ffffff0000000000"));
    QVERIFY(QDir().mkpath(path("idx")) && QDir().mkpath(path("folder.pt")));
    writeTinyIdx(path("idx").toStdString(), "t10k", 12, 8);
}

void CliHostileTest::hostileInputsAreRefusedByName_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QStringList>("expected"); // on stderr
    const QString d = dir_.path();
    const QString data = "mnist:" + d + "/idx:test";
    QTest::newRow("info, offset past storage") << QStringList{"info", d + "/out-of-bounds.pt"} << 1
                                               << QStringList{"out-of-bounds.pt", "reads element"};
    QTest::newRow("predict, offset past storage") << QStringList{"predict", "--model", d + "/out-of-bounds.pt", d + "/a.bmp"}
                                                  << 1 << QStringList{"out-of-bounds.pt", "reads element"};
    QTest::newRow("bench, offset past storage")
        << QStringList{"bench", "--model", d + "/out-of-bounds.pt", "--n", "1", "--batch", "2", "--rounds", "1"} << 1
        << QStringList{"out-of-bounds.pt", "reads element"};
    QTest::newRow("info, lists nested 500000 deep") << QStringList{"info", d + "/deep.pt"} << 1
                                                 << QStringList{"deep.pt", "nested more than 100"};
    QTest::newRow("predict, flipped bits") << QStringList{"predict", "--model", d + "/flipped.pt", d + "/a.bmp"} << 1
                                           << QStringList{"flipped.pt", "checksum"};
    QTest::newRow("info, a folder") << QStringList{"info", d + "/folder.pt"} << 1
                                    << QStringList{"folder.pt", "is a directory"};
    // A training checkpoint goes through the same checked reader (test_hostile_checkpoints has the rest).
    const QStringList train{"train", "conv", "--arch", "fmnist-mimoconv", "--depth", "10", "--width", "1",
                            "--stem", "8", "--capacity", "2", "--size", "8", "--data", data, "--test-data", data,
                            "--batch", "2", "--low-n", "1", "--out", d + "/never-written.pt", "--checkpoint"};
    QTest::newRow("train, checkpoint nested 500000 deep") << train + QStringList{d + "/deep.pt"} << 1
                                                          << QStringList{"deep.pt", "nested more than 100"};
    QTest::newRow("train, checkpoint a folder") << train + QStringList{d + "/folder.pt"} << 1
                                                << QStringList{"folder.pt", "is a directory"};
    QTest::newRow("info, terminal escapes in the file") << QStringList{"info", d + "/escapes.pt"} << 1
                                                        << QStringList{"escapes.pt", "\\x1B[2J"};
    QTest::newRow("eval --limit -1") << QStringList{"eval", "--model", d + "/good.pt", "--data", data, "--limit", "-1"}
                                     << 2 << QStringList{"--limit", "whole number"};
    QTest::newRow("eval --keys with seed -1")
        << QStringList{"eval", "--model", d + "/good.pt", "--data", data, "--keys", "gaussian:-1"} << 2
        << QStringList{"gaussian:-1", "whole number"};
    QTest::newRow("keys --seed -1") << QStringList{"keys", "--seed", "-1"} << 2 << QStringList{"--seed", "whole number"};
    QTest::newRow("keys --seed 1.5") << QStringList{"keys", "--seed", "1.5"} << 2 << QStringList{"--seed"};
    QTest::newRow("generated ListOps with seed -1") << QStringList{"data", "info", "listops-generated:10:-1"} << 1
                                                    << QStringList{"whole numbers"};
}

void CliHostileTest::hostileInputsAreRefusedByName()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QStringList, expected);
    const Run result = run("mimo", arguments);
    QVERIFY2(result.exitCode == exitCode, qPrintable(QString::number(result.exitCode) + ": " + result.err));
    for (const QString& part : expected)
        QVERIFY2(result.err.contains(part), qPrintable(result.err));
    for (const QChar c : result.err)
        QVERIFY2(c == '\n' || c == '\t' || (c.unicode() >= 0x20 && c.unicode() != 0x7f), qPrintable(result.err));
}

void CliHostileTest::batchOfGoodAndHostileModels_data()
{
    QTest::addColumn<QString>("program");
    QTest::newRow("mimo eval --config") << "mimo";
    QTest::newRow("mimo-explorer --batch") << "mimo-explorer";
}

void CliHostileTest::batchOfGoodAndHostileModels()
{
    QFETCH(QString, program);
    const QString config = path("mixed.json");
    writeFile(config, QString(R"({"models": ["garbage.pt", "good.pt", "out-of-bounds.pt", "deep.pt"],
                                  "dataset": "mnist:%1/idx:test", "limit": 8, "n": [1, 2]})")
                          .arg(dir_.path())
                          .toUtf8());
    const QString out = path("out-" + program);
    const Run result = program == "mimo" ? run("mimo", {"eval", "--config", config, "--out", out})
                                         : run("mimo-explorer", {"--batch", config, "--out", out});
    QVERIFY2(result.exitCode == 1, qPrintable(QString::number(result.exitCode) + ": " + result.err));
    for (const char* bad : {"garbage.pt", "out-of-bounds.pt", "deep.pt"})
        QVERIFY2(result.err.contains(bad), qPrintable(result.err));
    QFile csv(out + "/results.csv");
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QString rows = QString::fromUtf8(csv.readAll());
    QVERIFY2(rows.contains("good.pt"), qPrintable(rows));
}

void CliHostileTest::listModelsSurvivesALoopingLink()
{
    QVERIFY(QDir().mkpath(path("listed")));
    QFile::copy(path("good.pt"), path("listed/good.pt"));
    std::filesystem::create_symlink("loop.pt", path("listed/loop.pt").toStdString());
    const Run result = run("mimo", {"list-models", "--dir", path("listed")});
    QVERIFY2(result.exitCode == 0, qPrintable(result.err));
    QVERIFY2(result.out.contains("good.pt"), qPrintable(result.out));
    QVERIFY2((result.out + result.err).contains("loop.pt"), qPrintable(result.out + result.err));
}

QTEST_GUILESS_MAIN(CliHostileTest)
#include "test_cli_hostile.moc"
