// core/explore without a window: preparing inputs (and refusing bad ones with a message that
// names them), key files, the engine's runs and key choices, and the tour's tensors.
#include "core/data/listops.h"
#include "core/errors.h"
#include "core/explore/example_choice.h"
#include "core/explore/explorer_engine.h"
#include "core/explore/explorer_inputs.h"
#include "core/explore/key_file.h"
#include "core/explore/session_file.h"
#include "core/model/device.h"
#include "core/model/model_file.h"

#include <c10/util/Exception.h>
#include <torch/cuda.h>

#include <QTemporaryDir>
#include <QtTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <map>

using namespace mimo;

namespace {

ModelInfo writeConv(const std::string& path, int capacity = 4)
{
    MimoConvConfig config;
    config.depth = 10;
    config.widthFactor = 1;
    config.stemWidth = 8;
    config.numClasses = 3;
    config.capacity = capacity;
    config.input.channels = 1;
    config.input.height = config.input.width = 8;
    torch::manual_seed(1);
    MimoConv model(config);
    model->eval();
    ModelCard card;
    card.classNames = {"dark", "bright", "striped"};
    saveConvModel(path, model, card);
    return readModelInfo(path);
}

ModelInfo writeFormer(const std::string& path, FormerAttention attention = FormerAttention::Mimo)
{
    MimoFormerConfig config;
    config.maxLength = 24;
    config.dim = 16;
    config.ffDim = 16;
    config.heads = 2;
    config.headDim = 8;
    config.layers = 2;
    config.features = 16;
    config.attention = attention;
    if (attention == FormerAttention::Performer)
        config.gridM = config.gridN = 1;
    config.inputKind = "listops";
    torch::manual_seed(2);
    MimoFormer model(config);
    model->eval();
    ModelCard card;
    for (int i = 0; i < 10; ++i)
        card.classNames.push_back(std::to_string(i));
    saveFormerModel(path, model, card);
    return readModelInfo(path);
}

void writeText(const std::string& path, const std::string& text)
{
    std::ofstream(path, std::ios::binary) << text;
}

void writePgm(const std::string& path, int width, int height, int seed)
{
    std::ofstream out(path, std::ios::binary);
    out << "P5\n" << width << " " << height << "\n255\n";
    for (int i = 0; i < width * height; ++i)
        out.put(char((i * 31 + seed * 17) % 256));
}

// The message of the mimo::Error `call` throws ("" when it does not throw).
template <class Call>
QString errorOf(Call call)
{
    try {
        call();
    } catch (const Error& error) {
        return QString::fromStdString(error.what());
    }
    return {};
}

InputSource fileSource(const std::string& path)
{
    InputSource source;
    source.path = path;
    return source;
}

InputSource textSource(const std::string& text)
{
    InputSource source;
    source.origin = InputSource::Origin::Text;
    source.text = text;
    return source;
}

std::vector<PreparedInput> preparedImages(const ModelInfo& info, const std::string& dir, int count)
{
    std::vector<PreparedInput> inputs;
    for (int i = 0; i < count; ++i) {
        const std::string path = dir + "/image" + std::to_string(i) + ".pgm";
        writePgm(path, 10, 9, i);
        inputs.push_back(prepareInput(fileSource(path), info));
    }
    return inputs;
}

} // namespace

class ExplorerCoreTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void keyFilesRoundTripAndRefuseBadContent();
    void specialFilesAreRefusedByName_data();
    void specialFilesAreRefusedByName();
    void hugeSessionFilesAreRefusedBeforeReading();
    void errorsReachPeopleAsTextTheyCanRead();
    void inputsArePreparedOrRefusedByName();
    void foldersAndClassFolders();
    void generatedListOpsAndSampleSelection();
    void examplesAreOnesTheModelGetsRightAlone();
    void runsMatchTheModelAndNOneMatchesAlone();
    void keyChoicesChangeOnlyTheSuperposition();
    void failedLoadKeepsThePreviousModel();
    void gpuFailuresMoveTheModelToTheCpu();
    void formerKeysAndTour();
    void activationsSplitTheSuperpositionBySlot();
    void interferenceAtNOneIsNone();
    void influenceOfIdenticalCopies();
    void attentionMapsSuperposedAndAlone();
    void refusedKeysLeaveTheKeysInUse();
    void pixelSequencesFromImages();

private:
    QTemporaryDir dir_;
    std::string conv_, former_;
    ModelInfo convInfo_, formerInfo_;
};

void ExplorerCoreTest::initTestCase()
{
    QVERIFY(dir_.isValid());
    conv_ = dir_.filePath("conv.pt").toStdString();
    former_ = dir_.filePath("former.pt").toStdString();
    convInfo_ = writeConv(conv_);
    formerInfo_ = writeFormer(former_);
}

void ExplorerCoreTest::keyFilesRoundTripAndRefuseBadContent()
{
    TensorView keys;
    keys.shape = {3, 4};
    keys.values = {0.5f, -1.25f, 3e-7f, 2.0f, 1, 2, 3, 4, -0.125f, 0, 0, 1e6f};
    const std::string path = dir_.filePath("keys.txt").toStdString();
    writeKeyFile(path, keys, "three keys");
    const KeyChoice read = readKeyFile(path);
    QCOMPARE(read.kind, KeyChoice::Kind::Values);
    QCOMPARE(read.rows, 3);
    QCOMPARE(read.cols, 4);
    QCOMPARE(read.values, keys.values);

    const std::string csv = dir_.filePath("keys.csv").toStdString();
    writeText(csv, "# comment\n1, 2, 3\r\n\n4;5;6\n");
    QCOMPARE(readKeyFile(csv).values, (std::vector<float>{1, 2, 3, 4, 5, 6}));

    const std::string ragged = dir_.filePath("ragged.txt").toStdString();
    writeText(ragged, "1 2 3\n4 5\n");
    QVERIFY(errorOf([&] { readKeyFile(ragged); }).contains("ragged.txt: line 2 has 2 values"));
    const std::string words = dir_.filePath("words.txt").toStdString();
    writeText(words, "1 two 3\n");
    QVERIFY(errorOf([&] { readKeyFile(words); }).contains("'two' is not a finite number"));
    const std::string empty = dir_.filePath("empty.txt").toStdString();
    writeText(empty, "# nothing\n");
    QVERIFY(errorOf([&] { readKeyFile(empty); }).contains("no keys found"));
    QVERIFY(errorOf([&] { readKeyFile(dir_.filePath("missing.txt").toStdString()); }).contains("missing.txt"));
}

void ExplorerCoreTest::specialFilesAreRefusedByName_data()
{
    // A FIFO blocked each of these readers until someone wrote to it; a device never ends.
    QTest::addColumn<QString>("reader");
    QTest::addColumn<QString>("special"); // "fifo" or a device path
    for (const char* reader : {"model", "keys", "session", "listops", "text", "sequence input", "image input"})
        QTest::newRow(qPrintable(QString("%1 from a FIFO").arg(reader))) << QString(reader) << QString("fifo");
    QTest::newRow("model from /dev/zero") << QString("model") << QString("/dev/zero");
    QTest::newRow("keys from /dev/urandom") << QString("keys") << QString("/dev/urandom");
}

void ExplorerCoreTest::specialFilesAreRefusedByName()
{
    QFETCH(QString, reader);
    QFETCH(QString, special);
    std::string path = special.toStdString();
    if (special == "fifo") {
        path = dir_.filePath("pipe-" + QString(reader).replace(' ', '-')).toStdString();
        ::unlink(path.c_str());
        QCOMPARE(::mkfifo(path.c_str(), 0600), 0);
    }
    const std::map<QString, std::function<void()>> readers{
        {"model", [&] { readModelInfo(path); }},
        {"keys", [&] { readKeyFile(path); }},
        {"session", [&] { readSessionFile(path); }},
        {"listops", [&] { openDataset("listops:" + path, DataOptions{}); }},
        {"text", [&] { openDataset("text:" + path, DataOptions{}); }},
        {"sequence input", [&] { prepareInput(fileSource(path), formerInfo_); }},
        {"image input", [&] { prepareInput(fileSource(path), convInfo_); }},
    };
    auto reading = std::async(std::launch::async, [&] { return errorOf(readers.at(reader)); });
    if (reading.wait_for(std::chrono::seconds(20)) == std::future_status::timeout) {
        const int writer = ::open(path.c_str(), O_WRONLY | O_NONBLOCK); // let the blocked reader go
        if (writer >= 0)
            ::close(writer);
        reading.wait();
        QFAIL("the reader waited on the FIFO");
    }
    const QString error = reading.get();
    QVERIFY2(error.startsWith(QString::fromStdString(path)), qPrintable(error));
    QVERIFY2(error.contains("not a regular file"), qPrintable(error));
}

void ExplorerCoreTest::hugeSessionFilesAreRefusedBeforeReading()
{
    // Sparse: 600 MB on paper, nothing on disk. Read whole and parsed, it took gigabytes.
    const std::string path = dir_.filePath("huge.mimo-session").toStdString();
    { std::ofstream(path) << "{\"format\": \"mimo-explorer-session\", \"inputs\": [\""; }
    std::filesystem::resize_file(path, kMaxSessionFileBytes + 1);
    const QString error = errorOf([&] { readSessionFile(path); });
    std::filesystem::remove(path);
    QVERIFY2(error.startsWith(QString::fromStdString(path)) && error.contains(QString::number(kMaxSessionFileBytes)),
             qPrintable(error));
}

void ExplorerCoreTest::errorsReachPeopleAsTextTheyCanRead()
{
    // The compute thread, the batch task and the command line all show userErrorText.
    const std::string ours = userErrorText(DataError("model.pt", "config field 'depth' is \x1b[31m"));
    QVERIFY2(ours.find("model.pt: config field 'depth'") == 0 && ours.find('\x1b') == std::string::npos,
             ours.c_str());
    QCOMPARE(userErrorText(std::bad_alloc()), std::string("not enough memory for this step"));
    std::string fromTorch;
    try {
        at::ones({2}).view({3});
    } catch (const std::exception& error) {
        fromTorch = userErrorText(error);
    }
    QVERIFY(!fromTorch.empty());
    QVERIFY2(fromTorch.find('\n') == std::string::npos && fromTorch.find("Exception raised from") == std::string::npos &&
                 fromTorch.size() <= 203,
             fromTorch.c_str());
    QCOMPARE(userErrorText(std::runtime_error("[enforce fail at alloc_cpu.cpp:75] . DefaultCPUAllocator: can't allocate")),
             std::string("not enough memory"));
    QCOMPARE(userErrorText(std::runtime_error("x INTERNAL ASSERT FAILED at y. Could this error message be improved?")),
             std::string("an internal check of a library failed"));
}

void ExplorerCoreTest::inputsArePreparedOrRefusedByName()
{
    const std::string image = dir_.filePath("photo.pgm").toStdString();
    writePgm(image, 16, 12, 3);
    const PreparedInput prepared = prepareInput(fileSource(image), convInfo_);
    QVERIFY(prepared.isImage);
    QCOMPARE(prepared.image.height, 8);
    QCOMPARE(prepared.image.normalized.size(), size_t(64));
    QCOMPARE(prepared.name, std::string("photo.pgm"));
    QCOMPARE(prepared.label, int64_t(-1));

    const std::string junk = dir_.filePath("junk.bin").toStdString();
    writeText(junk, std::string("\0\1\2junk", 7));
    QVERIFY(errorOf([&] { prepareInput(fileSource(junk), convInfo_); }).contains("junk.bin: not an image"));
    QVERIFY(errorOf([&] { prepareInput(fileSource(junk), formerInfo_); }).contains("binary data"));
    QVERIFY(errorOf([&] { prepareInput(fileSource(image), formerInfo_); }).contains("photo.pgm"));
    QVERIFY(errorOf([&] { prepareInput(fileSource("/no/such/file.png"), convInfo_); }).contains("no such file"));
    QVERIFY(errorOf([&] { prepareInput(textSource("[MAX 2 9 ]"), convInfo_); }).contains("reads images"));
    QVERIFY(errorOf([&] { prepareInput(textSource("[MAX 2 banana ]"), formerInfo_); }).contains("banana"));
    // ListOps is deterministic: a typed expression's true class is its value, a file's too; tokens
    // that make no whole expression still run, with no true class.
    QCOMPARE(prepareInput(textSource("[MAX 2 [MIN 7 4 ] 3 ]"), formerInfo_).label, int64_t(4));
    QCOMPARE(prepareInput(textSource("( ( [SM 5 ) 8 ) ]"), formerInfo_).label, int64_t(3));
    QCOMPARE(prepareInput(textSource("[MAX 2 9"), formerInfo_).label, int64_t(-1));
    const std::string expressionFile = dir_.filePath("expression.txt").toStdString();
    writeText(expressionFile, "[MED 1 5 8 ]\n");
    QCOMPARE(prepareInput(fileSource(expressionFile), formerInfo_).label, int64_t(5));
    std::string tooLong = "[MAX";
    for (int i = 0; i < 30; ++i)
        tooLong += " 1";
    QVERIFY(errorOf([&] { prepareInput(textSource(tooLong + " ]"), formerInfo_); }).contains("at most 24"));

    const PreparedInput sequence = prepareInput(textSource("( [MIN 4 7 ] )"), formerInfo_);
    QCOMPARE(sequence.text, std::string("[MIN 4 7 ]"));
    QCOMPARE(sequence.tokens.size(), size_t(4));

    InputSource pixels;
    pixels.origin = InputSource::Origin::Pixels;
    pixels.width = 4;
    pixels.height = 4;
    pixels.channels = 4;
    pixels.bytes.assign(63, 9);
    QVERIFY(errorOf([&] { prepareInput(pixels, convInfo_); }).contains("63 bytes do not make a 4x4x4 image"));
    pixels.bytes.assign(64, 200);
    QCOMPARE(prepareInput(pixels, convInfo_).image.width, 8);
    pixels.name = "clipboard";
    QVERIFY(errorOf([&] { prepareInput(pixels, formerInfo_); }).startsWith("clipboard:"));
}

void ExplorerCoreTest::foldersAndClassFolders()
{
    const QString root = dir_.filePath("classes");
    QDir().mkpath(root + "/Bright");
    QDir().mkpath(root + "/striped");
    writePgm((root + "/Bright/b.pgm").toStdString(), 8, 8, 1);
    writePgm((root + "/striped/a.pgm").toStdString(), 8, 8, 2);
    writeText((root + "/striped/notes.txt").toStdString(), "not an image");
    // No file at the top: the class subfolders' files, class by class.
    const auto files = inputFilesInFolder(root.toStdString(), convInfo_);
    QCOMPARE(files.size(), size_t(2));
    QVERIFY(QString::fromStdString(files[0]).endsWith("Bright/b.pgm"));
    QCOMPARE(labelFromPath(files[0], convInfo_.card.classNames), int64_t(1));
    QCOMPARE(labelFromPath(files[1], convInfo_.card.classNames), int64_t(2));
    QCOMPARE(prepareInput(fileSource(files[1]), convInfo_).label, int64_t(2));
    QCOMPARE(inputFilesInFolder((root + "/striped").toStdString(), formerInfo_).size(), size_t(1)); // the .txt
    QCOMPARE(classifyPath(root.toStdString()), PathKind::Folder);
    QCOMPARE(classifyPath(conv_), PathKind::Model);
    QCOMPARE(classifyPath(files[0]), PathKind::Candidate);
}

void ExplorerCoreTest::generatedListOpsAndSampleSelection()
{
    DataOptions options;
    options.sequenceLength = 24;
    const auto data = openDataset("listops-generated:40:3", options);
    QCOMPARE(data->size(), size_t(40));
    const auto again = openDataset("listops-generated:40:3", options);
    for (size_t i = 0; i < data->size(); ++i) {
        QCOMPARE(data->sample(i).tokens, again->sample(i).tokens);
        int length = 0;
        for (int32_t t : data->sample(i).tokens)
            length += t != 0;
        QVERIFY(length <= 24);
    }
    QVERIFY(errorOf([&] { openDataset("listops-generated:many", options); }).contains("whole numbers"));

    SampleQuery query;
    query.mode = SampleQuery::Mode::OfClass;
    query.classIndex = data->label(0);
    query.count = 5;
    for (int64_t index : selectSamples(*data, query))
        QCOMPARE(data->label(size_t(index)), query.classIndex);
    query.mode = SampleQuery::Mode::Index;
    query.index = 38;
    query.count = 3;
    QCOMPARE(selectSamples(*data, query), (std::vector<int64_t>{38, 39, 0}));
    query.index = 40;
    QVERIFY(errorOf([&] { selectSamples(*data, query); }).contains("outside 0..39"));
    query.mode = SampleQuery::Mode::OfClass;
    query.classIndex = 11;
    QVERIFY(errorOf([&] { selectSamples(*data, query); }).contains("no item of class 11"));

    InputSource sample;
    sample.origin = InputSource::Origin::DatasetSample;
    sample.dataset = "listops-generated:40:3";
    sample.index = 7;
    const PreparedInput prepared = prepareInput(sample, formerInfo_);
    QCOMPARE(prepared.label, data->label(7));
    QCOMPARE(prepared.text, listops::detokenize(prepared.tokens));
    sample.index = 40;
    QVERIFY(errorOf([&] { prepareInput(sample, formerInfo_); }).contains("item 40 does not exist"));
    QCOMPARE(defaultSampleDataset(formerInfo_, ""), std::string("listops-generated"));
    QCOMPARE(exampleSources(formerInfo_, 4, "").size(), size_t(4));
}

void ExplorerCoreTest::examplesAreOnesTheModelGetsRightAlone()
{
    // The bundled ListOps MIMOFormer is right about a third of the time alone: its first
    // candidates hold both kinds.
    ExplorerEngine engine;
    const ModelInfo info =
        engine.load(std::string(qgetenv("MIMO_SOURCE_DIR")) + "/models/listops-short-mimoformer.pt", "cpu").info;
    std::vector<PreparedInput> candidates;
    for (const auto& source : exampleSources(info, 12, ""))
        candidates.push_back(prepareInput(source, info));
    QCOMPARE(candidates.size(), size_t(12));
    std::vector<bool> right; // by the same run the window makes
    for (const auto& candidate : candidates) {
        RunRequest request;
        request.n = 1;
        request.inputs = {candidate};
        const auto p = engine.run(request).aloneProbabilities.at(0);
        right.push_back(std::max_element(p.begin(), p.end()) - p.begin() == candidate.label);
    }
    const auto rightCount = std::size_t(std::count(right.begin(), right.end(), true));
    QVERIFY2(rightCount > 0 && rightCount < 12, qPrintable(QString::number(rightCount)));
    const auto chosen = preferRightAlone(engine, candidates, 4);
    QCOMPARE(chosen.size(), size_t(4));
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        QCOMPARE(bool(right[chosen[i]]), i < std::min<std::size_t>(rightCount, 4));
        if (i > 0 && right[chosen[i]] == right[chosen[i - 1]])
            QVERIFY(chosen[i] > chosen[i - 1]); // each kind in the candidates' order
    }
    // An input without a label counts as right; no candidates, no examples.
    PreparedInput unlabelled = candidates.front();
    unlabelled.label = -1;
    QCOMPARE(preferRightAlone(engine, {unlabelled}, 1), std::vector<std::size_t>{0});
    QVERIFY(preferRightAlone(engine, {}, 3).empty());
}

void ExplorerCoreTest::runsMatchTheModelAndNOneMatchesAlone()
{
    ExplorerEngine engine;
    const ModelSummary summary = engine.load(conv_, "cpu");
    QVERIFY(summary.keysAdjustable);
    QCOMPARE(summary.keyCount, 4);
    QCOMPARE(summary.keyDimension, 8);
    RunRequest request;
    request.n = 4;
    request.inputs = preparedImages(convInfo_, dir_.path().toStdString(), 4);
    const RunResult result = engine.run(request);
    QCOMPARE(result.predictions.size(), size_t(4));
    QCOMPARE(result.keySimilarity.shape, (std::vector<int64_t>{4, 4}));

    // The same numbers as the model itself computes.
    auto loaded = loadConvModel(conv_);
    std::vector<torch::Tensor> images;
    for (const auto& input : request.inputs)
        images.push_back(torch::tensor(input.image.normalized).view({1, 8, 8}));
    torch::NoGradGuard noGrad;
    const auto batch = torch::stack(images);
    const auto superposed = torch::softmax(loaded.model->forward(batch, 4), 1);
    const auto alone = torch::softmax(loaded.model->forward(batch, 1), 1);
    for (int i = 0; i < 4; ++i)
        for (int c = 0; c < 3; ++c) {
            QVERIFY(qAbs(result.superposedProbabilities[size_t(i)][size_t(c)] - superposed[i][c].item<float>()) < 1e-5f);
            QVERIFY(qAbs(result.aloneProbabilities[size_t(i)][size_t(c)] - alone[i][c].item<float>()) < 1e-5f);
        }
    QCOMPARE(result.predictions[0].superposed.front().probability,
             double(*std::max_element(result.superposedProbabilities[0].begin(), result.superposedProbabilities[0].end())));

    // N = 1: every input alone, so both columns agree and nothing disagrees.
    request.n = 1;
    request.inputs.resize(1);
    const RunResult one = engine.run(request);
    QCOMPARE(one.superposedProbabilities, one.aloneProbabilities);
    QVERIFY(!one.predictions[0].disagree);

    request.n = 3;
    QVERIFY(errorOf([&] { engine.run(request); }).contains("N=3 is not served"));
    request.n = 2;
    QVERIFY(errorOf([&] { engine.run(request); }).contains("1 input(s) given for N=2"));
    request.inputs = {prepareInput(textSource("[MAX 1 2 ]"), formerInfo_), prepareInput(textSource("[MAX 1 2 ]"), formerInfo_)};
    QVERIFY(errorOf([&] { engine.run(request); }).contains("not prepared for this model"));
}

void ExplorerCoreTest::keyChoicesChangeOnlyTheSuperposition()
{
    ExplorerEngine engine;
    engine.load(conv_, "cpu");
    RunRequest request;
    request.n = 4;
    request.inputs = preparedImages(convInfo_, dir_.path().toStdString(), 4);
    const RunResult trained = engine.run(request);
    const TensorView trainedKeys = engine.allKeys({});

    request.keys.kind = KeyChoice::Kind::Family;
    request.keys.family = KeyFamily::Orthogonal;
    request.keys.seed = 9;
    const RunResult drawn = engine.run(request);
    QVERIFY(drawn.superposedProbabilities != trained.superposedProbabilities);
    QCOMPARE(drawn.keys, std::string("orthogonal keys, seed 9"));
    for (int i = 0; i < 4; ++i) // orthogonal keys: similarity is the identity
        for (int j = 0; j < 4; ++j)
            QVERIFY(qAbs(drawn.keySimilarity.values[size_t(i * 4 + j)] - (i == j ? 1.0f : 0.0f)) < 1e-4f);

    // The identity permutation is the trained keys; values from a file equal to them too.
    request.keys = KeyChoice{};
    request.keys.kind = KeyChoice::Kind::Permutation;
    request.keys.permutation = {0, 1, 2, 3};
    QCOMPARE(engine.run(request).superposedProbabilities, trained.superposedProbabilities);
    // At N = 1 an input binds with the sum of all N_cap keys, which no permutation changes;
    // in superposition each slot gets another key.
    request.keys.permutation = {1, 0, 3, 2};
    const RunResult permuted = engine.run(request);
    QVERIFY(permuted.superposedProbabilities != trained.superposedProbabilities);
    for (size_t i = 0; i < 4; ++i)
        for (size_t c = 0; c < 3; ++c)
            QVERIFY(qAbs(permuted.aloneProbabilities[i][c] - trained.aloneProbabilities[i][c]) < 1e-5f);
    request.keys.permutation = {0, 1, 1, 3};
    QVERIFY(errorOf([&] { engine.run(request); }).contains("each of 0..3 exactly once"));
    request.keys = KeyChoice{};
    request.keys.kind = KeyChoice::Kind::Values;
    request.keys.rows = 4;
    request.keys.cols = 8;
    request.keys.values = trainedKeys.values;
    request.keys.sourceName = "same.txt";
    const RunResult fromValues = engine.run(request);
    for (size_t i = 0; i < 4; ++i)
        for (size_t c = 0; c < 3; ++c)
            QVERIFY(qAbs(fromValues.superposedProbabilities[i][c] - trained.superposedProbabilities[i][c]) < 1e-5f);
    request.keys.rows = 2;
    request.keys.cols = 16;
    QVERIFY(errorOf([&] { engine.run(request); }).contains("same.txt: has 2 key(s) of length 16; this model needs 4 of length 8"));

    // Back to the trained keys: the first numbers exactly, and the file never changed.
    request.keys = KeyChoice{};
    QCOMPARE(engine.run(request).superposedProbabilities, trained.superposedProbabilities);
    QCOMPARE(readModelInfo(conv_).conv().capacity, 4);
    ExplorerEngine fresh;
    fresh.load(conv_, "cpu");
    QCOMPARE(fresh.allKeys({}).values, trainedKeys.values);
}

void ExplorerCoreTest::failedLoadKeepsThePreviousModel()
{
    ExplorerEngine engine;
    engine.load(conv_, "cpu");
    const std::string broken = dir_.filePath("broken.pt").toStdString();
    writeText(broken, "not a model");
    QVERIFY(errorOf([&] { engine.load(broken, "cpu"); }).contains("broken.pt"));
    QCOMPARE(engine.summary().path, conv_);
    QVERIFY(!errorOf([&] { engine.load(conv_, "no-such-device"); }).isEmpty());
    QCOMPARE(engine.summary().device, std::string("cpu"));
    RunRequest request;
    request.n = 2;
    request.inputs = preparedImages(convInfo_, dir_.path().toStdString(), 2);
    QCOMPARE(engine.run(request).predictions.size(), size_t(2));
    QCOMPARE(ExplorerEngine::availableDevices().front(), std::string("cpu"));
}

void ExplorerCoreTest::gpuFailuresMoveTheModelToTheCpu()
{
    // One name per device: "cuda" is "cuda:0", and the list names every GPU by its index.
    QCOMPARE(mimo::canonicalDeviceName("cuda"), std::string("cuda:0"));
    QCOMPARE(mimo::canonicalDeviceName("cpu"), std::string("cpu"));
    const auto devices = ExplorerEngine::availableDevices();
    QCOMPARE(devices.size(), mimo::cudaAvailable() ? 1 + size_t(torch::cuda::device_count()) : size_t(1));
    for (std::size_t i = 1; i < devices.size(); ++i)
        QCOMPARE(devices[i], "cuda:" + std::to_string(i - 1));
    // What counts as the GPU's failure, not the input's.
    const c10::SourceLocation here{__func__, __FILE__, __LINE__};
    QVERIFY(mimo::isDeviceFailure(c10::Error(here, "CUDA error: an illegal memory access was encountered")));
    QVERIFY(mimo::isDeviceFailure(c10::OutOfMemoryError(here, "CUDA out of memory. Tried to allocate 2.00 GiB")));
    QVERIFY(mimo::isDeviceFailure(c10::Error(here, "CUBLAS_STATUS_EXECUTION_FAILED when calling cublasSgemm")));
    QVERIFY(!mimo::isDeviceFailure(c10::Error(here, "Expected 4-dimensional input for 4-dimensional weight")));
    QVERIFY(!mimo::isDeviceFailure(mimo::Error("CUDA error: our own messages are about the input")));
    QVERIFY(!mimo::isDeviceFailure(std::bad_alloc()));
    // A model on the CPU has nowhere to fall back to: the error stands and nothing moves.
    ExplorerEngine engine;
    engine.load(conv_, "cpu");
    QVERIFY(engine.fallBackToCpu(c10::Error(here, "CUDA error: device-side assert triggered")).empty());
    QCOMPARE(engine.summary().device, std::string("cpu"));
}

void ExplorerCoreTest::formerKeysAndTour()
{
    ExplorerEngine engine;
    const ModelSummary summary = engine.load(former_, "cpu");
    QCOMPARE(summary.keyCount, 4);
    QCOMPARE(summary.keyDimension, 8);
    RunRequest request;
    request.n = 4;
    request.withTour = true;
    for (const char* expression : {"[MAX 2 9 ]", "[MIN 4 7 ]", "[SM 3 3 ]", "[MED 1 5 8 ]"})
        request.inputs.push_back(prepareInput(textSource(expression), formerInfo_));
    const RunResult trained = engine.run(request);
    QCOMPARE(trained.grid, std::string("2 x 2 grid"));
    QCOMPARE(trained.tour.size(), size_t(6));
    QCOMPARE(trained.tour[0].id, std::string("pipeline"));
    const auto& superpose = trained.tour[2];
    QCOMPARE(superpose.tensors.size(), size_t(2)); // query bundles and key bundles
    QCOMPARE(superpose.tensors[0].shape, (std::vector<int64_t>{2, 24, 8}));

    request.keys.kind = KeyChoice::Kind::Permutation;
    request.keys.permutation = {3, 2, 1, 0};
    const RunResult permuted = engine.run(request);
    QVERIFY(permuted.superposedProbabilities != trained.superposedProbabilities);
    request.keys = KeyChoice{};
    QCOMPARE(engine.run(request).superposedProbabilities, trained.superposedProbabilities);

    // N = 2 runs on a 2 x 1 grid of the same weights; the Performer binds nothing.
    request.n = 2;
    request.inputs.resize(2);
    QCOMPARE(engine.run(request).grid, std::string("2 x 1 grid"));
    const std::string performer = dir_.filePath("performer.pt").toStdString();
    writeFormer(performer, FormerAttention::Performer);
    const ModelSummary baseline = engine.load(performer, "cpu");
    QVERIFY(!baseline.keysAdjustable);
    request.n = 1;
    request.inputs.resize(1);
    QVERIFY(engine.run(request).keySimilarity.empty());
    request.keys.kind = KeyChoice::Kind::Family;
    QVERIFY(errorOf([&] { engine.run(request); }).contains("binds nothing"));
}

void ExplorerCoreTest::activationsSplitTheSuperpositionBySlot()
{
    ExplorerEngine engine;
    engine.load(conv_, "cpu");
    RunRequest request;
    request.n = 4;
    request.inputs = preparedImages(convInfo_, dir_.path().toStdString(), 4);
    const ActivationReport report = engine.activations(request);
    QCOMPARE(report.stem.shape, (std::vector<int64_t>{4, 8, 8, 8}));
    QCOMPARE(report.keys.shape, (std::vector<int64_t>{4, 8}));
    QCOMPARE(report.bound.shape, (std::vector<int64_t>{4, 8, 8, 8}));
    QCOMPARE(report.layers.size(), size_t(4));
    // Binding and summing are linear: what the stages receive is exactly the sum of the slots.
    const auto& input = report.layers[0];
    QCOMPARE(input.layer, std::string("superposed"));
    QVERIFY(input.relativeGap < 1e-5);
    QCOMPARE(input.superposed.values, report.superposition.values);
    QCOMPARE(input.alone.shape, (std::vector<int64_t>{4, 8, 8, 8}));
    // Deeper layers are not linear: the gap opens, and the difference is what the tensor says.
    const auto& last = report.layers[3];
    QCOMPARE(last.layer, std::string("layer3"));
    QVERIFY(last.relativeGap > 1e-3);
    const size_t size = last.superposed.values.size();
    for (size_t i = 0; i < size; i += 7) {
        float sum = 0;
        for (size_t s = 0; s < 4; ++s)
            sum += last.individuallyBound.values[s * size + i];
        QVERIFY(qAbs(last.superposed.values[i] - sum - last.difference.values[i]) < 1e-4f);
    }
    ExplorerEngine sequences;
    sequences.load(former_, "cpu");
    request.inputs = {prepareInput(textSource("[MAX 1 2 ]"), formerInfo_)};
    request.n = 1;
    QVERIFY(errorOf([&] { sequences.activations(request); }).contains("MIMOConv"));
}

void ExplorerCoreTest::interferenceAtNOneIsNone()
{
    ExplorerEngine engine;
    engine.load(conv_, "cpu");
    RunRequest request;
    request.n = 1;
    request.inputs = preparedImages(convInfo_, dir_.path().toStdString(), 1);
    const InterferenceSummary one = engine.interference(request);
    QCOMPARE(one.featureCosine.size(), size_t(1));
    QVERIFY(qAbs(one.featureCosine[0] - 1.0) < 1e-5);
    QVERIFY(one.probabilityChange[0] < 1e-6);
    QCOMPARE(one.influence.shape, (std::vector<int64_t>{1, 1}));
    QVERIFY(one.hasKeyInterference);
    QCOMPARE(one.curveN.size(), size_t(16));
    QCOMPARE(one.measuredN, (std::vector<int>{1, 2, 4}));
    QCOMPARE(one.theoryFamily, std::string("gaussian (reference)"));

    request.n = 4;
    request.inputs = preparedImages(convInfo_, dir_.path().toStdString(), 4);
    const InterferenceSummary four = engine.interference(request);
    QCOMPARE(four.featureCosine.size(), size_t(4));
    QCOMPARE(four.layers, (std::vector<std::string>{"superposed", "layer1", "layer2", "layer3"}));
    QVERIFY(four.layerGap[0] < 1e-5);
    QCOMPARE(four.slotCosine.size(), size_t(4));
    // More inputs, more interference: the theory curve falls with N.
    QVERIFY(four.theoryCosine[0] > four.theoryCosine[3]);
    QVERIFY(four.theoryCosine[3] > four.theoryCosine[15]);

    ExplorerEngine sequences;
    sequences.load(former_, "cpu");
    request.inputs.clear();
    for (const char* expression : {"[MAX 2 9 ]", "[MIN 4 7 ]", "[SM 3 3 ]", "[MED 1 5 8 ]"})
        request.inputs.push_back(prepareInput(textSource(expression), formerInfo_));
    const InterferenceSummary scores = sequences.interference(request);
    QCOMPARE(scores.scoreInterference.size(), size_t(2 * 2)); // layers x heads
    QVERIFY(scores.scoreInterference[0].pairs > 0);
    QCOMPARE(scores.layers.size(), size_t(2));
    QVERIFY(!scores.hasKeyInterference);
}

void ExplorerCoreTest::influenceOfIdenticalCopies()
{
    ExplorerEngine engine;
    engine.load(conv_, "cpu");
    RunRequest request;
    request.n = 4;
    const auto one = preparedImages(convInfo_, dir_.path().toStdString(), 1).front();
    request.inputs.assign(4, one);
    const InterferenceSummary copies = engine.interference(request);
    QCOMPARE(copies.influence.shape, (std::vector<int64_t>{4, 4}));
    for (float value : copies.influence.values)
        QVERIFY(value >= 0.0f && value <= 1.0f);
    // Replacing input j changes the superposition every slot sees: the diagonal entry is what
    // blanking a slot's own input does, and with identical copies each column is that change
    // seen by the others. Each entry equals a direct computation.
    RunRequest blanked = request;
    blanked.inputs[2].image.normalized.assign(blanked.inputs[2].image.normalized.size(), 0.0f);
    const RunResult base = engine.run(request), changed = engine.run(blanked);
    for (size_t i = 0; i < 4; ++i) {
        double tv = 0;
        for (size_t c = 0; c < 3; ++c)
            tv += 0.5 * std::abs(double(changed.superposedProbabilities[i][c]) - double(base.superposedProbabilities[i][c]));
        QVERIFY(qAbs(double(copies.influence.values[i * 4 + 2]) - tv) < 1e-5);
    }
    QVERIFY(QString::fromStdString(copies.neutralInput).contains("mean image"));
}

void ExplorerCoreTest::attentionMapsSuperposedAndAlone()
{
    ExplorerEngine engine;
    engine.load(former_, "cpu");
    RunRequest request;
    request.n = 4;
    for (const char* expression : {"[MAX 2 9 ]", "[MIN 4 7 [MAX 1 2 ] ]", "[SM 3 3 ]", "[MED 1 5 8 ]"})
        request.inputs.push_back(prepareInput(textSource(expression), formerInfo_));
    const AttentionMaps maps = engine.attention(request, 1, 1, 0);
    QCOMPARE(maps.length, 8); // "[MIN 4 7 [MAX 1 2 ] ]" has 8 tokens
    // Real tokens only, on both axes, each with its label.
    QCOMPARE(maps.superposed.shape, (std::vector<int64_t>{8, 8}));
    QCOMPARE(maps.alone.shape, (std::vector<int64_t>{8, 8}));
    QCOMPARE(maps.difference.shape, (std::vector<int64_t>{8, 8}));
    QCOMPARE(maps.tokens, (std::vector<std::string>{"[MIN", "4", "7", "[MAX", "1", "2", "]", "]"}));
    QCOMPARE(maps.imageWidth, 0);
    // Alone, almost all of every query row's attention is on the sequence's own 8 tokens; what
    // the padding keys get is the share the view reports.
    double missing = 0;
    for (int r = 0; r < 8; ++r) {
        float own = 0;
        for (int c = 0; c < 8; ++c)
            own += maps.alone.values[size_t(r * 8 + c)];
        QVERIFY(own > 0.9f && own <= 1.0f + 1e-4f);
        missing += 1.0 - double(own);
    }
    QVERIFY(qAbs(missing / 8 - maps.paddingShareAlone) < 1e-4);
    QVERIFY(maps.paddingShareSuperposed >= 0.0 && maps.paddingShareSuperposed < 0.5);
    for (size_t i = 0; i < maps.difference.values.size(); ++i)
        QVERIFY(qAbs(maps.difference.values[i] - (maps.superposed.values[i] - maps.alone.values[i])) < 1e-6f);
    QVERIFY(maps.meanTotalVariation > 0.0 && maps.meanTotalVariation <= 1.0);
    // N = 1: the superposition is the sequence alone.
    request.n = 1;
    request.inputs.resize(1);
    QVERIFY(engine.attention(request, 0, 0, 1).meanTotalVariation < 1e-6);
    QVERIFY(errorOf([&] { engine.attention(request, 1, 0, 0); }).contains("no sequence 2"));
}

void ExplorerCoreTest::refusedKeysLeaveTheKeysInUse()
{
    for (const std::string& path : {conv_, former_}) {
        ExplorerEngine engine;
        const ModelSummary summary = engine.load(path, "cpu");
        RunRequest request;
        request.n = 4;
        if (summary.info.family() == ModelFamily::Conv)
            request.inputs = preparedImages(convInfo_, dir_.path().toStdString(), 4);
        else
            for (const char* expression : {"[MAX 2 9 ]", "[MIN 4 7 ]", "[SM 3 3 ]", "[MED 1 5 8 ]"})
                request.inputs.push_back(prepareInput(textSource(expression), formerInfo_));
        request.keys.kind = KeyChoice::Kind::Family;
        request.keys.family = KeyFamily::Bipolar;
        request.keys.seed = 3;
        const RunResult drawn = engine.run(request);
        // A permutation that is not one, then keys of the wrong shape: refused...
        RunRequest bad = request;
        bad.keys = KeyChoice{};
        bad.keys.kind = KeyChoice::Kind::Permutation;
        QVERIFY(!errorOf([&] { engine.run(bad); }).isEmpty());
        bad.keys.kind = KeyChoice::Kind::Values;
        bad.keys.rows = 1;
        bad.keys.cols = 1;
        bad.keys.values = {1.0f};
        QVERIFY(!errorOf([&] { engine.keySimilarity(bad.keys, 4); }).isEmpty());
        // ...and the drawn keys are still the ones computing, for the same request and for keys
        // the engine considers already applied.
        QCOMPARE(engine.run(request).superposedProbabilities, drawn.superposedProbabilities);
        QCOMPARE(engine.keySimilarity(request.keys, 4).values, drawn.keySimilarity.values);
    }
}

void ExplorerCoreTest::pixelSequencesFromImages()
{
    MimoFormerConfig config;
    config.vocabularySize = 256;
    config.maxLength = 16;
    config.dim = 16;
    config.ffDim = 16;
    config.heads = 1;
    config.headDim = 8;
    config.layers = 1;
    config.features = 8;
    config.inputKind = "pixels";
    config.imageHeight = config.imageWidth = 4;
    torch::manual_seed(5);
    ModelCard card;
    card.classNames = {"dark", "bright", "striped"};
    config.numClasses = 3;
    const std::string path = dir_.filePath("pixels.pt").toStdString();
    {
        MimoFormer three(config);
        saveFormerModel(path, three, card);
    }
    const ModelInfo info = readModelInfo(path);
    const std::string image = dir_.filePath("stripes.pgm").toStdString();
    writePgm(image, 8, 8, 1);
    const PreparedInput prepared = prepareInput(fileSource(image), info);
    QVERIFY(!prepared.isImage);
    QCOMPARE(prepared.tokens.size(), size_t(16));
    QCOMPARE(prepared.pixels.shape, (std::vector<int64_t>{4, 4}));
    InputSource black;
    black.origin = InputSource::Origin::Pixels;
    black.width = black.height = 4;
    black.channels = 1;
    black.bytes.assign(16, 0);
    black.name = "black square";
    QVERIFY(errorOf([&] { prepareInput(black, info); }).contains("black square: every pixel is black"));

    // Attention over a pixel sequence knows the image: token t is pixel (t / 4, t % 4).
    ExplorerEngine engine;
    engine.load(path, "cpu");
    RunRequest request;
    request.n = 1;
    request.inputs = {prepared};
    const AttentionMaps maps = engine.attention(request, 0, 0, 0);
    QCOMPARE(maps.imageHeight, 4);
    QCOMPARE(maps.imageWidth, 4);
    QCOMPARE(maps.pixels, prepared.pixels.values);
    QCOMPARE(int(maps.tokens.size()), maps.length);
    QCOMPARE(maps.tokens.front(), std::string("0,0"));
    QCOMPARE(maps.tokens[5], std::string("1,1"));
    QCOMPARE(maps.superposed.shape, (std::vector<int64_t>{maps.length, maps.length}));
}

QTEST_MAIN(ExplorerCoreTest)
#include "test_explorer_core.moc"
