// MIMOFormer beyond the model: model files, sequence inputs, evaluation, training with
// checkpoint/resume, attention maps, the interference decomposition against its bound, and the
// attention-core benchmark. Tiny configurations and generated data only.
#include "core/data/listops.h"
#include "core/data/pixel_sequence.h"
#include "core/errors.h"
#include "core/eval/benchmark.h"
#include "core/eval/evaluation.h"
#include "core/eval/former_evaluation.h"
#include "core/eval/former_interference.h"
#include "core/eval/prediction.h"
#include "core/model/mimo_former.h"
#include "core/model/model_catalog.h"
#include "core/model/model_file.h"
#include "core/model/official_import.h"
#include "core/model/sequence_input.h"
#include "core/model/torch_save_reader.h"
#include "core/train/former_trainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

using namespace mimo;

namespace {

MimoFormerConfig tinyListOps(FormerAttention attention = FormerAttention::Mimo)
{
    MimoFormerConfig c;
    c.vocabularySize = listops::kVocabularySize;
    c.maxLength = 40;
    c.dim = 16;
    c.ffDim = 24;
    c.heads = 2;
    c.headDim = 8;
    c.layers = 2;
    c.numClasses = 10;
    c.features = 16;
    c.attention = attention;
    c.gridM = c.gridN = attention == FormerAttention::Performer ? 1 : 2;
    c.dropout = 0.1;
    c.inputKind = "listops";
    return c;
}

std::string writeListOps(const QTemporaryDir& dir, const char* name, std::size_t count, uint64_t seed)
{
    listops::GeneratorConfig generator;
    generator.minLength = 5;
    generator.maxLength = 60;
    generator.maxDepth = 4;
    generator.maxArgs = 4;
    generator.seed = seed;
    const std::string path = dir.filePath(name).toStdString();
    listops::writeTsv(path, listops::generate(generator, count));
    return path;
}

double maxDiff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

std::vector<float> gaussian(std::size_t count, std::mt19937_64& rng)
{
    std::normal_distribution<float> normal;
    std::vector<float> v(count);
    for (auto& x : v)
        x = normal(rng);
    return v;
}

std::vector<float> bipolar(std::size_t count, std::mt19937_64& rng)
{
    std::vector<float> v(count);
    for (auto& x : v)
        x = (rng() & 1) ? 1.f : -1.f;
    return v;
}

// Random queries and keys with independent random keys: the setting of the bound.
InterferenceStats randomInterference(int m, int n, int headDim, uint64_t seed, std::size_t pairs = 512)
{
    std::mt19937_64 rng(seed);
    const int groups = 2, length = 16;
    const std::size_t size = std::size_t(groups) * std::size_t(m) * std::size_t(n) * std::size_t(length) * std::size_t(headDim);
    const auto q = gaussian(size, rng), k = gaussian(size, rng);
    const auto keys = bipolar(std::size_t(m) * std::size_t(n) * std::size_t(headDim), rng);
    const std::vector<float> mask(std::size_t(groups) * std::size_t(m) * std::size_t(n) * std::size_t(length), 1.f);
    return decomposeScores(q, k, keys, mask, groups, m, n, length, headDim, pairs, seed);
}

} // namespace

class FormerPipelineTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void operatingPointsAndGrids();
    void presetsAreValid();
    void modelFileRoundTripAndFamilyChecks();
    void sequenceInputsFromTextAndFiles();
    void pixelSequencesCanBeDownsampled();
    void evaluationPerNWithPaddedLastGroup();
    void evaluationRejectsDataTheModelCannotRead();
    void predictionsInSuperpositionAndAlone();
    void trainingResumesExactlyAndWritesACard();
    void trainingRejectsBadConfigurations();
    void attentionWeightsAreRowsOfTheKernel();
    void interferenceTailsStayUnderTheBound();
    void interferenceGrowsWithMNAndShrinksWithHeadDim();
    void interferenceOfARealModel();
    void attentionCoreBenchmarkReportsEveryGrid();
    void officialCheckpointsMatchPyTorch();
    void stageBreakdownCoversTheForwardPass();
    void byteLevelTextModelTrainsAndPredicts();

private:
    QTemporaryDir dir_;
    std::string train_, test_;
};

void FormerPipelineTest::initTestCase()
{
    torch::set_num_threads(1);
    QVERIFY(dir_.isValid());
    train_ = writeListOps(dir_, "train.tsv", 96, 1);
    test_ = writeListOps(dir_, "test.tsv", 22, 2);
}

void FormerPipelineTest::operatingPointsAndGrids()
{
    auto c = tinyListOps();
    QCOMPARE(c.supportedN(), (std::vector<int>{1, 2, 4}));
    QCOMPARE(c.gridFor(4), std::make_pair(2, 2));
    QCOMPARE(c.gridFor(2), std::make_pair(2, 1));
    QCOMPARE(c.gridFor(1), std::make_pair(1, 1));
    QVERIFY_THROWS_EXCEPTION(Error, c.gridFor(3));
    QVERIFY_THROWS_EXCEPTION(Error, c.gridFor(0));
    QVERIFY_THROWS_EXCEPTION(Error, c.gridFor(-4));
    c.gridM = 4;
    c.gridN = 2;
    QCOMPARE(c.supportedN(), (std::vector<int>{1, 2, 3, 4, 6, 8}));
    QCOMPARE(c.gridFor(8), std::make_pair(4, 2));
    QCOMPARE(c.gridFor(4), std::make_pair(2, 2));
    QCOMPARE(tinyListOps(FormerAttention::Performer).supportedN(), std::vector<int>{1});
    auto pixels = tinyListOps();
    pixels.inputKind = "pixels";
    pixels.imageHeight = pixels.imageWidth = 6; // 36 tokens, but the model reads 40
    QVERIFY_THROWS_EXCEPTION(Error, pixels.validate());
    pixels.maxLength = 36;
    pixels.validate();
}

void FormerPipelineTest::presetsAreValid()
{
    for (const auto& name : formerPresetNames()) {
        const auto c = formerPreset(name);
        QVERIFY(!c.describe().empty());
        QCOMPARE(formerConfigFromJson(toJson(c)).describe(), c.describe());
    }
    QCOMPARE(formerPreset("fmnist-seq-mimo").maxLength, 196);
    QCOMPARE(formerPreset("lra-listops-mimo").gridM, 4); // the official mimoformer setting
    QCOMPARE(formerPreset("listops-short-mimo").gridM, 2);
    QVERIFY_THROWS_EXCEPTION(Error, formerPreset("listops-short"));
}

void FormerPipelineTest::modelFileRoundTripAndFamilyChecks()
{
    torch::manual_seed(3);
    MimoFormer model(tinyListOps(FormerAttention::MimoMlp));
    model->eval();
    ModelCard card;
    card.name = "tiny";
    card.classNames = listops::ListOpsDataset(listops::readTsv(test_), 40).classNames();
    const std::string path = dir_.filePath("tiny-former.pt").toStdString();
    saveFormerModel(path, model, card);

    const auto info = readModelInfo(path);
    QVERIFY(info.family() == ModelFamily::Former);
    QCOMPARE(info.supportedN(), (std::vector<int>{1, 2, 4}));
    QVERIFY(QString::fromStdString(info.inputDescription()).contains("ListOps"));
    auto loaded = loadFormerModel(path);
    const auto tokens = torch::randint(1, 16, {4, 40}, torch::kLong);
    torch::NoGradGuard noGrad;
    QCOMPARE(maxDiff(model->forward(tokens), loaded.model->forward(tokens)), 0.0);
    // Keys and random features come from the file, not from a fresh draw.
    QVERIFY(torch::equal(model->named_buffers()["model.transformer_1.mha.attn.bindings"],
                         loaded.model->named_buffers()["model.transformer_1.mha.attn.bindings"]));

    try {
        loadConvModel(path);
        QFAIL("a MIMOFormer file loaded as MIMOConv");
    } catch (const DataError& error) {
        QVERIFY2(QString(error.what()).contains("not a MIMOConv"), error.what());
        QVERIFY(QString(error.what()).contains("tiny-former.pt"));
    }
    QCOMPARE(readModelListing(path).describe(), info.describe());

    // Wrong shape: the same file read against a wider architecture names the tensor.
    auto wider = tinyListOps(FormerAttention::MimoMlp);
    wider.dim = 24;
    MimoFormer other(wider);
    std::map<std::string, at::Tensor> tensors;
    for (const auto& item : model->named_parameters())
        tensors[item.key()] = item.value();
    for (const auto& item : model->named_buffers())
        tensors[item.key()] = item.value();
    try {
        assignTensors(*other, tensors, path, wider.describe());
        QFAIL("shape mismatch accepted");
    } catch (const DataError& error) {
        QVERIFY2(QString(error.what()).contains("shape mismatch"), error.what());
    }
}

void FormerPipelineTest::sequenceInputsFromTextAndFiles()
{
    const auto listopsModel = tinyListOps();
    const auto ids = sequenceFromText(listopsModel, "[MAX 2 9 ]", "typed");
    QCOMPARE(ids, (std::vector<int32_t>{listops::kMaxId, 3, 10, listops::kCloseId}));
    QCOMPARE(sequenceToText(listopsModel, ids), std::string("[MAX 2 9 ]"));
    try {
        sequenceFromText(listopsModel, "[MAX 2 banana ]", "typed");
        QFAIL("unknown token accepted");
    } catch (const DataError& error) {
        QVERIFY2(QString(error.what()).contains("typed"), error.what());
    }
    QVERIFY_THROWS_EXCEPTION(DataError, sequenceFromText(listopsModel, "", "typed"));
    std::string longExpression = "[SM";
    for (int i = 0; i < 60; ++i)
        longExpression += " 1";
    try {
        sequenceFromText(listopsModel, longExpression + " ]", "typed");
        QFAIL("too long accepted");
    } catch (const DataError& error) {
        QVERIFY2(QString(error.what()).contains("at most 40"), error.what());
    }

    auto textModel = tinyListOps();
    textModel.inputKind = "text";
    textModel.vocabularySize = 257;
    QCOMPARE(sequenceFromText(textModel, "Hi", "t"), (std::vector<int32_t>{'H' + 1, 'i' + 1}));
    QCOMPARE(sequenceToText(textModel, {'H' + 1, 'i' + 1, 0}), std::string("Hi"));

    auto idModel = tinyListOps();
    idModel.inputKind = "tokens";
    QCOMPARE(sequenceFromText(idModel, "1 2 3", "t"), (std::vector<int32_t>{1, 2, 3}));
    QVERIFY_THROWS_EXCEPTION(DataError, sequenceFromText(idModel, "1 99", "t"));
    QVERIFY_THROWS_EXCEPTION(DataError, sequenceFromText(idModel, "1 x", "t"));

    QFile file(dir_.filePath("expr.txt"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("[MIN 4 7 ]\n");
    file.close();
    QCOMPARE(sequenceFromFile(listopsModel, file.fileName().toStdString()).size(), size_t(4));
    auto pixelModel = tinyListOps();
    pixelModel.inputKind = "pixels";
    pixelModel.imageHeight = pixelModel.imageWidth = 4;
    pixelModel.vocabularySize = 256;
    QVERIFY_THROWS_EXCEPTION(DataError, sequenceFromText(pixelModel, "1 2", "t"));
    QVERIFY_THROWS_EXCEPTION(DataError, sequenceFromFile(pixelModel, file.fileName().toStdString())); // not an image
}

void FormerPipelineTest::pixelSequencesCanBeDownsampled()
{
    const std::vector<int32_t> image{0, 2, 4, 6, 10, 12, 14, 16, 1, 1, 1, 1, 3, 3, 3, 4};
    QCOMPARE(poolTokens(image, 4, 4, 2, 2), (std::vector<int32_t>{6, 10, 2, 2})); // (0+2+10+12)/4, ... rounded
    QVERIFY_THROWS_EXCEPTION(DataError, poolTokens(image, 4, 4, 3, 3));
}

void FormerPipelineTest::evaluationPerNWithPaddedLastGroup()
{
    torch::manual_seed(5);
    MimoFormer model(tinyListOps());
    const listops::ListOpsDataset data(listops::readTsv(test_), 40);
    EvalConfig config;
    config.ns = {1, 2, 4};
    config.batch = 8;
    std::size_t lastDone = 0;
    const auto report = evaluateFormer(model, data, config, [&](const EvalReport&, std::size_t done, std::size_t) {
        lastDone = done;
    });
    QCOMPARE(lastDone, std::size_t(22)); // 22 is not a multiple of 4: the last group was padded
    QCOMPARE(report.rows.size(), size_t(3));
    for (const auto& row : report.rows) {
        QCOMPARE(row.count, std::size_t(22));
        QVERIFY(row.accuracy >= 0.0 && row.accuracy <= 1.0);
        QVERIFY(row.ciLow <= row.accuracy && row.accuracy <= row.ciHigh);
        QCOMPARE(row.perClassAccuracy.size(), size_t(10));
    }
    // The N=1 row is the model evaluated alone, item by item.
    model->eval();
    torch::NoGradGuard noGrad;
    std::vector<std::size_t> all(22);
    std::iota(all.begin(), all.end(), 0);
    FormerForwardOptions alone;
    alone.grid = {1, 1};
    const auto predicted = model->forward(tokenBatch(data, all), alone).logits.argmax(1);
    std::size_t correct = 0;
    for (std::size_t i = 0; i < 22; ++i)
        correct += predicted[int64_t(i)].item<int64_t>() == data.label(i);
    QCOMPARE(report.rows[0].correct, correct);
    // The evaluation left no grid behind: grids are passed per call, the model has only its own.
    QCOMPARE(model->config().gridM, 2);
}

void FormerPipelineTest::evaluationRejectsDataTheModelCannotRead()
{
    MimoFormer model(tinyListOps());
    const listops::ListOpsDataset tooLong(listops::readTsv(test_), 80);
    EvalConfig config;
    try {
        evaluateFormer(model, tooLong, config);
        QFAIL("too long accepted");
    } catch (const Error& error) {
        QVERIFY2(QString(error.what()).contains("at most 40"), error.what());
    }
    config.ns = {3};
    const listops::ListOpsDataset data(listops::readTsv(test_), 40);
    QVERIFY_THROWS_EXCEPTION(Error, evaluateFormer(model, data, config));
    config.ns = {0};
    QVERIFY_THROWS_EXCEPTION(Error, evaluateFormer(model, data, config));
}

void FormerPipelineTest::predictionsInSuperpositionAndAlone()
{
    const std::string path = dir_.filePath("tiny-former.pt").toStdString();
    PredictionRequest request;
    request.modelPath = path;
    request.n = 4;
    const auto model = readModelInfo(path).former();
    for (const char* text : {"[MAX 2 9 ]", "[MIN 4 7 ]", "[SM 1 2 3 ]", "[MED 5 6 1 ]"})
        request.sequences.push_back(sequenceFromText(model, text, text));
    request.sources = {"a", "b", "c", "d"};
    const auto predictions = predictSequences(request);
    QCOMPARE(predictions.size(), size_t(4));
    for (const auto& slot : predictions) {
        QCOMPARE(slot.superposed.size(), size_t(3));
        QCOMPARE(slot.disagree, slot.superposed.front().index != slot.alone.front().index);
    }
    request.n = 3;
    QVERIFY_THROWS_EXCEPTION(Error, predictSequences(request));
    request.n = 2;
    request.sequences.pop_back();
    QVERIFY_THROWS_EXCEPTION(Error, predictSequences(request)); // 3 sequences do not fill groups of 2
    request.sequences.push_back({});
    try {
        predictSequences(request);
        QFAIL("empty sequence accepted");
    } catch (const Error& error) {
        QVERIFY2(QString(error.what()).contains("d: the sequence is empty"), error.what());
    }
    request.sequences.back() = {99};
    QVERIFY_THROWS_EXCEPTION(Error, predictSequences(request)); // outside the vocabulary
    request.n = 0;
    QVERIFY_THROWS_EXCEPTION(Error, predictSequences(request));
}

void FormerPipelineTest::trainingResumesExactlyAndWritesACard()
{
    FormerTrainConfig config;
    config.architecture = tinyListOps();
    config.trainData = "listops:" + train_;
    config.testData = "listops:" + test_;
    config.steps = 6;
    config.batch = 8;
    config.warmupSteps = 2;
    config.mimoWarmupSteps = 2;
    config.evalEverySteps = 3;
    config.curveEvalLimit = 8;
    config.output = dir_.filePath("straight.pt").toStdString();
    std::vector<std::string> messages;
    const auto straight = trainFormer(config, [&](const TrainProgress& p) {
        if (!p.message.empty())
            messages.push_back(p.message);
    });
    QVERIFY(!straight.cancelled);
    QCOMPARE(straight.card.testAccuracy.size(), size_t(3));
    QCOMPARE(straight.card.curve.size(), size_t(2)); // step 3, then the final point
    QVERIFY(std::any_of(messages.begin(), messages.end(),
                        [](const std::string& m) { return m.find("warm-up done") != std::string::npos; }));

    // Cancelled after 3 steps, then resumed: the same weights as the uninterrupted run.
    config.output = dir_.filePath("resumed.pt").toStdString();
    std::atomic<bool> cancel{false};
    const auto first = trainFormer(config, [&](const TrainProgress& p) {
        if (p.step == 3)
            cancel = true;
    }, &cancel);
    QVERIFY(first.cancelled);
    QVERIFY(QFile::exists(QString::fromStdString(config.output + ".ckpt")));
    bool resumed = false;
    trainFormer(config, [&](const TrainProgress& p) { resumed = resumed || p.eventOnly; });
    QVERIFY(resumed);
    auto a = loadFormerModel(dir_.filePath("straight.pt").toStdString());
    auto b = loadFormerModel(config.output);
    for (const auto& item : a.model->named_parameters())
        QVERIFY2(torch::equal(item.value(), b.model->named_parameters()[item.key()]), item.key().c_str());
    QVERIFY(QString::fromStdString(a.card.notes).contains("warm-up"));

    // The card keeps the final evaluation by tree depth: the groups cover the test split, and
    // each N's accuracy is their weighted mean.
    QCOMPARE(a.card.groupKind, std::string("tree depth"));
    QVERIFY(!a.card.testAccuracyByGroup.empty());
    const std::size_t testItems = listops::readTsv(test_).size();
    for (const auto& [n, accuracy] : a.card.testAccuracy) {
        unsigned long long items = 0;
        double correct = 0.0;
        for (const auto& group : a.card.testAccuracyByGroup) {
            QVERIFY(group.group >= 1);
            items += group.count;
            correct += group.accuracy.at(n) * double(group.count);
        }
        QCOMPARE(items, static_cast<unsigned long long>(testItems));
        QVERIFY(std::abs(correct / double(items) - accuracy) < 1e-9);
    }
    const QString markdown = QString::fromStdString(toMarkdown(a.card, "tiny"));
    QVERIFY2(markdown.contains("## Test accuracy by tree depth\n\n| tree depth | items | N=1 | N=2 | N=4 |"),
             qPrintable(markdown));
    try {
        modelCardFromJson(R"({"test_accuracy_by_group": {"kind": "tree depth",
                              "groups": [{"group": 2.5, "count": 3, "accuracy": {"1": 0.5}}]}})");
        QFAIL("a group of 2.5 accepted");
    } catch (const Error& error) {
        QVERIFY2(QString(error.what()).contains("'group' must be a whole number"), error.what());
    }

    // A checkpoint of another configuration is refused, naming the file.
    config.steps = 7;
    try {
        trainFormer(config);
        QFAIL("foreign checkpoint accepted");
    } catch (const DataError& error) {
        QVERIFY2(QString(error.what()).contains("resumed.pt.ckpt"), error.what());
    }
}

void FormerPipelineTest::trainingRejectsBadConfigurations()
{
    FormerTrainConfig config;
    config.architecture = tinyListOps();
    config.trainData = "listops:" + train_;
    config.testData = "listops:" + test_;
    config.output = dir_.filePath("bad.pt").toStdString();
    config.batch = 6; // not a multiple of M*N = 4
    QVERIFY_THROWS_EXCEPTION(Error, trainFormer(config));
    config.batch = 8;
    config.evalNs = {3}; // not served by a 2 x 2 grid: refused before any step
    QVERIFY_THROWS_EXCEPTION(Error, trainFormer(config));
    QVERIFY(!QFile::exists(QString::fromStdString(config.output + ".ckpt")));
    config.evalNs.clear();
    config.trainData = "pixels:mnist:" + dir_.path().toStdString();
    QVERIFY_THROWS_EXCEPTION(Error, trainFormer(config));
    config.trainData = "listops:" + dir_.filePath("missing.tsv").toStdString();
    try {
        trainFormer(config);
        QFAIL("missing file accepted");
    } catch (const Error& error) {
        QVERIFY2(QString(error.what()).contains("missing.tsv"), error.what());
    }
}

void FormerPipelineTest::attentionWeightsAreRowsOfTheKernel()
{
    torch::manual_seed(9);
    const int64_t b = 4, h = 2, l = 12, d = 8;
    const auto q = torch::randn({b, h, l, d}), v = torch::randn({b, h, l, d});
    auto mask = torch::ones({b, l});
    mask.index_put_({torch::indexing::Slice(), torch::indexing::Slice(9, l)}, 0);
    const auto k = torch::randn({b, h, l, d}) * mask.view({b, 1, l, 1});
    auto generator = at::make_generator<at::CPUGeneratorImpl>(4);
    const auto omega = orthogonalRandomFeatures(16, d, generator);
    const auto ones = torch::ones({1, 1, d});
    // Alone (1 x 1 grid, unit key): the weights reproduce the Performer output exactly.
    const auto performer = performerAttention(q, k, v, mask, omega);
    for (int64_t seq = 0; seq < b; ++seq) {
        const auto weights = attentionWeights(q, k, omega, ones, 1, 1, seq, 0, 0, 1, 0, l);
        QCOMPARE(weights.sizes(), (torch::IntArrayRef{l, l}));
        QVERIFY(maxDiff(weights.sum(1), torch::ones({l})) < 1e-5);
        QVERIFY(maxDiff(torch::matmul(weights, v[seq][1] * mask[seq].view({l, 1})), performer[seq][1]) < 1e-4);
    }
    // In a 2 x 2 superposition: rows are distributions, and a slice of rows equals those rows
    // of the full map (only what is asked for is computed).
    const auto keys = torch::randint(0, 2, {2, 2, d}).to(torch::kFloat) * 2 - 1;
    const auto full = attentionWeights(q, k, omega, keys, 2, 2, 0, 1, 0, 0, 0, l);
    const auto rows = attentionWeights(q, k, omega, keys, 2, 2, 0, 1, 0, 0, 4, 3);
    QVERIFY(maxDiff(full.narrow(0, 4, 3), rows) < 1e-6);
    QVERIFY(maxDiff(full.sum(1), torch::ones({l})) < 1e-5);
    QVERIFY_THROWS_EXCEPTION(Error, attentionWeights(q, k, omega, keys, 2, 2, 1, 0, 0, 0, 0, l)); // one group only
    // att.+MLP divides by every key bundle: the two bundles' rows together sum to 1.
    const auto share0 = attentionWeights(q, k, omega, keys, 2, 2, 0, 0, 1, 0, 0, l, true);
    const auto share1 = attentionWeights(q, k, omega, keys, 2, 2, 0, 1, 1, 0, 0, l, true);
    QVERIFY(maxDiff(share0.sum(1) + share1.sum(1), torch::ones({l})) < 1e-5);
    QVERIFY(share0.sum(1).max().item<double>() < 1.0);
}

void FormerPipelineTest::interferenceTailsStayUnderTheBound()
{
    // Many seeds of random queries, keys and bipolar binding keys: the measured tail
    // frequencies of every cross term and of their sum never exceed the bounds (plus the
    // sampling error of a frequency from this many terms).
    for (int mn : {2, 4}) {
        for (uint64_t seed = 1; seed <= 12; ++seed) {
            const auto stats = randomInterference(mn, mn, 16, seed);
            QCOMPARE(stats.terms, stats.pairs * std::size_t(mn * mn - 1));
            for (std::size_t t = 0; t < stats.thresholds.size(); ++t) {
                const double slack = 3.0 * std::sqrt(stats.termBound[t] * (1 - stats.termBound[t]) / double(stats.terms)) + 1e-3;
                QVERIFY2(stats.termTail[t] <= stats.termBound[t] + slack,
                         qPrintable(QString("M=N=%1 seed %2 tau %3: %4 > %5").arg(mn).arg(seed).arg(stats.thresholds[t])
                                        .arg(stats.termTail[t]).arg(stats.termBound[t])));
                QVERIFY(stats.totalTail[t] <= stats.totalBound[t] + 1e-3);
                const double pairSlack = 3.0 * std::sqrt(stats.termBound[t] * (1 - stats.termBound[t]) / double(stats.pairs)) + 1e-3;
                QVERIFY2(stats.coordinateTail[t] <= stats.termBound[t] + pairSlack,
                         qPrintable(QString("sum, tau %1: %2").arg(stats.thresholds[t]).arg(stats.coordinateTail[t])));
            }
            // E[I^2 | q, k] = sum sigma_i^2 exactly; over 1000 triples the mean agrees closely.
            QVERIFY2(std::abs(stats.meanSquaredInterference / stats.predictedMeanSquared - 1.0) < 0.2,
                     qPrintable(QString::number(stats.meanSquaredInterference / stats.predictedMeanSquared)));
        }
    }
}

void FormerPipelineTest::interferenceGrowsWithMNAndShrinksWithHeadDim()
{
    // Relative interference rms of I / (|q||k|) ~ sqrt((MN - 1) / D_h) for isotropic data.
    double previous = 0.0;
    for (int mn : {2, 3, 4}) {
        const auto stats = randomInterference(mn, mn, 32, 7, 1024);
        const double predicted = std::sqrt(double(mn * mn - 1) / 32.0);
        QVERIFY2(std::abs(stats.relativeRms / predicted - 1.0) < 0.12,
                 qPrintable(QString("M=N=%1: %2 vs %3").arg(mn).arg(stats.relativeRms).arg(predicted)));
        QVERIFY(stats.relativeRms > previous);
        previous = stats.relativeRms;
    }
    double wider = 1e9;
    for (int headDim : {8, 32, 128}) {
        const auto stats = randomInterference(2, 2, headDim, 11, 1024);
        // The exact prediction from the data's own norms; sqrt(3 / D_h) is its large-D_h limit
        // (for small D_h, 1/(|q|^2 |k|^2) of a chi-square is larger on average).
        QVERIFY2(std::abs(stats.relativeRms / stats.predictedRelativeRms - 1.0) < 0.12,
                 qPrintable(QString("%1 vs %2").arg(stats.relativeRms).arg(stats.predictedRelativeRms)));
        if (headDim >= 32)
            QVERIFY2(std::abs(stats.relativeRms / std::sqrt(3.0 / headDim) - 1.0) < 0.12,
                     qPrintable(QString::number(stats.relativeRms)));
        QVERIFY(stats.relativeRms < wider);
        wider = stats.relativeRms;
    }
    QVERIFY_THROWS_EXCEPTION(Error, decomposeScores({1.f}, {1.f}, {1.f}, {1.f}, 1, 2, 2, 1, 1, 4, 1));
}

void FormerPipelineTest::interferenceOfARealModel()
{
    InterferenceRequest request;
    request.modelPath = dir_.filePath("tiny-former.pt").toStdString();
    request.data = "listops:" + test_;
    request.groups = 3;
    request.pairsPerGroup = 64;
    const auto report = measureInterference(request);
    QCOMPARE(report.gridM, 2);
    QCOMPARE(report.groups, std::size_t(3));
    QCOMPARE(report.heads.size(), size_t(4)); // 2 layers x 2 heads
    for (const auto& head : report.heads) {
        QVERIFY(head.pairs > 0);
        QVERIFY(head.interferenceRms > 0);
        QCOMPARE(head.termTail.size(), size_t(4));
    }
    request.count = 2; // lowered to a 2 x 1 grid
    QCOMPARE(measureInterference(request).gridN, 1);

    MimoFormer performer(tinyListOps(FormerAttention::Performer));
    const std::string path = dir_.filePath("performer.pt").toStdString();
    saveFormerModel(path, performer, ModelCard{});
    request.modelPath = path;
    request.count = 0;
    try {
        measureInterference(request);
        QFAIL("a Performer has no interference");
    } catch (const Error& error) {
        QVERIFY2(QString(error.what()).contains("Performer"), error.what());
    }
}

void FormerPipelineTest::attentionCoreBenchmarkReportsEveryGrid()
{
    BenchConfig bench;
    bench.batch = 16;
    bench.rounds = 1;
    bench.warmup = 0;
    const auto report = benchmarkAttentionCore({1, 2, 4}, 32, 2, 8, 16, bench);
    QCOMPARE(report.rows.size(), size_t(3));
    QCOMPARE(report.rows[0].label, std::string("Performer"));
    QCOMPARE(report.rows[2].label, std::string("M=N=4"));
    QCOMPARE(report.rows[2].n, 16);
    QCOMPARE(report.rows[0].speedup, 1.0);
    bench.batch = 6;
    QVERIFY_THROWS_EXCEPTION(Error, benchmarkAttentionCore({1, 2}, 32, 2, 8, 16, bench)); // 6 is not a multiple of 4
    bench.batch = 4;
    bench.ns = {0, 1};
    QVERIFY_THROWS_EXCEPTION(Error, benchmarkArchitecture(tinyListOps(), bench));
}

void FormerPipelineTest::officialCheckpointsMatchPyTorch()
{
    const QString python = "/usr/bin/python3";
    QProcess probe;
    probe.start(python, {"-c", "import torch"});
    if (!probe.waitForFinished(60000) || probe.exitCode() != 0)
        QSKIP("Debian's python3-torch is not installed (scripts/setup.sh installs it)");
    const QString script = qEnvironmentVariable("MIMO_SOURCE_DIR") + "/tests/fixtures/official_mimoformer.py";
    const std::vector<std::pair<QString, FormerAttention>> kinds{
        {"performer", FormerAttention::Performer}, {"mimoformer", FormerAttention::Mimo}, {"blockformer", FormerAttention::MimoMlp}};
    for (const auto& [kind, attention] : kinds) {
        const QString out = dir_.filePath("official-" + kind);
        QProcess process;
        process.start(python, {script, out, "--model", kind});
        QVERIFY(process.waitForFinished(120000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        const std::string checkpoint = (out + "/checkpoint.pth.tar").toStdString();
        const auto inferred = inferOfficialFormerArchitecture(checkpoint);
        QVERIFY(inferred.attention == attention);
        QCOMPARE(inferred.vocabularySize, 20);
        QCOMPARE(inferred.dim, 16);
        QCOMPARE(inferred.heads, 2);
        QCOMPARE(inferred.headDim, 8);
        QCOMPARE(inferred.layers, 2);
        QCOMPARE(inferred.features, 12);
        QCOMPARE(inferred.numClasses, 5);
        QCOMPARE(inferred.gridM, attention == FormerAttention::Performer ? 1 : 2);

        const std::string imported = (out + "/imported.pt").toStdString();
        const auto result = importOfficialCheckpoint(checkpoint, imported, OfficialImportOptions{});
        QVERIFY(result.former);
        if (attention != FormerAttention::Performer) {
            // A smaller grid than the stored keys: the buffers are sliced to [:1, :2].
            OfficialImportOptions sliced;
            sliced.gridM = 1;
            const auto smaller = importOfficialCheckpoint(checkpoint, (out + "/sliced.pt").toStdString(), sliced);
            QCOMPARE(smaller.formerArchitecture.gridM, 1);
            QCOMPARE(smaller.formerArchitecture.gridN, 2);
            QVERIFY(torch::equal(loadFormerModel((out + "/sliced.pt").toStdString()).model->named_buffers()
                                     ["model.transformer_0.mha.attn.bindings"],
                                 loadFormerModel(imported).model->named_buffers()["model.transformer_0.mha.attn.bindings"]
                                     .narrow(1, 0, 1)));
            sliced.gridM = 3;
            QVERIFY_THROWS_EXCEPTION(DataError, importOfficialCheckpoint(checkpoint, (out + "/x.pt").toStdString(), sliced));
        }
        auto loaded = loadFormerModel(imported);
        const auto reference = readTorchSaveTensors((out + "/reference.pt").toStdString());
        torch::NoGradGuard noGrad;
        const auto ours = loaded.model->forward(reference.at("tokens"));
        const double difference = maxDiff(ours, reference.at("logits"));
        QVERIFY2(difference < 1e-4, qPrintable(kind + QString(": max difference %1").arg(difference)));
    }
}

void FormerPipelineTest::stageBreakdownCoversTheForwardPass()
{
    BenchConfig bench;
    bench.ns = {1, 4};
    bench.batch = 8;
    bench.rounds = 2;
    bench.warmup = 0;
    bench.length = 24;
    bench.breakdown = true;
    for (auto attention : {FormerAttention::Mimo, FormerAttention::MimoMlp}) {
        const auto report = benchmarkArchitecture(tinyListOps(attention), bench);
        for (const auto& row : report.rows) {
            std::vector<std::string> stages;
            double total = 0;
            for (const auto& [stage, seconds] : row.stageSeconds) {
                stages.push_back(stage);
                total += seconds;
            }
            for (const char* expected : {"embeddings", "layer 1 QKV projections", "layer 1 attention kernel", "layer 1 MLP",
                                         "final norm + pooling", "classification head"})
                QVERIFY2(std::find(stages.begin(), stages.end(), expected) != stages.end(), expected);
            QVERIFY(total > 0);
        }
    }
    bench.breakdown = false;
    QVERIFY(benchmarkArchitecture(tinyListOps(), bench).rows[0].stageSeconds.empty());
}

void FormerPipelineTest::byteLevelTextModelTrainsAndPredicts()
{
    // LRA Text on a small generated file: two classes told apart by their words.
    QFile file(dir_.filePath("reviews.tsv"));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("label\ttext\n");
    std::mt19937_64 rng(3);
    const char* good[] = {"great", "lovely", "superb", "fine"};
    const char* bad[] = {"awful", "dull", "poor", "weak"};
    for (int i = 0; i < 48; ++i) {
        const bool positive = i % 2 == 0;
        std::string text = "a ";
        for (int w = 0; w < 3; ++w)
            text += std::string(positive ? good[rng() % 4] : bad[rng() % 4]) + " ";
        file.write((std::string(positive ? "pos" : "neg") + "\t" + text + "film\n").c_str());
    }
    file.close();
    auto arch = tinyListOps();
    arch.inputKind = "text";
    arch.vocabularySize = 257;
    arch.numClasses = 2;
    arch.maxLength = 32;
    FormerTrainConfig config;
    config.architecture = arch;
    config.trainData = config.testData = "text:" + file.fileName().toStdString();
    config.steps = 8;
    config.batch = 8;
    config.warmupSteps = 2;
    config.evalEverySteps = 0;
    config.output = dir_.filePath("text.pt").toStdString();
    const auto result = trainFormer(config);
    QCOMPARE(result.card.classNames, (std::vector<std::string>{"neg", "pos"}));
    QCOMPARE(result.card.testAccuracy.size(), size_t(3));

    const auto info = readModelInfo(config.output);
    QVERIFY(QString::fromStdString(info.inputDescription()).contains("text of up to 32 bytes"));
    PredictionRequest request;
    request.modelPath = config.output;
    request.n = 2;
    request.sequences = {sequenceFromText(info.former(), "a great superb film", "s1"),
                         sequenceFromText(info.former(), "a dull poor film", "s2")};
    const auto predictions = predictSequences(request);
    QCOMPARE(predictions.size(), size_t(2));
    QCOMPARE(predictions[0].superposed.size(), size_t(2)); // top-3 of two classes
    QVERIFY_THROWS_EXCEPTION(DataError, sequenceFromText(info.former(), std::string(33, 'x'), "long"));
}

QTEST_GUILESS_MAIN(FormerPipelineTest)
#include "test_former_pipeline.moc"
