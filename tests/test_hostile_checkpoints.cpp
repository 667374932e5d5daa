// Training checkpoints (issue 15): written with torch::pickle_save and read back only by our
// checked reader. Round trips of SGD (as `train conv` uses it) and AdamW (`train former`) restore
// weights, optimizer state and generator exactly; damaged and hostile checkpoints are refused
// with a DataError naming the file and the field, before anything of the training is changed,
// and never crash. The end-to-end resume of both trainers is tested in test_mimoconv and
// test_former_pipeline.
#include "core/errors.h"
#include "core/model/mimo_conv.h"
#include "core/model/mimo_former.h"
#include "core/train/checkpoint.h"
#include "core/train/checkpoint_file.h"
#include "core/train/optimizer_state.h"
#include "hostile_archive.h"
#include "tiny_archive.h"
#include "test_support.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <sys/stat.h>

using namespace mimo;
using namespace mimo::testing;

namespace {

enum Recipe { ConvSgd, FormerAdamW, FormerAmsgrad };

constexpr const char* kFingerprint = "fingerprint of the tiny training";

// A model and the optimizer its trainer uses.
struct Training {
    std::shared_ptr<torch::nn::Module> model;
    std::unique_ptr<torch::optim::Optimizer> optimizer;
};

MimoFormerConfig tinyFormerConfig()
{
    MimoFormerConfig config;
    config.vocabularySize = 20;
    config.maxLength = 16;
    config.dim = 8;
    config.ffDim = 12;
    config.heads = 2;
    config.headDim = 4;
    config.layers = 1;
    config.numClasses = 3;
    config.features = 8;
    return config;
}

// The parameter groups and options of conv_trainer.cpp and former_trainer.cpp.
Training buildTraining(Recipe recipe, uint64_t seed)
{
    torch::manual_seed(seed);
    Training training;
    if (recipe == ConvSgd) {
        MimoConv model(tinyHostileConfig(3));
        auto [noDecay, decay] = model->parametersByDecay();
        using torch::optim::SGDOptions;
        std::vector<torch::optim::OptimizerParamGroup> groups;
        groups.emplace_back(decay, std::make_unique<SGDOptions>(SGDOptions(0.1).momentum(0.9).weight_decay(5e-4)));
        groups.emplace_back(noDecay, std::make_unique<SGDOptions>(SGDOptions(0.1).momentum(0.9)));
        training.optimizer = std::make_unique<torch::optim::SGD>(groups, SGDOptions(0.1));
        training.model = model.ptr();
    } else {
        MimoFormer model(tinyFormerConfig());
        training.optimizer = std::make_unique<torch::optim::AdamW>(
            model->parameters(), torch::optim::AdamWOptions(1e-2).eps(1e-6).amsgrad(recipe == FormerAmsgrad));
        training.model = model.ptr();
    }
    return training;
}

// Steps on a loss of every other parameter: the rest get no gradient and so no optimizer state,
// as parameters that the first steps of a training do not reach.
void takeSteps(Training& training, int steps)
{
    for (int s = 0; s < steps; ++s) {
        training.optimizer->zero_grad();
        const auto parameters = training.model->parameters();
        torch::Tensor loss = torch::zeros({});
        for (std::size_t i = 0; i < parameters.size(); i += 2)
            loss = loss + (parameters[i] * torch::randn_like(parameters[i])).sum();
        loss.backward();
        training.optimizer->step();
    }
}

// Trained for three steps once per recipe; its checkpoint is what the hostile files change.
Training& trained(Recipe recipe)
{
    static std::map<Recipe, Training> fixtures;
    if (!fixtures.count(recipe)) {
        fixtures[recipe] = buildTraining(recipe, 1);
        takeSteps(fixtures[recipe], 3);
    }
    return fixtures[recipe];
}

const nlohmann::json& trainerJson()
{
    static const nlohmann::json trainer{{"fingerprint", kFingerprint}, {"step", 3}};
    return trainer;
}

at::Tensor generatorState()
{
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    return generator.get_state();
}

// The checkpoint of a trained fixture with every tensor copied, so a change leaves the fixture alone.
CheckpointContents contentsOf(Recipe recipe)
{
    Training& training = trained(recipe);
    CheckpointContents contents = trainingCheckpointContents(*training.model, *training.optimizer, trainerJson());
    for (auto& [name, tensor] : contents.model)
        tensor = tensor.clone();
    for (auto& parameter : contents.optimizer.parameters)
        for (auto& [name, tensor] : parameter.tensors)
            tensor = tensor.clone();
    contents.rng = contents.rng.clone();
    return contents;
}

QByteArray encoded(const CheckpointContents& contents, const std::string& checksum)
{
    const std::vector<char> file = encodeCheckpoint(contents, checksum);
    return QByteArray(file.data(), qsizetype(file.size()));
}

// A checkpoint of `recipe` changed by `change`, carrying the checksum of the changed contents, so
// that the refusal comes from the change itself.
QByteArray changed(Recipe recipe, const std::function<void(CheckpointContents&)>& change)
{
    CheckpointContents contents = contentsOf(recipe);
    change(contents);
    return encoded(contents, checkpointChecksum(contents));
}

// The generator state's words as CPUGeneratorImpl.cpp lays them out (LibTorch 1.13):
// the seed (8 bytes), `left` (int), `seeded` (int), `next` (8 bytes), then the state array.
QByteArray changedGenerator(int32_t left, int32_t seeded, uint64_t next)
{
    return changed(ConvSgd, [&](CheckpointContents& c) {
        auto* bytes = c.rng.data_ptr<uint8_t>();
        std::memcpy(bytes + 8, &left, 4);
        std::memcpy(bytes + 12, &seeded, 4);
        std::memcpy(bytes + 16, &next, 8);
    });
}

// A checkpoint as the versions before this format wrote it (LibTorch's OutputArchive).
QByteArray outputArchiveCheckpoint(const QString& scratch)
{
    Training& training = trained(ConvSgd);
    torch::serialize::OutputArchive root, model, optimizer;
    training.model->save(model);
    training.optimizer->save(optimizer);
    root.write("model", model);
    root.write("optimizer", optimizer);
    root.write("rng", generatorState());
    root.write("trainer", c10::IValue(trainerJson().dump()));
    root.save_to(scratch.toStdString());
    QFile file(scratch);
    file.open(QIODevice::ReadOnly);
    return file.readAll();
}

std::map<std::string, at::Tensor> tensorsOf(const torch::nn::Module& model)
{
    std::map<std::string, at::Tensor> tensors;
    for (const auto& item : model.named_parameters())
        tensors[item.key()] = item.value().detach().clone();
    for (const auto& item : model.named_buffers())
        tensors[item.key()] = item.value().detach().clone();
    return tensors;
}

bool sameTensors(const std::map<std::string, at::Tensor>& a, const std::map<std::string, at::Tensor>& b)
{
    if (a.size() != b.size())
        return false;
    for (const auto& [name, tensor] : a)
        if (!b.count(name) || !torch::equal(tensor, b.at(name)))
            return false;
    return true;
}

} // namespace

class HostileCheckpointsTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(dir_.isValid()); }
    void roundTripRestoresTheTrainingExactly_data();
    void roundTripRestoresTheTrainingExactly();
    void hostileCheckpointsAreRefusedByName_data();
    void hostileCheckpointsAreRefusedByName();
    void specialFilesAreRefusedAndAMissingOneStartsAfresh();

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

void HostileCheckpointsTest::roundTripRestoresTheTrainingExactly_data()
{
    QTest::addColumn<int>("recipe");
    QTest::newRow("SGD with two parameter groups (train conv)") << int(ConvSgd);
    QTest::newRow("AdamW (train former)") << int(FormerAdamW);
    QTest::newRow("AdamW with amsgrad") << int(FormerAmsgrad);
}

void HostileCheckpointsTest::roundTripRestoresTheTrainingExactly()
{
    QFETCH(int, recipe);
    Training original = buildTraining(Recipe(recipe), 1);
    takeSteps(original, 3);
    const OptimizerState written = captureOptimizerState(*original.optimizer);
    QVERIFY(!written.parameters.empty());
    QVERIFY2(written.parameters.size() < std::size_t(original.model->parameters().size()),
             "every parameter has state: the positions of those that have none are not exercised");
    const std::string path = dir_.filePath("round-trip.ckpt").toStdString();
    writeTrainingCheckpoint(path, *original.model, *original.optimizer, trainerJson());
    const at::Tensor rngWritten = generatorState();

    Training resumed = buildTraining(Recipe(recipe), 2); // other weights and generator
    const auto trainer = readTrainingCheckpoint(path, *resumed.model, *resumed.optimizer, kFingerprint);
    QVERIFY(trainer.has_value());
    QCOMPARE(trainer->at("step").get<int>(), 3);
    QVERIFY(sameTensors(tensorsOf(*original.model), tensorsOf(*resumed.model)));
    QVERIFY(torch::equal(generatorState(), rngWritten));
    const OptimizerState restored = captureOptimizerState(*resumed.optimizer);
    QCOMPARE(restored.kind, written.kind);
    QCOMPARE(restored.groupSizes, written.groupSizes);
    QCOMPARE(restored.parameters.size(), written.parameters.size());
    for (std::size_t i = 0; i < written.parameters.size(); ++i) {
        QCOMPARE(restored.parameters[i].group, written.parameters[i].group);
        QCOMPARE(restored.parameters[i].index, written.parameters[i].index);
        QCOMPARE(restored.parameters[i].step, written.parameters[i].step);
        QVERIFY(sameTensors(restored.parameters[i].tensors, written.parameters[i].tensors));
    }

    // Both go on alike: the restored state is the optimizer's own, not a view of the file.
    takeSteps(resumed, 2);
    {
        auto generator = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        generator.set_state(rngWritten);
    }
    takeSteps(original, 2);
    QVERIFY(sameTensors(tensorsOf(*original.model), tensorsOf(*resumed.model)));
}

void HostileCheckpointsTest::hostileCheckpointsAreRefusedByName_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<int>("recipe"); // the training that reads it
    QTest::addColumn<QString>("expected");

    const QByteArray good = changed(ConvSgd, [](CheckpointContents&) {});
    QTest::newRow("truncated") << good.left(good.size() / 2) << int(ConvSgd) << "truncated";
    QTest::newRow("not a zip") << QByteArray("garbage") << int(ConvSgd) << "not a readable training checkpoint";
    {
        CheckpointContents contents = contentsOf(ConvSgd);
        const std::string checksum = checkpointChecksum(contents);
        contents.model.at("fc.weight").view({-1})[3].add_(0.5);
        QTest::newRow("a changed weight, zip CRC valid") << encoded(contents, checksum) << int(ConvSgd)
                                                         << "does not match its checksum";
        contents = contentsOf(FormerAdamW);
        const std::string adamChecksum = checkpointChecksum(contents);
        contents.optimizer.parameters.back().step = 1000;
        QTest::newRow("a changed AdamW step") << encoded(contents, adamChecksum) << int(FormerAdamW)
                                              << "does not match its checksum";
    }
    const ParameterState first = contentsOf(ConvSgd).optimizer.parameters[0];
    QTest::newRow("optimizer state of the wrong shape")
        << changed(ConvSgd, [](CheckpointContents& c) { c.optimizer.parameters[0].tensors["momentum_buffer"] = torch::zeros({5}); })
        << int(ConvSgd)
        << QString("the optimizer state for parameter %1 (group %2) has momentum_buffer of shape [5] but the parameter is [")
               .arg(first.index)
               .arg(first.group);
    QTest::newRow("optimizer state of doubles") << changed(ConvSgd, [](CheckpointContents& c) {
        auto& buffer = c.optimizer.parameters[0].tensors["momentum_buffer"];
        buffer = buffer.to(torch::kDouble);
    }) << int(ConvSgd) << "has momentum_buffer of Double values but the parameter holds Float";
    QTest::newRow("optimizer state for parameter 9999") << changed(ConvSgd, [](CheckpointContents& c) {
        c.optimizer.parameters[0].index = 9999;
    }) << int(ConvSgd) << "names parameter 9999 of group 0, which does not exist";
    QTest::newRow("optimizer state twice for one parameter") << changed(ConvSgd, [](CheckpointContents& c) {
        c.optimizer.parameters.push_back(c.optimizer.parameters[0]);
    }) << int(ConvSgd) << "twice";
    QTest::newRow("other parameter groups") << changed(ConvSgd, [](CheckpointContents& c) {
        c.optimizer.groupSizes = {c.optimizer.groupSizes[0] + c.optimizer.groupSizes[1]};
    }) << int(ConvSgd) << "has 1 parameter group(s)";
    QTest::newRow("SGD state for an AdamW training") << good << int(FormerAdamW)
                                                     << "the optimizer state is sgd but this training uses adamw";
    QTest::newRow("AdamW state without its step") << changed(FormerAdamW, [](CheckpointContents& c) {
        c.optimizer.parameters[0].step.reset();
    }) << int(FormerAdamW) << "has no step count of 1 or more";
    QTest::newRow("AdamW state without exp_avg_sq") << changed(FormerAdamW, [](CheckpointContents& c) {
        c.optimizer.parameters[0].tensors.erase("exp_avg_sq");
    }) << int(FormerAdamW) << "holds exp_avg but adamw keeps exp_avg, exp_avg_sq";
    QTest::newRow("AdamW state without amsgrad's maximum") << changed(FormerAdamW, [](CheckpointContents&) {})
                                                           << int(FormerAmsgrad) << "keeps exp_avg, exp_avg_sq, max_exp_avg_sq";
    QTest::newRow("rng of the wrong size") << changed(ConvSgd, [](CheckpointContents& c) {
        c.rng = torch::zeros({100}, torch::kUInt8);
    }) << int(ConvSgd) << "the random generator state is [100] Byte values but this program's generator keeps";
    QTest::newRow("rng of floats") << changed(ConvSgd, [](CheckpointContents& c) { c.rng = c.rng.to(torch::kFloat); })
                                   << int(ConvSgd) << "Float values";
    QTest::newRow("rng never seeded") << changedGenerator(1, 0, 0) << int(ConvSgd) << "not a valid state";
    QTest::newRow("rng position past its words") << changedGenerator(624, 1, 624) << int(ConvSgd)
                                                 << "points past its own words";
    QTest::newRow("model tensor of doubles") << changed(ConvSgd, [](CheckpointContents& c) {
        c.model["fc.weight"] = c.model["fc.weight"].to(torch::kDouble);
    }) << int(ConvSgd) << "tensor fc.weight holds Double values but the model's holds Float";
    QTest::newRow("model tensor of another shape") << changed(ConvSgd, [](CheckpointContents& c) {
        c.model["fc.weight"] = torch::zeros({2, 2});
    }) << int(ConvSgd) << "shape mismatch for 1 tensor(s): fc.weight is [2, 2]";
    QTest::newRow("model tensor missing") << changed(ConvSgd, [](CheckpointContents& c) { c.model.erase("fc.bias"); })
                                          << int(ConvSgd) << "are missing: fc.bias";
    QTest::newRow("another configuration") << changed(ConvSgd, [](CheckpointContents& c) {
        c.trainer = R"({"fingerprint": "another", "step": 3})";
    }) << int(ConvSgd) << "belongs to a different training configuration";
    QTest::newRow("trainer state not JSON") << changed(ConvSgd, [](CheckpointContents& c) { c.trainer = "{"; })
                                            << int(ConvSgd) << "the trainer state is not valid JSON";
    QTest::newRow("trainer state nested 100000 deep") << changed(ConvSgd, [](CheckpointContents& c) {
        c.trainer = std::string(100000, '[') + std::string(100000, ']');
    }) << int(ConvSgd) << "nested more than 16 levels deep";

    // The archive itself, before any field is read.
    QTest::newRow("lists nested a million deep")
        << bytes(pickleArchive(PickleWriter().raw(std::string(1000000, ']') + std::string(999999, 'a')).finish()))
        << int(ConvSgd) << "nested more than 100 levels deep";
    ModelArchive outOfBounds = tinyHostileArchive(3);
    outOfBounds.format = kCheckpointFormatTag;
    outOfBounds.mutate["conv1.weight"] = [](TensorRecord& r) { r.offset = 1000000000; };
    QTest::newRow("storage offset past its storage") << bytes(outOfBounds.build()) << int(ConvSgd)
                                                     << "reads element 1000000071 of a storage of 72";
    QTest::newRow("a model file") << bytes(tinyHostileArchive(3).build()) << int(ConvSgd)
                                  << "not a MIMO Explorer training checkpoint (format tag 'mimo-explorer-model')";
    QTest::newRow("written by LibTorch's OutputArchive (earlier versions)")
        << outputArchiveCheckpoint(dir_.filePath("output-archive.ckpt")) << int(ConvSgd)
        << "written by an earlier version of MIMO Explorer, whose checkpoints are no longer read; delete it or pass "
           "--restart";
}

void HostileCheckpointsTest::hostileCheckpointsAreRefusedByName()
{
    QFETCH(QByteArray, content);
    QFETCH(int, recipe);
    QFETCH(QString, expected);
    const std::string path = write("hostile.ckpt", content);
    Training target = buildTraining(Recipe(recipe), 2);
    const auto weights = tensorsOf(*target.model);
    const at::Tensor rng = generatorState();
    QElapsedTimer timer;
    timer.start();
    const QString error = errorOf([&] { readTrainingCheckpoint(path, *target.model, *target.optimizer, kFingerprint); });
    QVERIFY2(error.startsWith(QString::fromStdString(path)) && error.contains(expected), qPrintable(error));
    QVERIFY2(timer.elapsed() < mimo::testing::hangLimitMs(10000), qPrintable(QString::number(timer.elapsed())));
    // Refused before anything of the training was changed.
    QVERIFY(sameTensors(weights, tensorsOf(*target.model)));
    QVERIFY(target.optimizer->state().empty());
    QVERIFY(torch::equal(rng, generatorState()));
}

void HostileCheckpointsTest::specialFilesAreRefusedAndAMissingOneStartsAfresh()
{
    namespace fs = std::filesystem;
    Training target = buildTraining(ConvSgd, 2);
    const auto read = [&](const QString& name) {
        return readTrainingCheckpoint(dir_.filePath(name).toStdString(), *target.model, *target.optimizer, kFingerprint);
    };
    QVERIFY(!read("absent.ckpt").has_value());

    QVERIFY(QDir().mkpath(dir_.filePath("folder.ckpt")));
    QVERIFY(::mkfifo(dir_.filePath("fifo.ckpt").toLocal8Bit().constData(), 0600) == 0);
    fs::create_symlink("nowhere.ckpt", dir_.filePath("dangling.ckpt").toStdString());
    const std::string huge = write("huge.ckpt", "PK");
    fs::resize_file(huge, kMaxTrainingCheckpointBytes + 1); // sparse: nothing on disk
    const std::map<QString, QString> expected{{"folder.ckpt", "is a directory"},
                                              {"fifo.ckpt", "FIFO"},
                                              {"dangling.ckpt", "symbolic link to nothing"},
                                              {"huge.ckpt", "more than the 4294967296 this program reads"}};
    for (const auto& [name, problem] : expected) {
        const QString file = name; // C++17 lambdas cannot capture a structured binding (clang refuses)
        const QString error = errorOf([&] { read(file); });
        QVERIFY2(error.startsWith(dir_.filePath(name)) && error.contains(problem), qPrintable(name + ": " + error));
    }
    fs::remove(huge);
}

QTEST_GUILESS_MAIN(HostileCheckpointsTest)
#include "test_hostile_checkpoints.moc"
