// MIMOConv model, model files, official import, evaluation, training and benchmarking, on
// tiny configurations (tests never train a real model).
#include "core/data/dataset_spec.h"
#include "core/data/image_set.h"
#include "core/errors.h"
#include "core/eval/benchmark.h"
#include "core/eval/conv_evaluation.h"
#include "core/model/mimo_conv.h"
#include "core/model/model_catalog.h"
#include "core/model/model_file.h"
#include "core/model/official_import.h"
#include "core/model/torch_save_reader.h"
#include "core/train/conv_trainer.h"
#include "core/train/distillation.h"
#include "core/train/one_cycle.h"
#include "core/vsa/hrr.h"
#include "core/vsa/keys.h"
#include "test_support.h"

#include <torch/torch.h>

#include <numeric>
#include <thread>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>


using namespace mimo;

namespace {

MimoConvConfig tinyConfig(int capacity = 4, ConvBinding binding = ConvBinding::HRR)
{
    MimoConvConfig config;
    config.depth = 10;
    config.widthFactor = 1;
    config.stemWidth = binding == ConvBinding::None ? 4 : 8;
    config.numClasses = 3;
    config.capacity = capacity;
    config.binding = binding;
    config.activation = binding == ConvBinding::None ? ConvActivation::ReLU : ConvActivation::PReLU;
    config.input.channels = 1;
    config.input.height = config.input.width = 8;
    config.input.mean = {0.5f};
    config.input.stddev = {0.25f};
    return config;
}

// Non-trivial running statistics, so eval-mode results depend on every buffer.
void randomiseBatchNorm(MimoConv& model)
{
    torch::NoGradGuard noGrad;
    for (auto& item : model->named_buffers()) {
        if (item.key().find("running_mean") != std::string::npos)
            item.value().uniform_(-0.3, 0.3);
        if (item.key().find("running_var") != std::string::npos)
            item.value().uniform_(0.5, 1.5);
    }
}

double maxDiff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

// A training of tinyConfig(2) for one epoch of batch 8 on a small MNIST-format set written to `folder`.
ConvTrainConfig tinyTraining(const QString& folder, int trainItems, int testItems)
{
    QDir().mkpath(folder);
    mimo::testing::writeTinyIdx(folder.toStdString(), "train", trainItems, 8);
    mimo::testing::writeTinyIdx(folder.toStdString(), "t10k", testItems, 8);
    ConvTrainConfig config;
    config.architecture = tinyConfig(2);
    config.architecture.numClasses = 10; // the MNIST reader names ten digit classes
    config.trainData = ("mnist:" + folder + ":train").toStdString();
    config.testData = ("mnist:" + folder + ":test").toStdString();
    config.epochs = 1;
    config.batch = 8;
    config.checkpointMinutes = 1e6;
    return config;
}

ConvForwardOptions passOptions(int n, bool captureIntermediates)
{
    ConvForwardOptions options;
    options.n = n;
    options.captureIntermediates = captureIntermediates;
    return options;
}

torch::Tensor find(const ConvForwardOutput& out, const std::string& name)
{
    for (const auto& [key, tensor] : out.intermediates)
        if (key == name)
            return tensor;
    return {};
}

} // namespace

class MimoConvTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void forwardServesEveryDivisorOfCapacity();
    void rejectsBadRequests();
    void bindingIsCircularConvolutionWithTheKeys();
    void reducedModeAveragesRepeatedSlots();
    void intermediatesCoverThePipeline();
    void batchStatisticsModeLeavesRunningStatsAlone();
    void keysCanBeReplacedForOnePass();
    void keysPassedPerCallLeaveTheModelAsTrained();
    void regularisersBehave();
    void parameterNamesFollowTheOfficialCode();
    void modelFileRoundTrip();
    void modelFileErrorsNameTheProblem();
    void catalogListsModelsAndReportsBadFiles();
    void officialCheckpointMatchesPyTorch();
    void officialImportRejectsForeignFiles();
    void oneCycleMatchesPyTorchSchedule();
    void evaluationCountsAndInterval();
    void trainingRunsAndResumesExactly();
    void trainingCanStartFromAModelFile();
    void distillationLossIsTheTemperedKullbackLeibler();
    void distillationTeachesTheTeachersAnswers();
    void benchmarkReportsEveryN();

private:
    QTemporaryDir dir_;
};

void MimoConvTest::forwardServesEveryDivisorOfCapacity()
{
    torch::manual_seed(1);
    MimoConv model(tinyConfig(4));
    model->eval();
    QCOMPARE(model->config().supportedN(), (std::vector<int>{1, 2, 4}));
    const auto x = torch::randn({8, 1, 8, 8});
    for (int n : {1, 2, 4}) {
        const auto logits = model->forward(x, n);
        QCOMPARE(logits.sizes(), (at::IntArrayRef{8, 3}));
        QVERIFY(torch::isfinite(logits).all().item<bool>());
    }
    // Superposition matters: mode 4 differs from mode 1 for the same inputs.
    QVERIFY(maxDiff(model->forward(x, 1), model->forward(x, 4)) > 1e-4);
    // Input order is kept: permuting within groups permutes the outputs at N=1.
    const auto perm = torch::tensor({1, 0, 2, 3, 4, 5, 6, 7}, torch::kLong);
    QVERIFY(maxDiff(model->forward(x.index_select(0, perm), 1), model->forward(x, 1).index_select(0, perm)) < 1e-5);
}

void MimoConvTest::rejectsBadRequests()
{
    MimoConv model(tinyConfig(4));
    model->eval();
    QVERIFY_THROWS_EXCEPTION(mimo::Error, model->forward(torch::randn({8, 1, 8, 8}), 3));
    QVERIFY_THROWS_EXCEPTION(mimo::Error, model->forward(torch::randn({6, 1, 8, 8}), 4));
    QVERIFY_THROWS_EXCEPTION(mimo::Error, model->forward(torch::randn({4, 3, 8, 8}), 1));
    QVERIFY_THROWS_EXCEPTION(mimo::Error, model->forward(torch::randn({4, 8, 8}), 1));
    auto bad = tinyConfig(4, ConvBinding::None);
    QVERIFY_THROWS_EXCEPTION(mimo::Error, bad.validate());
    auto odd = tinyConfig(4);
    odd.stemWidth = 7;
    QVERIFY_THROWS_EXCEPTION(mimo::Error, odd.validate());
    auto depth = tinyConfig(4);
    depth.depth = 12;
    QVERIFY_THROWS_EXCEPTION(mimo::Error, depth.validate());
}

void MimoConvTest::bindingIsCircularConvolutionWithTheKeys()
{
    torch::manual_seed(2);
    MimoConv model(tinyConfig(4));
    model->eval();
    const auto x = torch::randn({8, 1, 8, 8});
    const auto out = model->forward(x, passOptions(4, true));
    const auto stem = find(out, "stem");      // [8, D, 8, 8]
    const auto bound = find(out, "bound");    // [2, 4, D, 8, 8]
    const auto keys = model->keys().detach(); // [4, D]
    for (int g = 0; g < 2; ++g)
        for (int i = 0; i < 4; ++i) {
            const auto expected = vsa::hrrBind(keys[i], stem[g * 4 + i], 0);
            QVERIFY(maxDiff(bound[g][i], expected) < 1e-5);
        }
    QVERIFY(maxDiff(find(out, "superposed"), bound.sum(1)) < 1e-5);
}

void MimoConvTest::reducedModeAveragesRepeatedSlots()
{
    // Mode N=2 of a N_cap=4 model equals running mode 4 on [x0, x1, x0, x1] and averaging
    // the two outputs of each image (the classifier is affine, so logits average too).
    torch::manual_seed(3);
    MimoConv model(tinyConfig(4));
    randomiseBatchNorm(model);
    model->eval();
    const auto x = torch::randn({2, 1, 8, 8});
    const auto reduced = model->forward(x, 2);
    const auto repeated = model->forward(torch::cat({x, x}), 4);
    QVERIFY(maxDiff(reduced, (repeated.narrow(0, 0, 2) + repeated.narrow(0, 2, 2)) / 2.0) < 1e-4);
    // And mode 1 binds with the sum of all four keys.
    QVERIFY(maxDiff(model->effectiveKeys(1)[0], model->keys().sum(0)) < 1e-6);
}

void MimoConvTest::intermediatesCoverThePipeline()
{
    MimoConv model(tinyConfig(4));
    model->eval();
    const auto out = model->forward(torch::randn({8, 1, 8, 8}), passOptions(2, true));
    std::vector<std::string> names;
    for (const auto& [name, tensor] : out.intermediates)
        names.push_back(name);
    QCOMPARE(names, (std::vector<std::string>{"stem", "bound", "superposed", "layer1", "layer2", "layer3", "pooled",
                                              "unbound"}));
    QCOMPARE(find(out, "stem").sizes(), (at::IntArrayRef{8, 8, 8, 8}));
    QCOMPARE(find(out, "bound").sizes(), (at::IntArrayRef{4, 2, 8, 8, 8}));
    QCOMPARE(find(out, "superposed").sizes(), (at::IntArrayRef{4, 8, 8, 8}));
    QCOMPARE(find(out, "layer3").sizes(), (at::IntArrayRef{4, 64, 2, 2}));
    QCOMPARE(find(out, "pooled").sizes(), (at::IntArrayRef{4, 64}));
    QCOMPARE(find(out, "unbound").sizes(), (at::IntArrayRef{8, 64}));
    QVERIFY(model->forward(torch::randn({8, 1, 8, 8}), passOptions(2, false)).intermediates.empty());
}

void MimoConvTest::batchStatisticsModeLeavesRunningStatsAlone()
{
    torch::manual_seed(4);
    MimoConv model(tinyConfig(2));
    randomiseBatchNorm(model);
    model->eval();
    std::vector<torch::Tensor> before;
    for (const auto& b : model->buffers())
        before.push_back(b.clone());
    const auto x = torch::randn({8, 1, 8, 8});
    const auto running = model->forward(x, 2);
    ConvForwardOptions batchStatistics;
    batchStatistics.n = 2;
    batchStatistics.batchNorm = BatchNormMode::Batch;
    const auto batch = model->forward(x, batchStatistics).logits;
    QVERIFY(maxDiff(running, batch) > 1e-3);
    const auto buffers = model->buffers();
    for (size_t i = 0; i < buffers.size(); ++i)
        QVERIFY(torch::equal(buffers[i], before[i]));
    QVERIFY(maxDiff(model->forward(x, 2), running) < 1e-6);
}

void MimoConvTest::keysCanBeReplacedForOnePass()
{
    torch::manual_seed(5);
    MimoConv model(tinyConfig(4));
    model->eval();
    const auto x = torch::randn({4, 1, 8, 8});
    const auto trained = model->forward(x, 4);
    const auto trainedKeys = model->keys().detach().clone();
    const auto newKeys = vsa::makeKeys(KeyFamily::Orthogonal, 4, 8, 9);
    ConvForwardOptions replaced;
    replaced.n = 4;
    replaced.keys = newKeys;
    QVERIFY(maxDiff(model->effectiveKeys(4, newKeys), newKeys) < 1e-6); // what that pass binds with
    QVERIFY(maxDiff(model->forward(x, replaced).logits, trained) > 1e-4);
    QVERIFY(torch::equal(model->keys(), trainedKeys)); // the model still has its trained keys
    QVERIFY(maxDiff(model->forward(x, 4), trained) < 1e-6);
    replaced.keys = torch::zeros({3, 8});
    QVERIFY_THROWS_EXCEPTION(mimo::Error, model->forward(x, replaced));
    MimoConv baseline(tinyConfig(1, ConvBinding::None));
    ConvForwardOptions baselineKeys;
    baselineKeys.keys = torch::zeros({1, 4});
    QVERIFY_THROWS_EXCEPTION(mimo::Error, baseline->forward(torch::randn({1, 1, 8, 8}), baselineKeys));
}

void MimoConvTest::keysPassedPerCallLeaveTheModelAsTrained()
{
    // One model object computing with two key sets, interleaved and from two threads at once,
    // gives exactly what two separately loaded models give that hold those keys as their own.
    torch::manual_seed(12);
    MimoConv shared(tinyConfig(4));
    randomiseBatchNorm(shared);
    shared->eval();
    const std::string path = dir_.filePath("shared_keys.pt").toStdString();
    saveConvModel(path, shared, ModelCard{});
    const std::vector<torch::Tensor> keySets{vsa::makeKeys(KeyFamily::Orthogonal, 4, 8, 21),
                                             vsa::makeKeys(KeyFamily::Gaussian, 4, 8, 22)};
    const auto x = torch::randn({8, 1, 8, 8});
    std::vector<std::vector<torch::Tensor>> expected; // [key set][n index]
    for (const auto& keys : keySets) {
        auto own = loadConvModel(path);
        {
            torch::NoGradGuard noGrad;
            own.model->named_parameters()["channelConv.weight"].copy_(vsa::officialChannelConvFromKeys(keys));
        }
        QVERIFY(torch::equal(own.model->keys(), keys));
        expected.push_back({own.model->forward(x, 1), own.model->forward(x, 2), own.model->forward(x, 4)});
    }
    const auto trainedKeys = shared->keys().detach().clone();
    std::vector<torch::Tensor> before;
    for (const auto& item : shared->named_parameters())
        before.push_back(item.value().detach().clone());
    const auto trained = shared->forward(x, 4);

    const std::vector<int> ns{1, 2, 4};
    const auto pass = [&](size_t set, size_t nIndex) {
        ConvForwardOptions options;
        options.n = ns[nIndex];
        options.keys = keySets[set];
        return shared->forward(x, options).logits;
    };
    const size_t interleaved[] = {0, 1, 0, 1};
    for (size_t nIndex = 0; nIndex < ns.size(); ++nIndex)
        for (size_t set : interleaved)
            QVERIFY(torch::equal(pass(set, nIndex), expected[set][nIndex]));

    std::vector<torch::Tensor> concurrent(2);
    std::vector<std::thread> callers;
    for (size_t set = 0; set < 2; ++set)
        callers.emplace_back([&, set] {
            torch::NoGradGuard noGrad;
            for (int repeat = 0; repeat < 20; ++repeat)
                concurrent[set] = pass(set, 2);
        });
    for (auto& caller : callers)
        caller.join();
    for (size_t set = 0; set < 2; ++set)
        QVERIFY(maxDiff(concurrent[set], expected[set][2]) < 1e-6);

    // The model holds its trained state only: nothing to restore.
    QVERIFY(torch::equal(shared->keys(), trainedKeys));
    const auto after = shared->named_parameters();
    for (size_t i = 0; i < before.size(); ++i)
        QVERIFY(torch::equal(after[i].value(), before[i]));
    QVERIFY(torch::equal(shared->forward(x, 4), trained));
}

void MimoConvTest::regularisersBehave()
{
    MimoConv model(tinyConfig(4));
    // Orthonormal keys have zero binding penalty; the PyTorch-default init does not.
    QVERIFY(model->bindingRegularisation().item<double>() > 0.1);
    QVERIFY(keyRegularisation(vsa::makeKeys(KeyFamily::Orthogonal, 4, 8, 1)).item<double>() < 1e-10);
    const auto iso = model->isometryRegularisation();
    QCOMPARE(iso.scalar_type(), torch::kDouble);
    QVERIFY(iso.item<double>() > 0.0);
    MimoConv baseline(tinyConfig(1, ConvBinding::None));
    QCOMPARE(baseline->isometryRegularisation().item<double>(), 0.0);
    QCOMPARE(baseline->bindingRegularisation().item<double>(), 0.0);
    // PReLU slopes are the only parameters without weight decay.
    const auto [noDecay, decay] = model->parametersByDecay();
    QCOMPARE(int(noDecay.size()), 3 * 2);
    QCOMPARE(int(noDecay.size() + decay.size()), int(model->parameters().size()));
}

void MimoConvTest::parameterNamesFollowTheOfficialCode()
{
    MimoConv model(tinyConfig(4));
    std::set<std::string> names;
    for (const auto& item : model->named_parameters())
        names.insert(item.key());
    for (const auto& item : model->named_buffers())
        names.insert(item.key());
    for (const char* expected : {"conv1.weight", "bn1.running_var", "bn1.num_batches_tracked", "channelConv.weight",
                                 "layer1.0.bn1.weight", "layer1.0.relu1.weight", "layer1.0.conv2.weight",
                                 "layer1.0.alpha", "layer2.0.downsample.0.weight", "layer2.0.downsample.1.running_mean",
                                 "unbind.0.weight", "unbind.0.bias", "fc.weight", "fc.bias"})
        QVERIFY2(names.count(expected), expected);
    QCOMPARE(model->named_parameters()["channelConv.weight"].sizes(), (at::IntArrayRef{4, 1, 8}));
    QCOMPARE(model->named_parameters()["unbind.0.weight"].sizes(), (at::IntArrayRef{4 * 64, 64, 1, 1}));
}

void MimoConvTest::modelFileRoundTrip()
{
    torch::manual_seed(6);
    MimoConv model(tinyConfig(4));
    randomiseBatchNorm(model);
    model->eval();
    ModelCard card;
    card.name = "tiny";
    card.dataset = "synthetic";
    card.classNames = {"a", "b", "c"};
    card.trainingCommand = "build/bin/mimo train conv --tiny";
    card.seed = 42;
    card.testAccuracy = {{1, 0.9}, {2, 0.85}, {4, 0.8}};
    EpochRecord record;
    record.epoch = 1.5;
    record.testAccuracy = {{4, 0.7}};
    card.curve = {record};
    const QString path = dir_.filePath("tiny.pt");
    saveConvModel(path.toStdString(), model, card);
    QVERIFY(!QFile::exists(path + ".partial"));
    auto loaded = loadConvModel(path.toStdString());
    const auto x = torch::randn({8, 1, 8, 8});
    for (int n : {1, 2, 4})
        QVERIFY(maxDiff(loaded.model->forward(x, n), model->forward(x, n)) < 1e-6);
    QCOMPARE(loaded.card.name, std::string("tiny"));
    QCOMPARE(loaded.card.seed, 42ULL);
    QCOMPARE(loaded.card.classNames, card.classNames);
    QCOMPARE(loaded.card.testAccuracy.at(2), 0.85);
    QCOMPARE(loaded.card.curve.size(), size_t(1));
    QCOMPARE(loaded.card.curve[0].testAccuracy.at(4), 0.7);
    QCOMPARE(toJson(loaded.model->config()), toJson(model->config()));
    const auto listing = readModelListing(path.toStdString());
    QCOMPARE(listing.conv().capacity, 4);
}

void MimoConvTest::modelFileErrorsNameTheProblem()
{
    MimoConv model(tinyConfig(4));
    const QString good = dir_.filePath("good.pt");
    saveConvModel(good.toStdString(), model, ModelCard{});
    const auto expectError = [](const QString& path, const char* fragment) {
        try {
            loadConvModel(path.toStdString());
            QFAIL("no error");
        } catch (const DataError& error) {
            QVERIFY2(QString(error.what()).contains(QFileInfo(path).fileName()), error.what());
            QVERIFY2(QString(error.what()).contains(fragment), error.what());
        }
    };
    QFile original(good);
    QVERIFY(original.open(QIODevice::ReadOnly));
    const QByteArray bytes = original.readAll();
    const auto write = [&](const QString& name, const QByteArray& content) {
        QFile file(dir_.filePath(name));
        file.open(QIODevice::WriteOnly);
        file.write(content);
        return dir_.filePath(name);
    };
    expectError(write("truncated.pt", bytes.left(bytes.size() / 2)), "truncated");
    expectError(write("empty.pt", QByteArray()), "empty");
    expectError(write("junk.pt", "this is not a model"), "not a readable model file");
    expectError(dir_.filePath("missing.pt"), "cannot open");

    // Weights of one architecture under the description of another.
    auto other = tinyConfig(2);
    c10::impl::GenericDict root(c10::StringType::get(), c10::AnyType::get());
    c10::Dict<std::string, at::Tensor> state;
    for (const auto& item : model->named_parameters())
        state.insert(item.key(), item.value().detach());
    for (const auto& item : model->named_buffers())
        state.insert(item.key(), item.value().detach());
    root.insert("format", std::string("mimo-explorer-model"));
    root.insert("format_version", int64_t(1));
    root.insert("config", toJson(other));
    root.insert("card", toJson(ModelCard{}));
    root.insert("state_dict", state);
    const auto pickled = torch::pickle_save(root);
    expectError(write("mismatch.pt", QByteArray(pickled.data(), int(pickled.size()))), "shape mismatch");
    expectError(write("mismatch.pt", QByteArray(pickled.data(), int(pickled.size()))), "channelConv.weight");

    auto baselineConfig = tinyConfig(1, ConvBinding::None);
    baselineConfig.stemWidth = 8;
    root.insert_or_assign("config", toJson(baselineConfig));
    const auto foreign = torch::pickle_save(root);
    expectError(write("foreign.pt", QByteArray(foreign.data(), int(foreign.size()))), "do not belong");
}

void MimoConvTest::catalogListsModelsAndReportsBadFiles()
{
    QTemporaryDir models;
    MimoConv dynamic(tinyConfig(4));
    MimoConv baseline(tinyConfig(1, ConvBinding::None));
    ModelCard card;
    card.name = "dynamic";
    saveConvModel(models.filePath("b-dynamic.pt").toStdString(), dynamic, card);
    card.name = "baseline";
    saveConvModel(models.filePath("a-baseline.pt").toStdString(), baseline, card);
    QFile junk(models.filePath("c-junk.pt"));
    junk.open(QIODevice::WriteOnly);
    junk.write("junk");
    junk.close();
    std::vector<std::string> problems;
    const auto listed = listModels({models.path().toStdString()}, &problems);
    QCOMPARE(int(listed.size()), 2);
    QCOMPARE(listed[0].card.name, std::string("baseline"));
    QCOMPARE(int(problems.size()), 1);
    QVERIFY(QString::fromStdString(problems[0]).contains("c-junk.pt"));
    QCOMPARE(defaultModelPath(listed), models.filePath("b-dynamic.pt").toStdString());
    qputenv("MIMO_MODELS_DIR", models.path().toUtf8());
    const auto dirs = bundledModelDirectories("");
    qunsetenv("MIMO_MODELS_DIR");
    QCOMPARE(dirs, (std::vector<std::string>{models.path().toStdString()}));
}

void MimoConvTest::officialCheckpointMatchesPyTorch()
{
    const QString python = "/usr/bin/python3";
    QProcess probe;
    probe.start(python, {"-c", "import torch"});
    if (!probe.waitForFinished(60000) || probe.exitCode() != 0)
        QSKIP("Debian's python3-torch is not installed (scripts/setup.sh installs it)");
    const QString script = qEnvironmentVariable("MIMO_SOURCE_DIR") + "/tests/fixtures/official_mimoconv.py";
    for (const QString binding : {"HRR", "None"}) {
        const QString out = dir_.filePath("official-" + binding);
        QProcess process;
        process.start(python, {script, out, "--binding", binding, "--capacity", binding == "HRR" ? "4" : "1"});
        QVERIFY(process.waitForFinished(120000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());

        const std::string checkpoint = (out + "/checkpoint.pt").toStdString();
        const auto inferred = inferOfficialArchitecture(checkpoint, 12);
        QCOMPARE(inferred.stemWidth, 8);
        QCOMPARE(inferred.depth, 10);
        QCOMPARE(inferred.widthFactor, 1);
        QCOMPARE(inferred.numClasses, 5);
        QCOMPARE(inferred.input.channels, 3);
        QCOMPARE(inferred.capacity, binding == "HRR" ? 4 : 1);
        const std::string imported = (out + "/imported.pt").toStdString();
        OfficialImportOptions options;
        options.inputSize = 12;
        const auto result = importOfficialCheckpoint(checkpoint, imported, options);
        QVERIFY(result.inferred);

        auto loaded = loadConvModel(imported);
        const auto reference = readTorchSaveTensors((out + "/reference.pt").toStdString());
        const auto& input = reference.at("input");
        for (int n : inferred.supportedN()) {
            const auto expected = reference.at("logits_n" + std::to_string(n));
            const auto ours = loaded.model->forward(input, n);
            QVERIFY2(maxDiff(ours, expected) < 1e-4,
                     qPrintable(QString("%1 N=%2: max difference %3").arg(binding).arg(n).arg(maxDiff(ours, expected))));
        }
    }
}

void MimoConvTest::officialImportRejectsForeignFiles()
{
    QFile junk(dir_.filePath("junk.ckpt"));
    junk.open(QIODevice::WriteOnly);
    junk.write("PK\x03\x04 not really a zip");
    junk.close();
    try {
        inferOfficialArchitecture(junk.fileName().toStdString());
        QFAIL("no error");
    } catch (const DataError& error) {
        QVERIFY(QString(error.what()).contains("junk.ckpt"));
    }
    // One of our own model files is a torch archive, but not an official checkpoint.
    MimoConv model(tinyConfig(1, ConvBinding::None));
    const auto ours = dir_.filePath("ours.pt").toStdString();
    saveConvModel(ours, model, ModelCard{});
    QVERIFY_THROWS_EXCEPTION(DataError, importOfficialCheckpoint(ours, dir_.filePath("x.pt").toStdString(), {}));
    QVERIFY_THROWS_EXCEPTION(DataError, inferOfficialArchitecture(dir_.filePath("absent.ckpt").toStdString()));
}

void MimoConvTest::oneCycleMatchesPyTorchSchedule()
{
    // Values of torch.optim.lr_scheduler.OneCycleLR(max_lr=0.2, total_steps=100) with its
    // defaults (pct_start 0.3, div 25, final_div 1e4, momentum 0.85..0.95).
    OneCycle schedule;
    schedule.maxLr = 0.2;
    schedule.totalSteps = 100;
    QVERIFY(qAbs(schedule.learningRate(0) - 0.008) < 1e-12);
    QVERIFY(qAbs(schedule.learningRate(29) - 0.2) < 1e-12);
    QVERIFY(qAbs(schedule.learningRate(99) - 8e-7) < 1e-15);
    QVERIFY(qAbs(schedule.momentum(0) - 0.95) < 1e-12);
    QVERIFY(qAbs(schedule.momentum(29) - 0.85) < 1e-12);
    QVERIFY(qAbs(schedule.momentum(99) - 0.95) < 1e-12);
    // Half-way up the warm-up: the cosine midpoint of 0.008 and 0.2.
    QVERIFY(qAbs(schedule.learningRate(int64_t(14.5 * 2) / 2) - (0.2 + (0.008 - 0.2) / 2 * (1 + std::cos(M_PI * 14.0 / 29.0)))) < 1e-12);
    for (int64_t step = 30; step < 99; ++step)
        QVERIFY(schedule.learningRate(step + 1) < schedule.learningRate(step));

    // anneal_strategy='linear' (MIMOFormer's AdamW schedule, beta1 cycled like momentum).
    schedule.anneal = OneCycle::Anneal::Linear;
    schedule.maxLr = 1e-4;
    schedule.totalSteps = 1000;
    schedule.pctStart = 0.1; // warm-up 100 of 1000 steps
    QVERIFY(qAbs(schedule.learningRate(0) - 4e-6) < 1e-15);
    QVERIFY(qAbs(schedule.learningRate(99) - 1e-4) < 1e-15);
    QVERIFY(qAbs(schedule.learningRate(49) - (4e-6 + (1e-4 - 4e-6) * 49.0 / 99.0)) < 1e-15);
    QVERIFY(qAbs(schedule.learningRate(999) - 4e-10) < 1e-18);
    QVERIFY(qAbs(schedule.momentum(99) - 0.85) < 1e-12);
    QVERIFY(qAbs(schedule.momentum(549) - 0.90) < 1e-12); // half-way down: linear midpoint
}

void MimoConvTest::evaluationCountsAndInterval()
{
    const auto [low, high] = wilsonInterval(50, 100);
    QVERIFY(qAbs(low - 0.4038) < 1e-3 && qAbs(high - 0.5962) < 1e-3);
    auto set = std::make_shared<ImageSet>();
    set->count = 13;
    set->channels = 1;
    set->height = set->width = 8;
    set->pixels.resize(13 * 64);
    for (size_t i = 0; i < set->pixels.size(); ++i)
        set->pixels[i] = uint8_t((i * 37) % 256);
    for (int i = 0; i < 13; ++i)
        set->labels.push_back(i % 3);
    ImageSetDataset data("thirteen", set, {"a", "b", "c"});
    torch::manual_seed(7);
    MimoConv model(tinyConfig(4));
    randomiseBatchNorm(model);
    EvalConfig config;
    config.ns = {1, 2, 4};
    config.batch = 8;
    const auto report = evaluateConv(model, data, config);
    QCOMPARE(int(report.rows.size()), 3);
    for (const auto& row : report.rows) {
        QCOMPARE(row.count, size_t(13)); // the padded copies of the last batch are not counted
        QVERIFY(row.inputsPerSecond > 0);
        QCOMPARE(int(row.perClassAccuracy.size()), 3);
    }
    // N=1 predictions do not depend on the batch: check them one by one.
    std::vector<std::size_t> all(13);
    std::iota(all.begin(), all.end(), 0);
    model->eval();
    const auto predicted = model->forward(imageBatch(data, all, model->config()), 1).argmax(1);
    int correct = 0;
    for (int i = 0; i < 13; ++i)
        correct += predicted[i].item<int64_t>() == i % 3;
    QCOMPARE(report.rows[0].correct, size_t(correct));
    QCOMPARE(report.rows[0].speedup, 1.0);
    config.limit = 5;
    QCOMPARE(evaluateConv(model, data, config).rows[1].count, size_t(5));
    config.ns = {3};
    QVERIFY_THROWS_EXCEPTION(mimo::Error, evaluateConv(model, data, config));
    auto wrong = tinyConfig(4);
    wrong.input.height = wrong.input.width = 10;
    MimoConv wrongModel(wrong);
    config.ns = {1};
    QVERIFY_THROWS_EXCEPTION(mimo::Error, evaluateConv(wrongModel, data, config));
}

void MimoConvTest::trainingRunsAndResumesExactly()
{
    ConvTrainConfig config = tinyTraining(dir_.filePath("tinyset"), 96, 30);
    config.epochs = 3;
    config.lowN = 1;
    config.cropPadding = 1;
    config.evalEveryEpochs = 1;
    config.curveEvalLimit = 10;
    config.output = dir_.filePath("full.pt").toStdString();
    config.command = "test";
    std::vector<TrainProgress> events;
    const auto full = trainConv(config, [&](const TrainProgress& p) { events.push_back(p); });
    QVERIFY(!full.cancelled);
    QCOMPARE(events.back().step, int64_t(3 * 2 * 6)); // 96 / (8*2) = 6 steps per pass, 2 passes per epoch
    QCOMPARE(int(full.card.curve.size()), 3);        // after epochs 1 and 2, and the final evaluation
    QCOMPARE(full.card.testAccuracy.size(), size_t(2));
    QVERIFY(full.card.trainingSeconds > 0);
    QCOMPARE(full.card.trainingCommand, std::string("test"));

    // The same run, stopped after 7 steps and resumed, ends with the same weights.
    config.output = dir_.filePath("resumed.pt").toStdString();
    std::atomic<bool> stop{false};
    const auto first = trainConv(config, [&](const TrainProgress& p) { if (p.step == 7) stop = true; }, &stop);
    QVERIFY(first.cancelled);
    QVERIFY(QFile::exists(dir_.filePath("resumed.pt.ckpt")));
    bool resumedMessage = false;
    const auto second = trainConv(config, [&](const TrainProgress& p) {
        resumedMessage |= p.message.find("resumed") != std::string::npos;
    });
    QVERIFY(resumedMessage);
    auto a = loadConvModel(dir_.filePath("full.pt").toStdString());
    auto b = loadConvModel(dir_.filePath("resumed.pt").toStdString());
    const auto pa = a.model->named_parameters();
    const auto pb = b.model->named_parameters();
    for (const auto& item : pa)
        QVERIFY2(maxDiff(item.value(), pb[item.key()]) < 1e-6, item.key().c_str());

    // A checkpoint of another configuration is refused, not silently reused.
    config.maxLr = 0.1;
    QVERIFY_THROWS_EXCEPTION(DataError, trainConv(config));
    config.restart = true;
    config.epochs = 0.2;
    QVERIFY(!trainConv(config).cancelled);
}

void MimoConvTest::trainingCanStartFromAModelFile()
{
    ConvTrainConfig config = tinyTraining(dir_.filePath("initset"), 32, 10);
    config.maxLr = 0.0; // the parameters stay where they started
    config.seed = 11;

    torch::manual_seed(5);
    MimoConv start(config.architecture);
    ModelCard startCard;
    startCard.name = "the start";
    startCard.testAccuracy = {{1, 0.5}};
    const std::string startPath = dir_.filePath("start.pt").toStdString();
    saveConvModel(startPath, start, startCard);

    config.initialWeights = startPath;
    config.output = dir_.filePath("from-start.pt").toStdString();
    const auto fromStart = trainConv(config);
    QVERIFY(fromStart.card.notes.find("Started from the weights of " + startPath + " (the start; test accuracy N=1 "
                                      "50.00 %)") != std::string::npos);
    config.initialWeights.clear();
    config.output = dir_.filePath("fresh.pt").toStdString();
    trainConv(config);
    const auto expected = start->named_parameters();
    const auto continued = loadConvModel(dir_.filePath("from-start.pt").toStdString()).model->named_parameters();
    const auto fresh = loadConvModel(dir_.filePath("fresh.pt").toStdString()).model->named_parameters();
    double freshDiff = 0.0;
    for (const auto& item : expected) {
        QVERIFY2(maxDiff(item.value(), continued[item.key()]) == 0.0, item.key().c_str());
        freshDiff = std::max(freshDiff, maxDiff(item.value(), fresh[item.key()]));
    }
    QVERIFY(freshDiff > 1e-3); // without --init: another initialisation

    // Another architecture, or a file that is no model, is named and refused before any step.
    MimoConv wider(tinyConfig(4));
    const std::string widerPath = dir_.filePath("wider.pt").toStdString();
    saveConvModel(widerPath, wider, ModelCard{});
    config.initialWeights = widerPath;
    config.output = dir_.filePath("refused.pt").toStdString();
    try {
        trainConv(config);
        QFAIL("a model of another architecture was accepted");
    } catch (const DataError& e) {
        QCOMPARE(e.source(), widerPath);
        QVERIFY2(std::string(e.what()).find("not the one being trained") != std::string::npos, e.what());
    }
    config.initialWeights = dir_.filePath("initset/train-images-idx3-ubyte").toStdString();
    QVERIFY_THROWS_EXCEPTION(DataError, trainConv(config));
    QVERIFY(!QFile::exists(dir_.filePath("refused.pt")));
}

void MimoConvTest::distillationLossIsTheTemperedKullbackLeibler()
{
    const auto logits = torch::tensor({{1.0, 2.0, 3.0}, {0.5, -1.0, 0.0}}, torch::kDouble).requires_grad_(true);
    const auto targets = torch::tensor({{0.2, 0.3, 0.5}, {1.0, 0.0, 0.0}}, torch::kDouble);
    const double t = 2.0;
    const auto loss = distillationLoss(logits, targets, t);
    // By hand: T^2 * mean over rows of sum_k q_k (log q_k - log softmax(z / T)_k), 0 log 0 = 0.
    double expected = 0.0;
    const double z[2][3] = {{1.0, 2.0, 3.0}, {0.5, -1.0, 0.0}};
    const double q[2][3] = {{0.2, 0.3, 0.5}, {1.0, 0.0, 0.0}};
    for (int row = 0; row < 2; ++row) {
        double norm = 0.0;
        for (double v : z[row])
            norm += std::exp(v / t);
        for (int k = 0; k < 3; ++k)
            if (q[row][k] > 0)
                expected += q[row][k] * (std::log(q[row][k]) - (z[row][k] / t - std::log(norm)));
    }
    expected = t * t * expected / 2.0;
    QVERIFY2(std::abs(loss.item<double>() - expected) < 1e-12, std::to_string(loss.item<double>()).c_str());
    // Its gradient is T (softmax(z / T) - q) / B: no teacher, no gradient; the 0 target stays finite.
    loss.backward();
    const auto wanted = t * (torch::softmax(logits.detach() / t, 1) - targets) / 2.0;
    QVERIFY(maxDiff(logits.grad(), wanted) < 1e-12);
    // A student that already matches the teacher pays nothing.
    const auto same = distillationLoss(torch::log(targets.narrow(0, 0, 1)) * t, targets.narrow(0, 0, 1), t);
    QVERIFY(std::abs(same.item<double>()) < 1e-12);
}

void MimoConvTest::distillationTeachesTheTeachersAnswers()
{
    // A teacher that answers class 2 for every image, whatever it sees: a student trained only on
    // its soft targets learns that answer; the same training on the labels does not.
    ConvTrainConfig config = tinyTraining(dir_.filePath("distilset"), 48, 30);
    MimoConvConfig teacherArchitecture = tinyConfig(1, ConvBinding::None);
    teacherArchitecture.numClasses = 10;
    torch::manual_seed(3);
    MimoConv teacher(teacherArchitecture);
    {
        const torch::NoGradGuard noGrad;
        auto parameters = teacher->named_parameters();
        parameters["fc.weight"].zero_();
        parameters["fc.bias"].zero_();
        parameters["fc.bias"][2] = 8.0;
    }
    ModelCard teacherCard;
    teacherCard.name = "always two";
    const std::string teacherPath = dir_.filePath("teacher.pt").toStdString();
    saveConvModel(teacherPath, teacher, teacherCard);

    config.epochs = 4;
    config.maxLr = 0.1;
    config.mixupAlpha = 0.5; // the soft targets are mixed with the images
    config.distillation.teacherPath = teacherPath;
    config.distillation.weight = 1.0;
    config.distillation.temperature = 1.0;
    const auto shareOfTwos = [&](const std::string& path) {
        auto student = loadConvModel(path).model;
        student->eval();
        const torch::NoGradGuard noGrad;
        const auto test = openDataset(config.testData, DataOptions{});
        std::vector<std::size_t> all(test->size());
        std::iota(all.begin(), all.end(), std::size_t(0));
        const auto images = imageBatch(*test, all, student->config());
        return student->forward(images, 1).argmax(1).eq(2).to(torch::kDouble).mean().item<double>();
    };
    config.output = dir_.filePath("distilled.pt").toStdString();
    const auto distilled = trainConv(config);
    const std::string& notes = distilled.card.notes;
    QVERIFY2(notes.find("Distilled from " + teacherPath + " (always two; no test accuracy in its card): loss = 0.00 x "
                        "cross-entropy + 1.00 x T^2 KL(teacher || student) at temperature T = 1.00; the teacher is "
                        "right on 33.33 % of the training images") != std::string::npos,
             notes.c_str());
    QVERIFY(notes.find("not the paper's recipe") != std::string::npos);
    const double distilledTwos = shareOfTwos(config.output);

    config.distillation.teacherPath.clear();
    config.output = dir_.filePath("labels.pt").toStdString();
    const auto fromLabels = trainConv(config);
    QVERIFY(fromLabels.card.notes.find("Distilled") == std::string::npos);
    const double labelTwos = shareOfTwos(config.output);
    QVERIFY2(distilledTwos > 0.95 && labelTwos < 0.6,
             (std::to_string(distilledTwos) + " " + std::to_string(labelTwos)).c_str());

    // A teacher of another task, or a file that is no model, is named and refused before any step;
    // so are settings out of range.
    config.output = dir_.filePath("refused.pt").toStdString();
    MimoConvConfig threeClasses = teacherArchitecture;
    threeClasses.numClasses = 3;
    const std::string otherPath = dir_.filePath("three-classes.pt").toStdString();
    MimoConv otherTask(threeClasses);
    saveConvModel(otherPath, otherTask, ModelCard{});
    config.distillation.teacherPath = otherPath;
    const auto refusal = [&] { return mimo::testing::errorOf([&] { trainConv(config); }); };
    QVERIFY(refusal().startsWith(QString::fromStdString(otherPath) + ": the teacher has 3 classes"));
    MimoConvConfig wider = teacherArchitecture;
    wider.input.height = wider.input.width = 12;
    MimoConv otherSize(wider);
    saveConvModel(otherPath, otherSize, ModelCard{});
    QVERIFY(refusal().contains("reads 1x12x12 images"));
    config.distillation.teacherPath = dir_.filePath("distilset/train-labels-idx1-ubyte").toStdString();
    QVERIFY_THROWS_EXCEPTION(DataError, trainConv(config));
    config.distillation.teacherPath = teacherPath;
    config.distillation.weight = 1.5;
    QVERIFY_THROWS_EXCEPTION(mimo::Error, trainConv(config));
    QVERIFY(!QFile::exists(dir_.filePath("refused.pt")));
}

void MimoConvTest::benchmarkReportsEveryN()
{
    BenchConfig bench;
    bench.ns = {1, 2, 4};
    bench.batch = 8;
    bench.rounds = 2;
    const auto report = benchmarkArchitecture(tinyConfig(4), bench);
    QCOMPARE(int(report.rows.size()), 3);
    QCOMPARE(report.rows[0].speedup, 1.0);
    for (const auto& row : report.rows) {
        QCOMPARE(int(row.roundSeconds.size()), 2);
        QVERIFY(row.inputsPerSecond > 0);
    }
    QVERIFY(report.parameters > 0);
    bench.ns = {3};
    QVERIFY_THROWS_EXCEPTION(mimo::Error, benchmarkArchitecture(tinyConfig(4), bench));
    bench.ns = {4};
    bench.batch = 6;
    QVERIFY_THROWS_EXCEPTION(mimo::Error, benchmarkArchitecture(tinyConfig(4), bench));
}

QTEST_GUILESS_MAIN(MimoConvTest)
#include "test_mimoconv.moc"
