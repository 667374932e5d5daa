// The skip-and-report policy for datasets that decode items on demand (docs/file-safety.md,
// "Unreadable items in a dataset"): an image folder with good PNGs and damaged ones (random
// bytes, a truncated PNG, an empty file) is evaluated over its readable items only, through the
// core API and the command line alike, with the damaged files named; training replaces them and
// announces each once; `mimo data info --check` lists them; a folder of nothing but damaged files
// is a clean error naming the folder.
#include "cli_runner.h"

#include "core/data/dataset_spec.h"
#include "core/data/image_folder.h"
#include "core/data/pixel_sequence.h"
#include "core/data/unreadable_items.h"
#include "core/errors.h"
#include "core/eval/conv_evaluation.h"
#include "core/eval/former_evaluation.h"
#include "core/eval/former_interference.h"
#include "core/model/model_file.h"
#include "core/train/conv_trainer.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <set>

using namespace mimo;
using mimo::testing::Run;
using mimo::testing::run;

namespace {

constexpr int kSide = 12;
const char* const kClasses[] = {"a", "b", "c"};

MimoConvConfig tinyArchitecture()
{
    MimoConvConfig config;
    config.depth = 10;
    config.widthFactor = 1;
    config.stemWidth = 8;
    config.numClasses = 3;
    config.capacity = 4;
    config.input.channels = 1;
    config.input.height = config.input.width = kSide;
    config.input.mean = {0.5f};
    config.input.stddev = {0.25f};
    return config;
}

QByteArray pngBytes(int seed)
{
    cv::Mat image(kSide, kSide, CV_8UC1);
    for (int y = 0; y < kSide; ++y)
        for (int x = 0; x < kSide; ++x)
            image.at<uchar>(y, x) = uchar((x * 29 + y * 11 + seed * 53) % 256);
    std::vector<uchar> encoded;
    cv::imencode(".png", image, encoded);
    return QByteArray(reinterpret_cast<const char*>(encoded.data()), qsizetype(encoded.size()));
}

void writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    file.write(bytes);
}

// Good PNGs 0.png .. 3.png in every class, and with `damaged` one damaged file per class, named to
// sort after the good ones: random bytes, a PNG cut after its header, an empty file.
void writeFolder(const QString& root, int good, bool damaged)
{
    int seed = 0;
    for (const char* name : kClasses) {
        const QString folder = root + "/" + name;
        QDir().mkpath(folder);
        for (int i = 0; i < good; ++i)
            writeBytes(QString("%1/%2.png").arg(folder).arg(i), pngBytes(seed++));
    }
    if (!damaged)
        return;
    writeBytes(root + "/a/x-random.png", QByteArray("this is not a picture at all, only some text"));
    writeBytes(root + "/b/x-truncated.png", pngBytes(99).left(60));
    writeBytes(root + "/c/x-empty.png", QByteArray());
}

const QStringList kDamaged{"a/x-random.png", "b/x-truncated.png", "c/x-empty.png"};

std::set<std::string> fileNames(const UnreadableItems& items)
{
    std::set<std::string> names;
    for (const auto& item : items.items())
        names.insert(QDir(QString::fromStdString(item.file)).dirName().toStdString());
    return names;
}

const std::set<std::string> kDamagedNames{"x-random.png", "x-truncated.png", "x-empty.png"};

QJsonObject jsonOf(const QString& text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

} // namespace

class UnreadableItemsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void reportIsBoundedAndCountsOnce();
    void imageFoldersDecodeOnDemand();
    void evaluationSkipsUnreadableItems();
    void evaluationOfNothingReadableNamesTheFolder();
    void sequenceModelsSkipThemToo();
    void commandLineEvalReportsThem();
    void batchConfigKeepsThem();
    void dataInfoCheckListsThem();
    void trainingReplacesThemAndSaysSoOnce();
    void trainingOnNothingReadableNamesTheFolder();

private:
    QTemporaryDir dir_;
    QString model_, mixed_, good_, allBad_;
};

void UnreadableItemsTest::initTestCase()
{
    QVERIFY(dir_.isValid());
    mixed_ = dir_.filePath("mixed");
    good_ = dir_.filePath("good");
    allBad_ = dir_.filePath("all-bad");
    writeFolder(mixed_, 4, true);
    writeFolder(good_, 4, false);
    writeFolder(allBad_, 0, true);
    torch::manual_seed(5);
    MimoConv model(tinyArchitecture());
    model->eval();
    ModelCard card;
    card.name = "tiny";
    card.classNames = {"a", "b", "c"};
    model_ = dir_.filePath("tiny.pt");
    saveConvModel(model_.toStdString(), model, card);
}

void UnreadableItemsTest::reportIsBoundedAndCountsOnce()
{
    UnreadableItems items;
    QVERIFY(unreadableReport(items).empty());
    for (std::size_t i = 0; i < 7; ++i)
        QVERIFY(items.add(UnreadableItem{i * 10, "f" + std::to_string(i) + ".png", "damaged"}));
    QVERIFY(!items.add(UnreadableItem{30, "again.png", "damaged"})); // index 30 is known
    QCOMPARE(items.size(), std::size_t(7));
    QVERIFY(items.contains(60));
    QVERIFY(!items.contains(61));
    QCOMPARE(unreadableReport(items, 3),
             std::string("7 unreadable items skipped: f0.png: damaged; f1.png: damaged; f2.png: damaged; and 4 more"));
    UnreadableItems one;
    one.add(UnreadableItem{2, "b.png", "not an image"});
    QCOMPARE(unreadableReport(one), std::string("1 unreadable item skipped: b.png: not an image"));
    QCOMPARE(items.merge(one), std::size_t(1));
    QCOMPARE(items.merge(one), std::size_t(0));
}

void UnreadableItemsTest::imageFoldersDecodeOnDemand()
{
    const auto folder = std::make_shared<ImageFolderDataset>(mixed_.toStdString(), tinyArchitecture().input);
    QVERIFY(folder->decodesOnDemand());
    QCOMPARE(folder->origin(), mixed_.toStdString());
    QCOMPARE(folder->size(), std::size_t(15)); // listed, not decoded: the damaged files count too
    QVERIFY(PixelSequenceDataset(folder).decodesOnDemand());
    QVERIFY(!openDataset("listops-generated:4")->decodesOnDemand());
    // The damaged item's own error names its file.
    try {
        folder->sample(4); // a/x-random.png sorts after a/0.png .. a/3.png
        QFAIL("a file of random bytes decoded");
    } catch (const DataError& error) {
        QVERIFY2(QString::fromStdString(error.source()).endsWith("a/x-random.png"), error.what());
    }
    folder->sample(3); // its neighbour is fine
}

void UnreadableItemsTest::evaluationSkipsUnreadableItems()
{
    auto model = loadConvModel(model_.toStdString()).model;
    EvalConfig config;
    config.ns = {1, 2, 4};
    config.batch = 8;
    ImageFolderDataset mixed(mixed_.toStdString(), model->config().input);
    ImageFolderDataset good(good_.toStdString(), model->config().input);
    const EvalReport withDamage = evaluateConv(model, mixed, config);
    const EvalReport clean = evaluateConv(model, good, config);
    QCOMPARE(withDamage.unreadable.size(), std::size_t(3));
    QCOMPARE(fileNames(withDamage.unreadable), kDamagedNames);
    QVERIFY(clean.unreadable.empty());
    for (const auto& row : withDamage.rows) {
        QCOMPARE(row.count, std::size_t(12)); // the readable items only
        QCOMPARE(row.accuracy, double(row.correct) / 12.0);
        QVERIFY(std::isfinite(row.accuracy));
    }
    // N=1 predicts each item on its own: skipping the damaged ones changes nothing else.
    QCOMPARE(withDamage.rows[0].correct, clean.rows[0].correct);
    QCOMPARE(withDamage.rows[0].perClassAccuracy, clean.rows[0].perClassAccuracy);

    // The first five items: a/0..3 and the damaged a/x-random.png.
    config.limit = 5;
    const EvalReport limited = evaluateConv(model, mixed, config);
    QCOMPARE(limited.unreadable.size(), std::size_t(1));
    QCOMPARE(limited.unreadable.items().front().index, std::size_t(4));
    QCOMPARE(limited.rows[0].count, std::size_t(4));
}

void UnreadableItemsTest::evaluationOfNothingReadableNamesTheFolder()
{
    auto model = loadConvModel(model_.toStdString()).model;
    EvalConfig config;
    config.ns = {1, 4};
    ImageFolderDataset allBad(allBad_.toStdString(), model->config().input);
    try {
        evaluateConv(model, allBad, config);
        QFAIL("a folder of damaged files evaluated");
    } catch (const DataError& error) {
        QCOMPARE(error.source(), allBad_.toStdString());
        QVERIFY2(QString(error.what()).contains("none of its 3 items can be read"), error.what());
        QVERIFY2(QString(error.what()).contains("x-truncated.png"), error.what());
    }
}

// pixels:images:DIR read by a MIMOFormer: the same policy through the pixel-sequence view.
void UnreadableItemsTest::sequenceModelsSkipThemToo()
{
    MimoFormerConfig arch;
    arch.vocabularySize = 256;
    arch.maxLength = 14 * 14; // an image folder is read at 28x28 for pixels:, pooled to 14x14
    arch.imageHeight = arch.imageWidth = 14;
    arch.inputKind = "pixels";
    arch.dim = 16;
    arch.ffDim = 24;
    arch.heads = 2;
    arch.headDim = 8;
    arch.layers = 1;
    arch.numClasses = 3;
    arch.features = 16;
    arch.gridM = arch.gridN = 2;
    torch::manual_seed(6);
    MimoFormer model(arch);
    model->eval();
    const auto folder = std::make_shared<ImageFolderDataset>(mixed_.toStdString(), tinyArchitecture().input);
    const PixelSequenceDataset pixels(folder);
    EvalConfig config;
    config.ns = {1, 4};
    config.batch = 8;
    const EvalReport report = evaluateFormer(model, pixels, config);
    QCOMPARE(fileNames(report.unreadable), kDamagedNames);
    for (const auto& row : report.rows)
        QCOMPARE(row.count, std::size_t(12));

    // `mimo interference` takes the next readable items: two groups of four from the first nine.
    ModelCard card;
    card.classNames = {"a", "b", "c"};
    const QString path = dir_.filePath("former.pt");
    saveFormerModel(path.toStdString(), model, card);
    InterferenceRequest request;
    request.modelPath = path.toStdString();
    request.data = ("pixels:images:" + mixed_).toStdString();
    request.groups = 2;
    request.pairsPerGroup = 16;
    const InterferenceReport interference = measureInterference(request);
    QCOMPARE(interference.groups, std::size_t(2));
    QCOMPARE(interference.unreadable.size(), std::size_t(1));
    QCOMPARE(interference.unreadable.items().front().index, std::size_t(4));
}

void UnreadableItemsTest::commandLineEvalReportsThem()
{
    const Run text = run("mimo", {"eval", "--model", model_, "--data", "images:" + mixed_, "--n", "1,2", "--batch", "4"});
    QVERIFY2(text.exitCode == 0, qPrintable(text.err));
    QVERIFY2(text.out.contains("3 unreadable items skipped:"), qPrintable(text.out));
    for (const QString& file : kDamaged)
        QVERIFY2(text.out.contains(file), qPrintable(text.out));

    const Run json = run("mimo", {"eval", "--model", model_, "--data", "images:" + mixed_, "--n", "1,2", "--batch", "4",
                                  "--json"});
    QVERIFY2(json.exitCode == 0, qPrintable(json.err));
    const QJsonObject out = jsonOf(json.out);
    QCOMPARE(out["unreadable"].toArray().size(), 3);
    QVERIFY(out["unreadable"].toArray()[0].toObject()["file"].toString().endsWith("a/x-random.png"));
    QVERIFY(!out["unreadable"].toArray()[0].toObject()["reason"].toString().isEmpty());
    // The cut PNG is named as such, by us, not by libpng on stderr.
    const QJsonObject cut = out["unreadable"].toArray()[1].toObject();
    QVERIFY(cut["file"].toString().endsWith("b/x-truncated.png"));
    QVERIFY2(cut["reason"].toString().contains("cut short"), qPrintable(cut["reason"].toString()));
    QVERIFY2(!json.err.contains("libpng"), qPrintable(json.err));
    for (const auto& row : out["results"].toArray())
        QCOMPARE(row.toObject()["count"].toInt(), 12);

    const Run clean = run("mimo", {"eval", "--model", model_, "--data", "images:" + good_, "--n", "1"});
    QVERIFY2(clean.exitCode == 0, qPrintable(clean.err));
    QVERIFY2(!clean.out.contains("unreadable item"), qPrintable(clean.out));

    const Run allBad = run("mimo", {"eval", "--model", model_, "--data", "images:" + allBad_, "--n", "1,2"});
    QCOMPARE(allBad.exitCode, 1);
    QVERIFY2(allBad.err.contains(allBad_ + ": none of its 3 items can be read"), qPrintable(allBad.err));
    QVERIFY(!allBad.out.contains("nan"));
}

void UnreadableItemsTest::batchConfigKeepsThem()
{
    const QString config = dir_.filePath("batch.json");
    writeBytes(config, QString("{\"models\": [\"%1\"], \"dataset\": \"images:%2\", \"n\": [1, 4], \"batch\": 8}")
                           .arg(model_, mixed_)
                           .toUtf8());
    const QString out = dir_.filePath("batch-out");
    const Run batch = run("mimo", {"eval", "--config", config, "--out", out});
    QVERIFY2(batch.exitCode == 0, qPrintable(batch.err));
    QVERIFY2(batch.out.contains("3 unreadable items skipped:"), qPrintable(batch.out));
    QFile results(out + "/results.json");
    QVERIFY(results.open(QIODevice::ReadOnly));
    const QJsonObject saved = QJsonDocument::fromJson(results.readAll()).object();
    const QJsonObject model = saved["models"].toArray()[0].toObject();
    QCOMPARE(model["unreadable"].toArray().size(), 3);
    QCOMPARE(model["results"].toArray()[0].toObject()["count"].toInt(), 12);
}

void UnreadableItemsTest::dataInfoCheckListsThem()
{
    // Plain info lists the files without decoding them: fast, and silent about damage.
    const Run plain = run("mimo", {"data", "info", "images:" + mixed_});
    QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
    QVERIFY2(!plain.out.contains("unreadable item") && !plain.out.contains("checked"), qPrintable(plain.out));

    const Run check = run("mimo", {"data", "info", "images:" + mixed_, "--check"});
    QCOMPARE(check.exitCode, 1);
    QVERIFY2(check.out.contains("checked 15 items: 3 unreadable"), qPrintable(check.out));
    for (const QString& file : kDamaged)
        QVERIFY2(check.out.contains(file), qPrintable(check.out));

    const Run json = run("mimo", {"data", "info", "images:" + mixed_, "--check", "--json"});
    QCOMPARE(json.exitCode, 1);
    const QJsonObject out = jsonOf(json.out);
    QCOMPARE(out["checked"].toInt(), 15);
    QCOMPARE(out["unreadable"].toArray().size(), 3);

    const Run clean = run("mimo", {"data", "info", "images:" + good_, "--check"});
    QVERIFY2(clean.exitCode == 0, qPrintable(clean.err));
    QVERIFY2(clean.out.contains("checked 12 items: all readable"), qPrintable(clean.out));

    const Run allBad = run("mimo", {"data", "info", "images:" + allBad_, "--check"});
    QCOMPARE(allBad.exitCode, 1);
    QVERIFY2(allBad.err.contains(allBad_ + ": none of its 3 items can be read"), qPrintable(allBad.err));
}

void UnreadableItemsTest::trainingReplacesThemAndSaysSoOnce()
{
    ConvTrainConfig config;
    config.architecture = tinyArchitecture();
    config.architecture.capacity = 2;
    config.trainData = ("images:" + mixed_).toStdString();
    config.testData = ("images:" + mixed_).toStdString();
    config.epochs = 2;
    config.batch = 2; // 4 images a step: every item is met several times
    config.cropPadding = 1;
    config.checkpointMinutes = 1e6;
    config.curveEvalLimit = 15;
    config.output = dir_.filePath("trained.pt").toStdString();
    std::vector<std::string> messages;
    const TrainResult result = trainConv(config, [&](const TrainProgress& p) {
        if (!p.message.empty())
            messages.push_back(p.message);
    });
    QVERIFY(!result.cancelled);
    QVERIFY(QFile::exists(dir_.filePath("trained.pt")));
    // Each damaged file is announced once as a training item and once as a test item, however
    // many epochs meet it.
    for (const char* name : {"x-random.png", "x-truncated.png", "x-empty.png"}) {
        int training = 0, test = 0;
        for (const auto& message : messages) {
            const auto at = message.find(name);
            if (at == std::string::npos)
                continue;
            const auto trainingAt = message.find("unreadable training item");
            const auto testAt = message.find("unreadable test item");
            // Which announcement the name belongs to: the nearest one before it.
            const bool inTraining = trainingAt != std::string::npos && trainingAt < at &&
                                    (testAt == std::string::npos || testAt > at || testAt < trainingAt);
            (inTraining ? training : test) += 1;
        }
        QVERIFY2(training == 1, name);
        QVERIFY2(test == 1, name);
    }
    QVERIFY2(result.card.notes.find("Unreadable training items") != std::string::npos, result.card.notes.c_str());
    // The final evaluation counts the readable test items only.
    for (const auto& point : result.card.curve)
        for (const auto& [n, accuracy] : point.testAccuracy)
            QVERIFY(std::isfinite(accuracy));
}

void UnreadableItemsTest::trainingOnNothingReadableNamesTheFolder()
{
    ConvTrainConfig config;
    config.architecture = tinyArchitecture();
    config.architecture.capacity = 1;
    config.trainData = ("images:" + allBad_).toStdString();
    config.testData = ("images:" + good_).toStdString();
    config.epochs = 1;
    config.batch = 1;
    config.output = dir_.filePath("never.pt").toStdString();
    try {
        trainConv(config);
        QFAIL("training on a folder of damaged files ran");
    } catch (const DataError& error) {
        QCOMPARE(error.source(), allBad_.toStdString());
        QVERIFY2(QString(error.what()).contains("none of its 3 items can be read"), error.what());
    }
    QVERIFY(!QFile::exists(dir_.filePath("never.pt")));
}

QTEST_GUILESS_MAIN(UnreadableItemsTest)
#include "test_unreadable_items.moc"
