// Hostile model files (issue 15): pickles nested a million deep, tensor records pointing past
// their storage, storages of the wrong size or type, flipped bits, damaged zip directories,
// absurd architectures. Every file is written here (hostile_archive.h); each must be refused
// with a DataError naming the file and the problem, in well under a second, and never crash.
#include "core/errors.h"
#include "core/explore/batch_evaluation.h"
#include "core/model/model_catalog.h"
#include "core/model/model_file.h"
#include "core/model/sha256.h"
#include "core/model/torch_save_reader.h"
#include "core/numbers.h"
#include "hostile_archive.h"
#include "tiny_archive.h"
#include "test_support.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>

using namespace mimo;
using namespace mimo::testing;

namespace {

MimoConvConfig tinyConfig() { return tinyHostileConfig(3); }

// The archive of a freshly built tiny MIMOConv, exactly as it must load.
ModelArchive tinyArchive()
{
    torch::manual_seed(3);
    return tinyHostileArchive(3);
}

std::string repeated(const std::string& part, std::size_t times)
{
    std::string out;
    out.reserve(part.size() * times);
    for (std::size_t i = 0; i < times; ++i)
        out += part;
    return out;
}


constexpr std::size_t kMillion = 1000000;

} // namespace

class HostileModelsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }
    void theUnchangedArchiveLoads();
    void versionOneFilesWithoutChecksumLoad();
    void hostileModelFilesAreRefusedByName_data();
    void hostileModelFilesAreRefusedByName();
    void absurdArchitecturesAreRefusedBeforeBuilding_data();
    void absurdArchitecturesAreRefusedBeforeBuilding();
    void oversizedModelFileIsRefusedBeforeReading();
    void batchWithHostileModelsReportsEachByName();
    void batchConfigNumbersAreWholeAndInRange_data();
    void batchConfigNumbersAreWholeAndInRange();
    void catalogSurvivesLoopingLinksAndFolders();
    void controlBytesOfAFileAreNotEchoed();
    void sha256MatchesTheStandard_data();
    void sha256MatchesTheStandard();
    void wholeNumbersAreWholeAndInRange();

private:
    std::string write(const QString& name, const QByteArray& content)
    {
        QFile file(dir_.filePath(name));
        file.open(QIODevice::WriteOnly);
        file.write(content);
        return file.fileName().toStdString();
    }

    QTemporaryDir dir_;
};

void HostileModelsTest::theUnchangedArchiveLoads()
{
    // The writer of the hostile files is right, so each refusal below comes from its one change.
    const ModelArchive archive = tinyArchive();
    const std::string path = write("unchanged.pt", bytes(archive.build()));
    const auto loaded = loadConvModel(path);
    for (const auto& item : loaded.model->named_parameters())
        QVERIFY2(torch::equal(item.value(), archive.tensors.at(item.key())), item.key().c_str());
    QCOMPARE(readModelInfo(path).conv().capacity, 2);

    // And a model saved by the program carries a checksum that its own loader accepts.
    MimoConv model(tinyConfig());
    const std::string saved = dir_.filePath("saved.pt").toStdString();
    saveConvModel(saved, model, ModelCard{});
    QVERIFY(torch::equal(loadConvModel(saved).model->named_parameters()[0].value(),
                         model->named_parameters()[0].value()));
}

void HostileModelsTest::versionOneFilesWithoutChecksumLoad()
{
    ModelArchive archive = tinyArchive();
    archive.formatVersion = 1;
    archive.checksum = std::string(); // written before checksums existed
    const std::string path = write("version1.pt", bytes(archive.build()));
    QCOMPARE(loadConvModel(path).model->config().capacity, 2);
}

void HostileModelsTest::hostileModelFilesAreRefusedByName_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    // 0: only loading refuses it (the weights are wrong); 1: reading the description does too;
    // 2: the archive or pickle is wrong, so the reader behind import-official refuses it as well.
    QTest::addColumn<int>("level");

    const auto pickle = [](const std::string& ops) { return bytes(pickleArchive(PickleWriter().raw(ops).finish())); };
    QTest::newRow("lists nested a million deep") << pickle(std::string(kMillion, ']') + std::string(kMillion - 1, 'a'))
                                                 << "nested more than 100 levels deep" << 2;
    QTest::newRow("tuples nested a million deep")
        << pickle(std::string(kMillion, '(') + std::string(kMillion, 't')) << "nested more than 100" << 2;
    QTest::newRow("one-tuples nested a million deep")
        << pickle("N" + std::string(kMillion, '\x85')) << "nested more than 100" << 2;
    // Two values a level: as deep as the value limit allows.
    QTest::newRow("dicts nested 400000 deep")
        << pickle("}" + repeated("K\x01}", 400000) + std::string(400000, 's')) << "nested more than 100" << 2;
    QTest::newRow("appends nested 500000 deep")
        << pickle("]" + repeated("(]", 500000) + std::string(500000, 'e')) << "nested more than 100" << 2;
    QTest::newRow("a list appended to itself") << pickle(std::string("]q\x00h\x00", 5) + "a")
                                               << "puts a container into itself" << 2;
    QTest::newRow("a million and one values") << pickle(std::string(kMillion + 1, 'N')) << "more than 1000000 values"
                                              << 2;
    QTest::newRow("unknown opcode") << pickle("\xff") << "unsupported pickle opcode 0xff" << 2;
    QTest::newRow("text longer than the pickle") << pickle("X\xff\xff\xff\x7f" "abc") << "truncated" << 2;
    QTest::newRow("memo entry never stored") << pickle("j\xff\xff\xff\xff") << "never stored" << 2;
    const std::string osSystem = PickleWriter()
                                     .raw("(")
                                     .text("storage")
                                     .global("os", "system")
                                     .text("0")
                                     .text("cpu")
                                     .integer(1)
                                     .raw("tQ")
                                     .finish();
    QTest::newRow("storage type os.system") << bytes(pickleArchive(osSystem)) << "unsupported type 'os.system'" << 2;
    QTest::newRow("persistent id not a tuple") << pickle(std::string("X\x01\x00\x00\x00xQ", 7)) << "persistent id"
                                               << 2;

    // Tensor records, one change each to the weight conv1.weight [8, 1, 3, 3].
    const auto changed = [](const std::function<void(TensorRecord&)>& change) {
        ModelArchive archive = tinyArchive();
        archive.mutate["conv1.weight"] = change;
        return bytes(archive.build());
    };
    QTest::newRow("storage offset past its storage") << changed([](TensorRecord& r) { r.offset = 1000000000; })
                                                     << "reads element 1000000071 of a storage of 72" << 2;
    QTest::newRow("stride past its storage") << changed([](TensorRecord& r) { r.strides[0] = 1 << 30; })
                                             << "of a storage of 72 elements" << 2;
    QTest::newRow("negative storage offset") << changed([](TensorRecord& r) { r.offset = -5; })
                                             << "negative offset" << 2;
    QTest::newRow("sizes that overflow") << changed([](TensorRecord& r) { r.sizes = {1ll << 40, 1ll << 40, 1, 1}; })
                                         << "more elements than can be counted" << 2;
    QTest::newRow("overlapping strides") << changed([](TensorRecord& r) {
        r.sizes = {80, 1, 3, 3};
        r.strides = {0, 0, 0, 0};
    }) << "overlapping strides" << 2;
    QTest::newRow("four-byte storage record") << changed([](TensorRecord& r) { r.bytes.resize(4); })
                                              << "holds 4 bytes but its tensor record declares 72" << 2;
    QTest::newRow("storage of one element") << changed([](TensorRecord& r) {
        r.numel = 1;
        r.bytes.resize(4);
    }) << "of a storage of 1 elements" << 2;
    QTest::newRow("negative element count") << changed([](TensorRecord& r) { r.numel = -1; })
                                            << "negative element count" << 2;
    QTest::newRow("storage of an unknown type") << changed([](TensorRecord& r) { r.storageType = "QInt8Storage"; })
                                                << "unsupported type 'torch.QInt8Storage'" << 2;
    QTest::newRow("missing storage record") << changed([](TensorRecord& r) { r.key = "missing"; })
                                            << "lacks the record 'data/missing'" << 2;
    QTest::newRow("flipped bit, zip CRC rewritten") << changed([](TensorRecord& r) { r.bytes[13] ^= 0x20; })
                                                    << "do not match their checksum" << 0;

    ModelArchive longWeights = tinyArchive();
    longWeights.tensors["conv1.weight"] = longWeights.tensors["conv1.weight"].to(at::kLong);
    QTest::newRow("integer storage for a float weight") << bytes(longWeights.build())
                                                        << "holds Long values but the architecture needs Float" << 0;
    ModelArchive nan = tinyArchive();
    nan.tensors["fc.weight"][0][0] = std::nan("");
    QTest::newRow("NaN weights") << bytes(nan.build()) << "NaN or infinite" << 0;
    ModelArchive unchecked = tinyArchive();
    unchecked.checksum = std::string();
    QTest::newRow("version 2 without checksum") << bytes(unchecked.build()) << "no weights checksum" << 0;
    ModelArchive negativeSeed = tinyArchive();
    negativeSeed.card = R"({"name": "x", "seed": -1})";
    QTest::newRow("card seed -1") << bytes(negativeSeed.build()) << "field 'seed' must be a whole number of 0 or more"
                                  << 1;
    ModelArchive hugeN = tinyArchive();
    hugeN.card = R"({"name": "x", "test_accuracy": {"99999999999": 0.5}})";
    QTest::newRow("card accuracy for N = 99999999999") << bytes(hugeN.build()) << "N = '99999999999'" << 1;
    ModelArchive newer = tinyArchive();
    newer.formatVersion = 99;
    QTest::newRow("newer format") << bytes(newer.build()) << "model format version 99" << 1;

    // Flipped bits in the file itself: the record's CRC-32 no longer matches.
    std::string flipped = tinyArchive().build();
    const auto record = flipped.find("archive/data/0");
    flipped[record + std::strlen("archive/data/0") + 7] ^= 0x01;
    QTest::newRow("flipped bit in the file") << bytes(flipped) << "CRC-32" << 0;

    // The zip directory.
    const std::string good = tinyArchive().build();
    std::string offsetPast = good;
    putLittleAt(offsetPast, offsetPast.size() - 6, 0x7fffffff, 4);
    QTest::newRow("directory offset past the end") << bytes(offsetPast) << "does not fit in the file" << 2;
    std::string manyEntries = good;
    putLittleAt(manyEntries, manyEntries.size() - 12, 60000, 2);
    QTest::newRow("directory lists 60000 records") << bytes(manyEntries) << "does not fit in the file" << 2;
    // Fields of the central directory: the second entry starts after 46 bytes and its name of 16.
    const auto patched = [](const std::function<void(std::string&)>& patch) {
        return bytes(zipArchive({{"data.pkl", "\x80\x02N."}, {"data/0", "abcd"}}, patch));
    };
    QTest::newRow("compressed record") << patched([](std::string& d) { putLittleAt(d, 10, 8, 2); }) << "is compressed"
                                       << 2;
    QTest::newRow("overlapping records") << patched([](std::string& d) { putLittleAt(d, 46 + 16 + 42, 0, 4); })
                                         << "overlaps another record" << 2;
    QTest::newRow("record past the end") << patched([](std::string& d) {
        putLittleAt(d, 46 + 16 + 20, 0x7fffff, 4);
        putLittleAt(d, 46 + 16 + 24, 0x7fffff, 4);
    }) << "runs past the end" << 2;
    QTest::newRow("not a zip") << QByteArray("this is not a model") << "not a readable" << 2;
    QTest::newRow("half a model") << bytes(good.substr(0, good.size() / 2)) << "truncated" << 2;
}

void HostileModelsTest::hostileModelFilesAreRefusedByName()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    QFETCH(int, level);
    const std::string path = write("hostile.pt", content);
    QElapsedTimer timer;
    timer.start();
    const QString loading = errorOf([&] { loadModel(path); });
    QVERIFY2(loading.startsWith(QString::fromStdString(path)) && loading.contains(expected), qPrintable(loading));
    if (level >= 1) {
        const QString info = errorOf([&] { readModelInfo(path); });
        QVERIFY2(info.contains(expected), qPrintable(info));
    } else {
        QCOMPARE(readModelInfo(path).numClasses(), 3);
    }
    if (level >= 2) { // the reader behind import-official shares the archive and pickle checks
        const QString imported = errorOf([&] { readTorchSaveTensors(path); });
        QVERIFY2(imported.startsWith(QString::fromStdString(path)) && imported.contains(expected), qPrintable(imported));
    }
    QVERIFY2(timer.elapsed() < mimo::testing::hangLimitMs(10000), qPrintable(QString::number(timer.elapsed())));
}

void HostileModelsTest::absurdArchitecturesAreRefusedBeforeBuilding_data()
{
    QTest::addColumn<bool>("former");
    QTest::addColumn<QString>("patch"); // JSON fields that replace the config's
    QTest::addColumn<QString>("expected");
    QTest::newRow("a million layers") << false << R"({"depth": 6000004})" << "field 'depth' must be from 10 to 100";
    QTest::newRow("capacity 1e20") << false << R"({"capacity": 1e20})"
                                   << "field 'capacity' must be a whole number of at most 2147483647, got 1e+20";
    QTest::newRow("fractional width") << false << R"({"width_factor": 1.5})" << "field 'width_factor' must be a whole";
    QTest::newRow("huge stem") << false << R"({"stem_width": 1e9})" << "field 'stem_width' must be from 1 to 1024";
    QTest::newRow("negative classes") << false << R"({"num_classes": -1})" << "field 'num_classes' must be from 2";
    QTest::newRow("text for a size") << false << R"({"depth": "ten"})" << "field 'depth' must be a whole number";
    QTest::newRow("three means for one channel")
        << false << R"({"input": {"channels": 1, "height": 8, "width": 8, "mean": [0.1, 0.2, 0.3], "std": [0.5],
                        "aspect": "letterbox", "invert": "never"}})"
        << "has 3 values, expected 1";
    QTest::newRow("too many parameters") << false << R"({"depth": 100, "width_factor": 20})"
                                         << "parameters, more than the 200000000";
    QTest::newRow("a million former layers") << true << R"({"layers": 1000000})" << "field 'layers' must be from 1 to 48";
    QTest::newRow("a billion random features") << true << R"({"features": 1000000000})"
                                               << "field 'features' must be from 1 to 8192";
    QTest::newRow("negative buffer seed") << true << R"({"buffer_seed": -1})" << "field 'buffer_seed' must be a whole";
    QTest::newRow("huge length") << true << R"({"max_length": 2147483647})" << "field 'max_length' must be from 1";
    QTest::newRow("too many former parameters") << true << R"({"layers": 48, "ff_dim": 16384})"
                                                << "parameters, more than the 200000000";
}

void HostileModelsTest::absurdArchitecturesAreRefusedBeforeBuilding()
{
    QFETCH(bool, former);
    QFETCH(QString, patch);
    QFETCH(QString, expected);
    auto config = nlohmann::json::parse(former ? toJson(formerPreset("lra-text-mimo")) : toJson(tinyConfig()));
    config.update(nlohmann::json::parse(patch.toStdString()));
    ModelArchive archive = tinyArchive();
    archive.config = config.dump();
    const std::string path = write("absurd.pt", bytes(archive.build()));
    QElapsedTimer timer;
    timer.start();
    const QString error = errorOf([&] { loadModel(path); });
    QVERIFY2(error.startsWith(QString::fromStdString(path)) && error.contains(expected), qPrintable(error));
    QVERIFY2(!error.contains("-2147483648") && !error.contains("1 or 1"), qPrintable(error));
    QVERIFY2(timer.elapsed() < mimo::testing::hangLimitMs(10000), qPrintable(QString::number(timer.elapsed())));
}

void HostileModelsTest::oversizedModelFileIsRefusedBeforeReading()
{
    // A sparse file: a gigabyte and a byte on paper, nothing on disk.
    const std::string path = dir_.filePath("huge.pt").toStdString();
    write("huge.pt", "PK");
    std::filesystem::resize_file(path, kMaxModelFileBytes + 1);
    const QString error = errorOf([&] { loadModel(path); });
    QVERIFY2(error.contains("more than the 1073741824 this program reads"), qPrintable(error));
    std::filesystem::remove(path);
}

void HostileModelsTest::batchWithHostileModelsReportsEachByName()
{
    writeTinyIdx(dir_.path().toStdString(), "t10k", 12, 8);
    MimoConvConfig tenClasses = tinyConfig(); // as MNIST has
    tenClasses.numClasses = 10;
    MimoConv model(tenClasses);
    const std::string good = dir_.filePath("good.pt").toStdString();
    saveConvModel(good, model, ModelCard{});
    const std::string garbage = write("garbage.pt", "garbage");
    ModelArchive hostile = tinyArchive();
    hostile.mutate["conv1.weight"] = [](TensorRecord& r) { r.offset = 1 << 30; };
    const std::string outOfBounds = write("out-of-bounds.pt", bytes(hostile.build()));
    BatchConfig config;
    config.models = {garbage, good, outOfBounds};
    config.dataset = "mnist:" + dir_.path().toStdString() + ":test";
    config.limit = 8;
    const BatchResult result = runBatch(config);
    QCOMPARE(int(result.models.size()), 3);
    QVERIFY2(QString::fromStdString(result.models[0].error).contains("garbage.pt"), result.models[0].error.c_str());
    QVERIFY2(result.models[1].error.empty(), result.models[1].error.c_str());
    QVERIFY(!result.models[1].report.rows.empty());
    QVERIFY2(QString::fromStdString(result.models[2].error).contains("out-of-bounds.pt"), result.models[2].error.c_str());
    QVERIFY(result.models[2].report.rows.empty());
}

void HostileModelsTest::batchConfigNumbersAreWholeAndInRange_data()
{
    QTest::addColumn<QString>("settings"); // added to {"models": ["m.pt"]}
    QTest::addColumn<QString>("expected");
    QTest::newRow("fractional N in a list") << R"("n": [1.5])" << "n: has the wrong type or is out of range ([1.5]): expected a list of whole numbers";
    QTest::newRow("fractional N alone") << R"("n": 2.5)" << "n: has the wrong type or is out of range (2.5)";
    QTest::newRow("negative limit") << R"("limit": -1)" << "limit: must be 0 (everything) or more";
    QTest::newRow("negative seed") << R"("keys": {"kind": "family", "family": "gaussian", "seed": -1})"
                                   << "keys.seed: has the wrong type or is out of range (-1)";
    QTest::newRow("batch of 1e20") << R"("batch": 1e20)" << "batch: has the wrong type or is out of range (1e+20)";
    // Found by fuzz_batch_config: beyond a double, the JSON parser's own exception escaped.
    QTest::newRow("number beyond a double") << R"("limit": 4444444444444444444E4444444444)" << "number overflow";
}

void HostileModelsTest::batchConfigNumbersAreWholeAndInRange()
{
    QFETCH(QString, settings);
    QFETCH(QString, expected);
    const std::string text = ("{\"models\": [\"m.pt\"], " + settings + "}").toStdString();
    const QString error = errorOf([&] { batchConfigFromJson(text, "batch.json", ""); });
    QVERIFY2(error.startsWith("batch.json: ") && error.contains(expected), qPrintable(error));
    QVERIFY(errorOf([&] { batchConfigFromJson(R"({"models": ["m.pt"], "n": [2.0], "limit": 0})", "ok.json", ""); })
                .isEmpty());
}

void HostileModelsTest::catalogSurvivesLoopingLinksAndFolders()
{
    QTemporaryDir models;
    MimoConv model(tinyConfig());
    saveConvModel(models.filePath("a-good.pt").toStdString(), model, ModelCard{});
    namespace fs = std::filesystem;
    fs::create_symlink("b-loop.pt", models.filePath("b-loop.pt").toStdString()); // points at itself
    fs::create_symlink("nowhere.pt", models.filePath("c-dangling.pt").toStdString());
    fs::create_directory(models.filePath("d-folder.pt").toStdString());
    std::vector<std::string> problems;
    const auto listed = listModels({models.path().toStdString()}, &problems);
    QCOMPARE(int(listed.size()), 1);
    QCOMPARE(int(problems.size()), 2);
    QVERIFY2(QString::fromStdString(problems[0]).contains("b-loop.pt") && QString::fromStdString(problems[0]).contains("loop"),
             problems[0].c_str());
    QVERIFY2(QString::fromStdString(problems[1]).contains("c-dangling.pt"), problems[1].c_str());
    const QString folder = errorOf([&] { loadModel(models.filePath("d-folder.pt").toStdString()); });
    QVERIFY2(folder.contains("is a directory") && !folder.contains("underflow"), qPrintable(folder));
}

void HostileModelsTest::controlBytesOfAFileAreNotEchoed()
{
    // A format tag holding terminal escapes (clear screen, colour, bell) and a C1 control (CSI).
    ModelArchive archive = tinyArchive();
    archive.format = "\x1b[2J\x1b[31m\x07\xc2\x9b\xff";
    const std::string path = write("escapes.pt", bytes(archive.build()));
    const QString error = errorOf([&] { loadModel(path); });
    QVERIFY2(!error.isEmpty(), "no error");
    for (const QChar c : error)
        QVERIFY2(c.unicode() >= 0x20 && (c.unicode() < 0x7f || c.unicode() > 0x9f), qPrintable(error));
    QVERIFY2(error.contains("\\x1B[2J"), qPrintable(error));
}

void HostileModelsTest::sha256MatchesTheStandard_data()
{
    // FIPS 180-4 examples; the million 'a's crosses many blocks and the 56-byte padding edge.
    QTest::addColumn<QByteArray>("message");
    QTest::addColumn<QString>("digest");
    QTest::newRow("empty") << QByteArray() << "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    QTest::newRow("abc") << QByteArray("abc") << "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    QTest::newRow("two blocks") << QByteArray("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                                << "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
    QTest::newRow("a million a") << QByteArray(1000000, 'a')
                                 << "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
}

void HostileModelsTest::sha256MatchesTheStandard()
{
    QFETCH(QByteArray, message);
    QFETCH(QString, digest);
    Sha256 hash;
    // In uneven pieces, so that buffering across blocks is exercised.
    for (qsizetype at = 0, piece = 1; at < message.size(); at += piece, piece = piece * 3 % 97 + 1)
        hash.add(message.constData() + at, std::size_t(std::min(piece, message.size() - at)));
    QCOMPARE(QString::fromStdString(hash.hex()), digest);
}

void HostileModelsTest::wholeNumbersAreWholeAndInRange()
{
    using nlohmann::json;
    QCOMPARE(wholeNumber<int>(json::parse("2.0")), std::optional<int>(2));
    QCOMPARE(wholeNumber<int>(json::parse("1.5")), std::nullopt);
    QCOMPARE(wholeNumber<int>(json::parse("1e20")), std::nullopt);
    QCOMPARE(wholeNumber<int>(json::parse("-2147483648")), std::optional<int>(INT32_MIN));
    QCOMPARE(wholeNumber<int>(json::parse("2147483648")), std::nullopt);
    QCOMPARE(wholeNumber<uint64_t>(json::parse("-1")), std::nullopt);
    QCOMPARE(wholeNumber<uint64_t>(json::parse("18446744073709551615")), std::optional<uint64_t>(UINT64_MAX));
    QCOMPARE(wholeNumber<int>(json::parse("true")), std::nullopt);
    QCOMPARE(wholeNumber<int>(json::parse("\"3\"")), std::nullopt);
    QCOMPARE(parseWholeNumber<uint64_t>("-1"), std::nullopt);
    QCOMPARE(parseWholeNumber<uint64_t>("18446744073709551615"), std::optional<uint64_t>(UINT64_MAX));
    QCOMPARE(parseWholeNumber<uint64_t>("18446744073709551616"), std::nullopt);
    QCOMPARE(parseWholeNumber<int64_t>("-9223372036854775808"), std::optional<int64_t>(INT64_MIN));
    QCOMPARE(parseWholeNumber<int64_t>("9223372036854775808"), std::nullopt);
    QCOMPARE(parseWholeNumber<int>("-0"), std::optional<int>(0));
    for (const char* text : {"", "-", "1.5", " 3", "3 ", "+3", "0x10", "1e3", "12abc"})
        QVERIFY2(!parseWholeNumber<int>(text), text);
}

QTEST_GUILESS_MAIN(HostileModelsTest)
#include "test_hostile_models.moc"
