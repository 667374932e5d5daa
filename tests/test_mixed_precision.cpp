// Mixed precision (autocast to bfloat16 or float16), fp16 loss scaling and channels-last
// batches: the parts, and the commands as a user runs them. This machine has no GPU, so the
// autocast checks run on the CPU, whose autocast knows bfloat16 only.
#include <torch/torch.h> // before Qt: its `slots` macro breaks the torch headers

#include "cli_runner.h"
#include "core/errors.h"
#include "core/model/autocast_scope.h"
#include "core/model/model_file.h"
#include "core/train/loss_scaler.h"
#include "test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <limits>

namespace {

using namespace mimo::testing;

QJsonObject jsonOf(const Run& r) { return QJsonDocument::fromJson(r.out.toUtf8()).object(); }

QString bundled(const char* name) { return QString(qgetenv("MIMO_SOURCE_DIR")) + "/models/" + name; }

} // namespace

class MixedPrecisionTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void precisionNamesAndDevices();
    void autocastScopeCastsAndRestores();
    void lossScalerSkipsOverflowsAndGrows();
    void bf16AndChannelsLastLogitsStayClose();
    void evalAndBenchTakeThePrecision();
    void trainingUnderBf16WritesItInTheCard();
    void batchConfigFilesCarryThePrecision();

private:
    QTemporaryDir dir_;
};

void MixedPrecisionTest::precisionNamesAndDevices()
{
    QCOMPARE(mimo::parsePrecision("bf16"), mimo::Precision::Bf16);
    QCOMPARE(mimo::precisionName(mimo::Precision::Fp16), std::string("fp16"));
    QVERIFY_THROWS_EXCEPTION(mimo::Error, mimo::parsePrecision("fp8"));
    mimo::checkPrecisionOn(mimo::Precision::Bf16, "cpu");
    mimo::checkPrecisionOn(mimo::Precision::Fp32, "cpu");
    try {
        mimo::checkPrecisionOn(mimo::Precision::Fp16, "cpu");
        QFAIL("fp16 on the CPU was accepted");
    } catch (const mimo::Error& error) {
        QVERIFY(QString(error.what()).contains("fp16 mixed precision needs CUDA"));
    }
}

void MixedPrecisionTest::autocastScopeCastsAndRestores()
{
    const auto a = torch::randn({8, 16}), b = torch::randn({16, 4});
    QVERIFY(!mimo::autocastEnabled(c10::DeviceType::CPU));
    {
        const mimo::AutocastScope scope(mimo::Precision::Bf16, torch::Device(torch::kCPU));
        QVERIFY(mimo::autocastEnabled(c10::DeviceType::CPU));
        QCOMPARE(torch::matmul(a, b).scalar_type(), torch::kBFloat16);
        {
            const mimo::AutocastScope fp32(mimo::Precision::Fp32, torch::Device(torch::kCPU)); // changes nothing
            QCOMPARE(torch::matmul(a, b).scalar_type(), torch::kBFloat16);
        }
    }
    QVERIFY(!mimo::autocastEnabled(c10::DeviceType::CPU));
    QCOMPARE(torch::matmul(a, b).scalar_type(), torch::kFloat);
    // Channels-last applies to image batches only.
    const auto images = torch::randn({2, 3, 5, 5});
    QVERIFY(mimo::inLayout(images, true).is_contiguous(torch::MemoryFormat::ChannelsLast));
    QVERIFY(!mimo::inLayout(images, true).is_contiguous());
    QVERIFY(mimo::inLayout(images, false).is_contiguous());
    QCOMPARE(mimo::inLayout(a, true).strides(), a.strides());
}

void MixedPrecisionTest::lossScalerSkipsOverflowsAndGrows()
{
    auto weight = torch::ones({3}, torch::requires_grad());
    mimo::LossScaler scaler(true, 1024.0, 3);
    auto loss = (weight * torch::tensor({1.0f, 2.0f, 3.0f})).sum();
    QCOMPARE(scaler.scaled(loss).item<double>(), 6.0 * 1024.0);
    scaler.scaled(loss).backward();
    QVERIFY(scaler.unscale({weight}));
    QVERIFY(torch::allclose(weight.grad(), torch::tensor({1.0f, 2.0f, 3.0f})));
    // An overflow: the step is to be skipped and the scale halves.
    weight.mutable_grad().fill_(std::numeric_limits<float>::infinity());
    QVERIFY(!scaler.unscale({weight}));
    scaler.update(false);
    QCOMPARE(scaler.scale(), 512.0);
    // Three good steps in a row double it.
    for (int i = 0; i < 3; ++i)
        scaler.update(true);
    QCOMPARE(scaler.scale(), 1024.0);
    // It is kept in checkpoints; a scale out of range is refused.
    mimo::LossScaler restored(true);
    restored.restore(scaler.toJson());
    QCOMPARE(restored.scale(), 1024.0);
    QVERIFY_THROWS_EXCEPTION(mimo::Error, restored.restore(nlohmann::json{{"loss_scale", -3.0}, {"loss_scale_good_steps", 0}}));
    // Off (fp32, bf16): scale 1, nothing skipped, nothing kept.
    mimo::LossScaler off(false);
    QCOMPARE(off.scale(), 1.0);
    QVERIFY(off.unscale({weight}));
    QVERIFY(off.toJson().empty());
}

void MixedPrecisionTest::bf16AndChannelsLastLogitsStayClose()
{
    mimo::LoadedModel loaded = mimo::loadModel(bundled("fmnist-mimoconv-10-4.pt").toStdString());
    auto& model = loaded.conv();
    model->eval();
    torch::NoGradGuard noGrad;
    torch::manual_seed(3);
    const auto images = torch::randn({8, 1, 28, 28});
    for (int n : {1, 2, 4}) {
        mimo::ConvForwardOptions options;
        options.n = n;
        const auto reference = model->forward(images, options).logits;
        const auto channelsLast = model->forward(mimo::inLayout(images, true), options).logits;
        QVERIFY2(torch::allclose(channelsLast, reference, 1e-4, 1e-4), "channels-last changes the logits");
        torch::Tensor mixed;
        {
            const mimo::AutocastScope scope(mimo::Precision::Bf16, torch::Device(torch::kCPU));
            mixed = model->forward(images, options).logits.to(torch::kFloat);
        }
        // bfloat16 keeps 8 bits of mantissa: close, not equal.
        const double scale = reference.abs().max().item<double>();
        const double difference = (mixed - reference).abs().max().item<double>();
        QVERIFY2(difference < 0.1 * scale, qPrintable(QString("N=%1: %2 of %3").arg(n).arg(difference).arg(scale)));
        QVERIFY2(difference > 0.0, "autocast did not compute in bfloat16");
    }
}

void MixedPrecisionTest::evalAndBenchTakeThePrecision()
{
    const QStringList eval{"eval", "--model", bundled("fmnist-mimoconv-10-4.pt"), "--limit", "512", "--json"};
    const QJsonObject fp32 = jsonOf(run("mimo", eval));
    const Run bf16Run = run("mimo", eval + QStringList{"--precision", "bf16", "--channels-last"});
    QVERIFY2(bf16Run.exitCode == 0, qPrintable(bf16Run.err));
    const QJsonObject bf16 = jsonOf(bf16Run);
    QCOMPARE(bf16["precision"].toString(), QString("bf16"));
    QCOMPARE(bf16["channels_last"].toBool(), true);
    QCOMPARE(fp32["precision"].toString(), QString("fp32"));
    for (int i = 0; i < 3; ++i) {
        const double a = fp32["results"].toArray()[i].toObject()["accuracy"].toDouble();
        const double b = bf16["results"].toArray()[i].toObject()["accuracy"].toDouble();
        QVERIFY2(qAbs(a - b) <= 0.01, qPrintable(QString("fp32 %1, bf16 %2").arg(a).arg(b)));
    }
    const Run table = run("mimo", {"eval", "--model", bundled("fmnist-mimoconv-10-4.pt"), "--limit", "64",
                                   "--precision", "bf16"});
    QVERIFY2(table.out.contains("bf16 mixed precision"), qPrintable(table.out));
    const Run fp16 = run("mimo", eval + QStringList{"--precision", "fp16"});
    QCOMPARE(fp16.exitCode, 1);
    QVERIFY2(fp16.err.contains("fp16 mixed precision needs CUDA"), qPrintable(fp16.err));
    const Run unknown = run("mimo", eval + QStringList{"--precision", "fp64"});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.err.contains("fp32|bf16|fp16"), qPrintable(unknown.err));

    const Run bench = run("mimo", {"bench", "--arch", "fmnist-mimoconv", "--batch", "8", "--rounds", "1",
                                   "--precision", "bf16", "--channels-last", "--json"});
    QVERIFY2(bench.exitCode == 0, qPrintable(bench.err));
    QCOMPARE(jsonOf(bench)["precision"].toString(), QString("bf16"));
    QCOMPARE(jsonOf(bench)["results"].toArray().size(), 3);
    const Run former = run("mimo", {"bench", "--model", bundled("listops-short-mimoformer.pt"), "--batch", "8",
                                    "--rounds", "1", "--precision", "bf16"});
    QVERIFY2(former.exitCode == 0 && former.out.contains("bf16"), qPrintable(former.out + former.err));
}

void MixedPrecisionTest::trainingUnderBf16WritesItInTheCard()
{
    const QString data = dir_.filePath("idx");
    QDir().mkpath(data);
    writeTinyIdx(data.toStdString(), "train", 64, 8);
    writeTinyIdx(data.toStdString(), "t10k", 20, 8);
    const QString model = dir_.filePath("bf16.pt"), reference = dir_.filePath("fp32.pt");
    const QStringList recipe{"train", "conv", "--arch", "fmnist-mimoconv", "--depth", "10", "--width", "1",
                             "--stem", "8", "--capacity", "2", "--size", "8", "--data", "mnist:" + data + ":train",
                             "--test-data", "mnist:" + data + ":test", "--epochs", "1", "--batch", "8",
                             "--low-n", "1", "--mixup", "0"};
    const Run train = run("mimo", recipe + QStringList{"--precision", "bf16", "--out", model});
    QVERIFY2(train.exitCode == 0, qPrintable(train.out + train.err));
    QCOMPARE(run("mimo", recipe + QStringList{"--out", reference}).exitCode, 0);
    // fp32 is deterministic here (one thread): a second run ends exactly where the first did.
    const QString again = dir_.filePath("fp32-again.pt");
    QCOMPARE(run("mimo", recipe + QStringList{"--out", again}).exitCode, 0);
    // Channels-last batches train too.
    const Run channelsLast = run("mimo", recipe + QStringList{"--channels-last", "--out", dir_.filePath("nhwc.pt")});
    QVERIFY2(channelsLast.exitCode == 0, qPrintable(channelsLast.err));
    QFile card(model + ".md");
    QVERIFY(card.open(QIODevice::ReadOnly));
    QVERIFY(QString::fromUtf8(card.readAll()).contains("Mixed precision: autocast to bfloat16"));
    // The card's test accuracy is the model's in float32, as `mimo eval` measures it by default.
    const QJsonObject info = jsonOf(run("mimo", {"info", model, "--json"}));
    const Run eval = run("mimo", {"eval", "--model", model, "--data", "mnist:" + data + ":test", "--json"});
    QVERIFY2(eval.exitCode == 0, qPrintable(eval.err));
    const QJsonArray rows = jsonOf(eval)["results"].toArray();
    QCOMPARE(rows.size(), 2);
    for (const auto& row : rows) {
        const QString n = QString::number(row.toObject()["n"].toInt());
        QCOMPARE(row.toObject()["accuracy"].toDouble(), info["test_accuracy"].toObject()[n].toDouble());
    }
    // The weights stay fp32 and load as any model's.
    mimo::LoadedModel loaded = mimo::loadModel(model.toStdString());
    for (const auto& parameter : loaded.module().parameters())
        QCOMPARE(parameter.scalar_type(), torch::kFloat);
    // The same seed and steps in fp32 end elsewhere: the steps really ran in bfloat16.
    mimo::LoadedModel fp32 = mimo::loadModel(reference.toStdString());
    mimo::LoadedModel fp32Again = mimo::loadModel(again.toStdString());
    const auto repeated = fp32Again.module().named_parameters();
    for (const auto& item : fp32.module().named_parameters())
        QVERIFY(torch::equal(item.value(), repeated[item.key()]));
    double largest = 0.0;
    const auto references = fp32.module().named_parameters();
    for (const auto& item : loaded.module().named_parameters()) {
        QVERIFY(torch::isfinite(item.value()).all().item<bool>());
        largest = std::max(largest, (item.value() - references[item.key()]).abs().max().item<double>());
    }
    QVERIFY2(largest > 1e-6, qPrintable(QString("bf16 and fp32 weights differ by %1 at most").arg(largest)));
    const Run fp16 = run("mimo", {"train", "conv", "--data", "mnist:" + data + ":train", "--test-data",
                                  "mnist:" + data + ":test", "--precision", "fp16", "--out", dir_.filePath("fp16.pt")});
    QCOMPARE(fp16.exitCode, 1);
    QVERIFY2(fp16.err.contains("fp16 mixed precision needs CUDA"), qPrintable(fp16.err));
}

void MixedPrecisionTest::batchConfigFilesCarryThePrecision()
{
    const QString config = dir_.filePath("batch.json");
    writeFile(config, QString(R"({"models": ["%1"], "limit": 32, "precision": "bf16", "channels_last": true})")
                          .arg(bundled("fmnist-mimoconv-10-4.pt"))
                          .toUtf8());
    const QString out = dir_.filePath("batch-out");
    const Run r = run("mimo", {"eval", "--config", config, "--out", out});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QFile written(out + "/config.json");
    QVERIFY(written.open(QIODevice::ReadOnly));
    const QJsonObject saved = QJsonDocument::fromJson(written.readAll()).object();
    QCOMPARE(saved["precision"].toString(), QString("bf16"));
    QCOMPARE(saved["channels_last"].toBool(), true);
    writeFile(config, R"({"models": ["m.pt"], "precision": "fp12"})");
    const Run bad = run("mimo", {"eval", "--config", config});
    QCOMPARE(bad.exitCode, 1);
    QVERIFY2(bad.err.contains("precision") && bad.err.contains("fp12"), qPrintable(bad.err));
}

QTEST_GUILESS_MAIN(MixedPrecisionTest)
#include "test_mixed_precision.moc"
