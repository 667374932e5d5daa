// Data-parallel training and evaluation over c10d (Gloo), as a user runs them: `mimo launch`
// and ranks started by hand with the torchrun environment, on this one machine.
#include <torch/torch.h> // before Qt: its `slots` macro breaks the torch headers

#include "cli_runner.h"
#include "core/model/model_file.h"
#include "test_support.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

namespace {

using namespace mimo::testing;

QJsonObject jsonOf(const Run& r) { return QJsonDocument::fromJson(r.out.toUtf8()).object(); }

// The largest difference between two model files' parameters (both of one architecture).
double largestDifference(const QString& a, const QString& b)
{
    mimo::LoadedModel first = mimo::loadModel(a.toStdString());
    mimo::LoadedModel second = mimo::loadModel(b.toStdString());
    const auto left = first.module().named_parameters();
    const auto right = second.module().named_parameters();
    if (left.size() != right.size())
        return 1e9;
    double largest = 0.0;
    for (const auto& item : left)
        largest = std::max(largest, (item.value() - right[item.key()]).abs().max().item<double>());
    return largest;
}

QProcessEnvironment rankEnvironment(int rank, int worldSize, int port)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert("RANK", QString::number(rank));
    environment.insert("WORLD_SIZE", QString::number(worldSize));
    environment.insert("MASTER_ADDR", "127.0.0.1");
    environment.insert("MASTER_PORT", QString::number(port));
    return environment;
}

// A port unlikely to be taken: one per test function, from the process id.
int testPort(int offset) { return 20000 + int(QCoreApplication::applicationPid() % 4000) * 8 + offset; }

} // namespace

class DistributedTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void shardedEvaluationEqualsOneProcess();
    void dataParallelTrainingEqualsOneProcess();
    void resumedWithAnotherWorldSize();
    void dataParallelConvTrainingWritesOneModel();
    void aModelOneRankCannotReadFailsOnEveryRank();
    void killedRankStopsTheOthers();
    void launcherStopsTheGroupWhenARankDies();
    void badGroupSettingsAreNamed();

private:
    QStringList formerArguments(int steps, int batch, const QString& out) const;
    QTemporaryDir dir_;
};

void DistributedTest::initTestCase()
{
    QVERIFY(dir_.isValid());
    for (const auto& [name, seed] : {std::pair<QString, QString>{"train.tsv", "1"}, {"test.tsv", "2"}})
        QCOMPARE(run("mimo", {"listops", "generate", "--out", dir_.filePath(name), "--count",
                              name == "train.tsv" ? "400" : "40", "--min-length", "5", "--max-length", "60",
                              "--max-depth", "4", "--max-args", "4", "--seed", seed})
                     .exitCode,
                 0);
}

QStringList DistributedTest::formerArguments(int steps, int batch, const QString& out) const
{
    // A one-layer MIMOFormer (layer norms, no batch norm) without dropout (each rank draws its
    // own masks): ranks with batch B are one process with batch 2B.
    return {"train",    "former", "--arch",   "listops-short-mimo", "--dim",    "16",  "--ff",
            "24",       "--heads", "2",       "--head-dim",         "8",        "--layers", "1",
            "--features", "16",   "--length", "48",                 "--steps",  QString::number(steps),
            "--warmup", "2",      "--mimo-warmup", "4",             "--dropout", "0",             "--batch",  QString::number(batch),
            "--data",   "listops:" + dir_.filePath("train.tsv"),    "--test-data", "listops:" + dir_.filePath("test.tsv"),
            "--curve-limit", "40", "--eval-every", "10",            "--out",    out};
}

void DistributedTest::shardedEvaluationEqualsOneProcess()
{
    // 600 items in batches of 128: rank 0 takes batches 0, 2, 4 and rank 1 batches 1, 3.
    const QString model = QString(qgetenv("MIMO_SOURCE_DIR")) + "/models/fmnist-mimoconv-10-4.pt";
    const QStringList eval{"eval", "--model", model, "--limit", "600", "--batch", "128", "--json"};
    const Run one = run("mimo", eval);
    QVERIFY2(one.exitCode == 0, qPrintable(one.err));
    const Run two = run("mimo", QStringList{"launch", "--nproc", "2", "--threads", "1", "--", "mimo"} + eval);
    QVERIFY2(two.exitCode == 0, qPrintable(two.err));
    QVERIFY2(two.err.contains("rank 1 is pid"), qPrintable(two.err));
    const QJsonObject single = jsonOf(one), sharded = jsonOf(two);
    QCOMPARE(sharded["ranks"].toInt(), 2);
    QCOMPARE(single["ranks"].toInt(), 1);
    const QJsonArray a = single["results"].toArray(), b = sharded["results"].toArray();
    QCOMPARE(a.size(), 3);
    QCOMPARE(b.size(), 3);
    for (int i = 0; i < 3; ++i) {
        const QJsonObject x = a[i].toObject(), y = b[i].toObject();
        QCOMPARE(y["count"].toInt(), 600);
        QCOMPARE(y["correct"].toInt(), x["correct"].toInt());
        QCOMPARE(y["per_class_accuracy"].toArray(), x["per_class_accuracy"].toArray());
    }
    // The table names the group and whose speed it shows.
    const Run table = run("mimo", QStringList{"launch", "--nproc", "2", "--threads", "1", "--", "mimo", "eval",
                                              "--model", model, "--limit", "300", "--batch", "128"});
    QVERIFY2(table.exitCode == 0, qPrintable(table.err));
    QVERIFY2(table.out.contains("Counted over 2 ranks"), qPrintable(table.out));

    // ListOps: the accuracy by tree depth sums over the ranks too (3 ranks, uneven shares).
    const QString former = dir_.filePath("eval-former.pt");
    QCOMPARE(run("mimo", formerArguments(6, 8, former)).exitCode, 0);
    const QStringList listops{"eval", "--model", former, "--data", "listops:" + dir_.filePath("test.tsv"),
                              "--batch", "8", "--json"};
    const QJsonObject alone = jsonOf(run("mimo", listops));
    const Run threeRanks = run("mimo", QStringList{"launch", "--nproc", "3", "--threads", "1", "--", "mimo"} + listops);
    QVERIFY2(threeRanks.exitCode == 0, qPrintable(threeRanks.err));
    const QJsonObject group = jsonOf(threeRanks);
    QCOMPARE(group["ranks"].toInt(), 3);
    for (int i = 0; i < alone["results"].toArray().size(); ++i) {
        const QJsonObject x = alone["results"].toArray()[i].toObject(), y = group["results"].toArray()[i].toObject();
        QCOMPARE(y["count"].toInt(), 40);
        QCOMPARE(y["correct"].toInt(), x["correct"].toInt());
        QVERIFY(!x["per_group"].toArray().isEmpty());
        QCOMPARE(y["per_group"].toArray(), x["per_group"].toArray());
    }
}

void DistributedTest::dataParallelTrainingEqualsOneProcess()
{
    // 20 steps: one process with batch 16, and 2 ranks with batch 8 each over the same items.
    const QString one = dir_.filePath("one.pt"), two = dir_.filePath("two.pt");
    const Run single = run("mimo", formerArguments(20, 16, one));
    QVERIFY2(single.exitCode == 0, qPrintable(single.err));
    const Run group = run("mimo", QStringList{"launch", "--nproc", "2", "--threads", "1", "--", "mimo"} +
                                      formerArguments(20, 8, two));
    QVERIFY2(group.exitCode == 0, qPrintable(group.out + group.err));
    const double difference = largestDifference(one, two);
    QVERIFY2(difference < 1e-4, qPrintable(QString("largest weight difference %1").arg(difference)));
    // Rank 0 alone speaks: one "wrote", one card that says how the model was trained.
    QCOMPARE(group.out.count("wrote " + two), 1);
    QFile card(two + ".md");
    QVERIFY(card.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(card.readAll());
    QVERIFY2(text.contains("Data-parallel over 2 ranks (c10d gloo): batch 8 per rank, 16 per step in all"),
             qPrintable(text));
    QVERIFY2(!text.contains("batch-norm"), "a MIMOFormer has no batch norm to speak of");
    // And the learning curve and final accuracies agree.
    const QRegularExpression curve("step 10: N=1 ([0-9.]+)%");
    QCOMPARE(curve.match(group.out).captured(1), curve.match(single.out).captured(1));
    QVERIFY(curve.match(single.out).hasMatch());
}

void DistributedTest::resumedWithAnotherWorldSize()
{
    // 2 ranks of batch 8 stopped part-way (TERM to the launcher), then one process of batch 16
    // finishes the run: the same weights as one uninterrupted process of batch 16.
    const QString resumed = dir_.filePath("resumed.pt"), straight = dir_.filePath("straight.pt");
    QProcess launcher;
    launcher.start(binary("mimo"), QStringList{"launch", "--nproc", "2", "--threads", "1", "--", "mimo"} +
                                       formerArguments(400, 8, resumed));
    QVERIFY(launcher.waitForStarted());
    QByteArray progress; // QTRY evaluates its condition once more at the end: keep what was read
    QTRY_VERIFY_WITH_TIMEOUT((progress += launcher.readAllStandardOutput()).contains("step "), 60000);
    ::kill(pid_t(launcher.processId()), SIGTERM);
    QVERIFY(launcher.waitForFinished(60000));
    const QString out = QString::fromUtf8(progress + launcher.readAll());
    QVERIFY2(launcher.exitCode() == 130, qPrintable(QString::number(launcher.exitCode()) + out +
                                                    launcher.readAllStandardError()));
    QVERIFY(QFile::exists(resumed + ".ckpt"));
    QVERIFY(!QFile::exists(resumed));

    // Another global batch is another training: refused, naming it.
    const Run wrongBatch = run("mimo", formerArguments(400, 8, resumed));
    QCOMPARE(wrongBatch.exitCode, 1);
    QVERIFY2(wrongBatch.err.contains("batch: 16 in the checkpoint, 8 now, all ranks' together"), qPrintable(wrongBatch.err));

    const Run finish = run("mimo", formerArguments(400, 16, resumed));
    QVERIFY2(finish.exitCode == 0, qPrintable(finish.err));
    QVERIFY2(finish.out.contains("resumed from"), qPrintable(finish.out));
    QCOMPARE(run("mimo", formerArguments(400, 16, straight)).exitCode, 0);
    const double difference = largestDifference(resumed, straight);
    QVERIFY2(difference < 1e-4, qPrintable(QString("largest weight difference %1").arg(difference)));
}

void DistributedTest::dataParallelConvTrainingWritesOneModel()
{
    // A MIMOConv (batch norm, dynamic N) on 2 ranks: the gradient filter, clipping and the
    // isometry term see the group's gradients; rank 0 writes the model.
    const QString data = dir_.filePath("idx");
    QDir().mkpath(data);
    writeTinyIdx(data.toStdString(), "train", 64, 8);
    writeTinyIdx(data.toStdString(), "t10k", 20, 8);
    const QString model = dir_.filePath("conv.pt");
    const Run train = run("mimo", {"launch", "--nproc", "2", "--threads", "1", "--", "mimo", "train", "conv",
                                   "--arch", "fmnist-mimoconv", "--depth", "10", "--width", "1", "--stem", "8",
                                   "--capacity", "2", "--size", "8", "--data", "mnist:" + data + ":train",
                                   "--test-data", "mnist:" + data + ":test", "--epochs", "2", "--batch", "4",
                                   "--low-n", "1", "--out", model});
    QVERIFY2(train.exitCode == 0, qPrintable(train.out + train.err));
    QCOMPARE(train.out.count("wrote " + model), 1);
    QFile card(model + ".md");
    QVERIFY(card.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(card.readAll());
    QVERIFY2(text.contains("batch 4 per rank, 8 per step in all") &&
                 text.contains("batch-norm statistics per rank (each over its own 8 images)"),
             qPrintable(text));
    const Run eval = run("mimo", {"eval", "--model", model, "--data", "mnist:" + data + ":test", "--json"});
    QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
    QCOMPARE(jsonOf(eval)["results"].toArray().size(), 2);
}

void DistributedTest::aModelOneRankCannotReadFailsOnEveryRank()
{
    // Two models, the first a relative path that only rank 0's folder holds (as a file missing
    // on one machine): both ranks report it failed, then evaluate the second together.
    const QString models = QString(qgetenv("MIMO_SOURCE_DIR")) + "/models/";
    QDir().mkpath(dir_.filePath("rank0"));
    QDir().mkpath(dir_.filePath("rank1"));
    QVERIFY(QFile::copy(models + "fmnist-mimoconv-10-4.pt", dir_.filePath("rank0/first.pt")));
    const int port = testPort(4);
    QProcess ranks[2];
    for (int r = 0; r < 2; ++r) {
        ranks[r].setProcessEnvironment(rankEnvironment(r, 2, port));
        ranks[r].setWorkingDirectory(dir_.filePath(QString("rank%1").arg(r)));
        ranks[r].start(binary("mimo"), {"eval", "--model", "first.pt," + models + "fmnist-wrn-10-4.pt", "--limit", "256",
                                        "--batch", "128", "--dist-timeout", "60"});
    }
    QElapsedTimer clock;
    clock.start();
    for (auto& rank : ranks)
        QVERIFY(rank.waitForFinished(120000));
    QVERIFY2(clock.elapsed() < 55000, "a rank waited for the other's timeout");
    const QString out0 = QString::fromUtf8(ranks[0].readAllStandardOutput());
    const QString err0 = QString::fromUtf8(ranks[0].readAllStandardError());
    const QString err1 = QString::fromUtf8(ranks[1].readAllStandardError());
    QCOMPARE(ranks[0].exitCode(), 1);
    QCOMPARE(ranks[1].exitCode(), 1);
    QVERIFY2(err0.contains("first.pt: another rank of the group could not load this model"), qPrintable(err0));
    QVERIFY2(err1.contains("first.pt") && err1.contains("rank 1"), qPrintable(err1));
    QVERIFY2(out0.contains("fmnist-wrn-10-4.pt on") && out0.contains("Counted over 2 ranks"), qPrintable(out0));
    QVERIFY2(QRegularExpression("\\s256\\s").match(out0).hasMatch(), qPrintable(out0)); // every item counted
}

void DistributedTest::killedRankStopsTheOthers()
{
    // Ranks started by hand: rank 1 is killed mid-training; rank 0 ends with an error naming
    // itself, well within its timeout, instead of waiting for ever.
    const int port = testPort(1);
    QProcess ranks[2];
    for (int r = 0; r < 2; ++r) {
        ranks[r].setProcessEnvironment(rankEnvironment(r, 2, port));
        ranks[r].start(binary("mimo"), formerArguments(100000, 8, dir_.filePath("killed.pt")) +
                                           QStringList{"--dist-timeout", "60"});
    }
    QVERIFY(ranks[0].waitForStarted() && ranks[1].waitForStarted());
    QByteArray progress; // QTRY evaluates its condition once more at the end: keep what was read
    QTRY_VERIFY_WITH_TIMEOUT((progress += ranks[0].readAllStandardOutput()).contains("step "), 60000);
    QElapsedTimer clock;
    clock.start();
    ranks[1].kill();
    QVERIFY(ranks[1].waitForFinished(10000));
    QVERIFY(ranks[0].waitForFinished(60000));
    QVERIFY2(clock.elapsed() < 45000, qPrintable(QString("rank 0 took %1 ms").arg(clock.elapsed())));
    const QString error = QString::fromUtf8(ranks[0].readAllStandardError());
    QCOMPARE(ranks[0].exitStatus(), QProcess::NormalExit);
    QVERIFY2(ranks[0].exitCode() == 1, qPrintable(error));
    QVERIFY2(error.contains("rank 0 of 2") && error.contains("another rank stopped"), qPrintable(error));
}

void DistributedTest::launcherStopsTheGroupWhenARankDies()
{
    QProcess launcher;
    launcher.start(binary("mimo"), QStringList{"launch", "--nproc", "2", "--threads", "1", "--grace", "5", "--",
                                               "mimo"} +
                                       formerArguments(100000, 8, dir_.filePath("dies.pt")));
    QVERIFY(launcher.waitForStarted());
    QString err;
    QRegularExpressionMatch pid;
    QTRY_VERIFY_WITH_TIMEOUT((err += QString::fromUtf8(launcher.readAllStandardError()),
                              pid = QRegularExpression("rank 1 is pid (\\d+)").match(err), pid.hasMatch()),
                             30000);
    QByteArray progress;
    QTRY_VERIFY_WITH_TIMEOUT((progress += launcher.readAllStandardOutput()).contains("step "), 60000);
    ::kill(pid_t(pid.captured(1).toInt()), SIGKILL);
    QVERIFY(launcher.waitForFinished(60000));
    err += QString::fromUtf8(launcher.readAllStandardError());
    QCOMPARE(launcher.exitCode(), 128 + SIGKILL);
    QVERIFY2(err.contains("rank 1 (pid " + pid.captured(1) + ") was killed by signal 9") &&
                 err.contains("stopping the other ranks"),
             qPrintable(err));
}

void DistributedTest::badGroupSettingsAreNamed()
{
    const QString model = QString(qgetenv("MIMO_SOURCE_DIR")) + "/models/fmnist-mimoconv-10-4.pt";
    const QStringList eval{"eval", "--model", model, "--limit", "16"};
    const Run outside = run("mimo", eval, rankEnvironment(2, 2, testPort(2)));
    QCOMPARE(outside.exitCode, 1);
    QVERIFY2(outside.err.contains("must be 0 to 1 in a group of 2, not 2"), qPrintable(outside.err));
    QProcessEnvironment garbled = rankEnvironment(0, 2, testPort(2));
    garbled.insert("WORLD_SIZE", "two");
    const Run notANumber = run("mimo", eval, garbled);
    QCOMPARE(notANumber.exitCode, 1);
    QVERIFY2(notANumber.err.contains("WORLD_SIZE='two' is not a whole number"), qPrintable(notANumber.err));
    // Rank 1 with no rank 0 to meet: an error naming the address, after the timeout, not a hang.
    QElapsedTimer clock;
    clock.start();
    const Run alone = run("mimo", eval + QStringList{"--dist-timeout", "3"}, rankEnvironment(1, 2, testPort(3)));
    QCOMPARE(alone.exitCode, 1);
    QVERIFY2(alone.err.contains("rank 1 of 2: could not reach rank 0 at 127.0.0.1:" + QString::number(testPort(3))),
             qPrintable(alone.err));
    QVERIFY(clock.elapsed() < 60000);
    const Run noCommand = run("mimo", {"launch", "--nproc", "2"});
    QCOMPARE(noCommand.exitCode, 2);
    const Run missing = run("mimo", {"launch", "--nproc", "2", "--", "no-such-program-here"});
    QVERIFY(missing.exitCode != 0);
    QVERIFY2(missing.err.contains("cannot run no-such-program-here"), qPrintable(missing.err));
}

QTEST_GUILESS_MAIN(DistributedTest)
#include "test_distributed.moc"
