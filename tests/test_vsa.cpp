#include "core/errors.h"
#include "core/vsa/hrr.h"
#include "core/vsa/interference.h"
#include "core/vsa/interference_theory.h"
#include "core/vsa/keys.h"
#include "core/vsa/seeded_random.h"

#include <ATen/ATen.h>

#include <QtTest>

#include <cmath>
#include <functional>
#include <limits>

using namespace mimo;
using namespace mimo::vsa;

namespace {

at::Tensor directCircularConvolution(const at::Tensor& k, const at::Tensor& x)
{
    const int64_t d = k.size(0);
    auto out = at::zeros({d}, at::kDouble);
    for (int64_t j = 0; j < d; ++j) {
        double sum = 0.0;
        for (int64_t m = 0; m < d; ++m)
            sum += k[m].item<double>() * x[((j - m) % d + d) % d].item<double>();
        out[j] = sum;
    }
    return out;
}

at::Tensor directCircularCorrelation(const at::Tensor& k, const at::Tensor& s)
{
    const int64_t d = k.size(0);
    auto out = at::zeros({d}, at::kDouble);
    for (int64_t j = 0; j < d; ++j) {
        double sum = 0.0;
        for (int64_t m = 0; m < d; ++m)
            sum += k[m].item<double>() * s[(j + m) % d].item<double>();
        out[j] = sum;
    }
    return out;
}

double maxAbsDiff(const at::Tensor& a, const at::Tensor& b) { return (a - b).abs().max().item<double>(); }

at::Tensor gaussianInputs(int64_t n, int64_t d, uint64_t seed)
{
    return makeKeys(KeyFamily::Gaussian, n, d, seed ^ 0x5eedULL).to(at::kDouble);
}

// Runs the official binding the way PyTorch's Conv1d does it: circular padding of C0/2 on
// each side, cross-correlation per group, then the first output dropped.
at::Tensor officialChannelConvBinding(const at::Tensor& weight, const at::Tensor& x)
{
    const int64_t c0 = x.size(2);
    const int64_t pad = c0 / 2;
    const auto padded = at::cat({x.narrow(2, c0 - pad, pad), x, x.narrow(2, 0, pad)}, 2);
    const auto out = at::conv1d(padded, weight, at::Tensor(), at::IntArrayRef{1}, at::IntArrayRef{0}, at::IntArrayRef{1}, x.size(1));
    return out.narrow(2, 1, c0);
}

// A call that must be refused, as a column of a _data() table.
using RejectedCall = std::function<void()>;

} // namespace

Q_DECLARE_METATYPE(RejectedCall)

class VsaTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void bindMatchesDirectConvolution_data();
    void bindMatchesDirectConvolution();
    void bindAlongChannelDimensionOfImageTensor();
    void approximateUnbindIsCircularCorrelation();
    void involutionReversesIndices();
    void exactUnbindRecoversASingleInput();
    void exactUnbindGuardsDeadFrequencies();
    void mapBindingWithBipolarKeysIsSelfInverse();
    void mapExactUnbindDivides();
    void bundleAndCosine();
    void badShapesAreRejected_data();
    void badShapesAreRejected();
    void seededRandomFollowsTheStandardEngine();
    void keysAreReproducible();
    void keyFamiliesHaveTheirStatistics();
    void orthogonalKeysNeedRoom();
    void keySimilarityMatrix();
    void officialChannelConvMapsToKeys();
    void officialMapRejectsOddOrMisshapenWeights_data();
    void officialMapRejectsOddOrMisshapenWeights();
    void interferenceDecomposesExactly();
    void singleInputRecoveryIsExactWhereTheorySaysSo();
    void interferenceMatchesClosedForm_data();
    void interferenceMatchesClosedForm();
    void interferenceGrowsWithN();
    void theoryEdgeCases();
};

void VsaTest::bindMatchesDirectConvolution_data()
{
    QTest::addColumn<int>("dimension");
    QTest::newRow("even D=8") << 8;
    QTest::newRow("odd D=7") << 7;
    QTest::newRow("D=1") << 1;
    QTest::newRow("D=64") << 64;
}

void VsaTest::bindMatchesDirectConvolution()
{
    QFETCH(int, dimension);
    const auto k = makeKeys(KeyFamily::Gaussian, 1, dimension, 3)[0].to(at::kDouble);
    const auto x = makeKeys(KeyFamily::Gaussian, 1, dimension, 4)[0].to(at::kDouble);
    const auto bound = hrrBind(k, x);
    QCOMPARE(bound.size(0), int64_t(dimension));
    QVERIFY(maxAbsDiff(bound, directCircularConvolution(k, x)) < 1e-12);
    // Binding commutes.
    QVERIFY(maxAbsDiff(bound, hrrBind(x, k)) < 1e-12);
}

void VsaTest::bindAlongChannelDimensionOfImageTensor()
{
    // MIMOConv binds over the channels of a [B, C, H, W] tensor, the same key at every pixel.
    const auto x = makeKeys(KeyFamily::Gaussian, 2 * 6 * 3 * 4, 1, 9).reshape({2, 6, 3, 4}).to(at::kDouble);
    const auto k = makeKeys(KeyFamily::Gaussian, 1, 6, 10)[0].to(at::kDouble);
    const auto bound = hrrBind(k, x, 1);
    QCOMPARE(bound.sizes(), x.sizes());
    for (int b = 0; b < 2; ++b)
        for (int h = 0; h < 3; ++h)
            for (int w = 0; w < 4; ++w) {
                const auto pixel = x.index({b, at::indexing::Slice(), h, w});
                const auto expected = directCircularConvolution(k, pixel);
                QVERIFY(maxAbsDiff(bound.index({b, at::indexing::Slice(), h, w}), expected) < 1e-12);
            }
    // A negative dimension names the same axis.
    QVERIFY(maxAbsDiff(hrrBind(k, x.transpose(1, 3), -1), bound.transpose(1, 3)) < 1e-12);
}

void VsaTest::approximateUnbindIsCircularCorrelation()
{
    for (int d : {5, 16}) {
        const auto k = makeKeys(KeyFamily::Gaussian, 1, d, 11)[0].to(at::kDouble);
        const auto s = makeKeys(KeyFamily::Gaussian, 1, d, 12)[0].to(at::kDouble);
        const auto unbound = hrrUnbindApproximate(k, s);
        QVERIFY(maxAbsDiff(unbound, directCircularCorrelation(k, s)) < 1e-12);
        QVERIFY(maxAbsDiff(unbound, hrrBind(involution(k), s)) < 1e-12);
    }
}

void VsaTest::involutionReversesIndices()
{
    const auto k = at::arange(5, at::kDouble); // 0 1 2 3 4 -> 0 4 3 2 1
    const auto inv = involution(k);
    const double expected[] = {0, 4, 3, 2, 1};
    for (int i = 0; i < 5; ++i)
        QCOMPARE(inv[i].item<double>(), expected[i]);
    QVERIFY(maxAbsDiff(involution(inv), k) == 0.0);
}

void VsaTest::exactUnbindRecoversASingleInput()
{
    for (int d : {63, 64}) {
        const auto k = makeKeys(KeyFamily::Gaussian, 1, d, 21)[0].to(at::kDouble);
        const auto x = makeKeys(KeyFamily::Gaussian, 1, d, 22)[0].to(at::kDouble);
        const auto recovered = hrrUnbindExact(k, hrrBind(k, x), -1, 1e-9);
        QVERIFY2(maxAbsDiff(recovered, x) < 1e-9, qPrintable(QString::number(maxAbsDiff(recovered, x))));
        // The approximate inverse does not recover it: its error is the self-unbinding noise.
        QVERIFY(maxAbsDiff(hrrUnbindApproximate(k, hrrBind(k, x)), x) > 1e-2);
    }
}

void VsaTest::exactUnbindGuardsDeadFrequencies()
{
    // A constant key has only a DC component: every other frequency is dead.
    const int64_t d = 8;
    const auto k = at::ones({d}, at::kDouble);
    QCOMPARE(hrrNearZeroFrequencies(k).item<int64_t>(), int64_t(d / 2)); // 5 bins, 4 dead
    const auto x = makeKeys(KeyFamily::Gaussian, 1, d, 5)[0].to(at::kDouble);
    const auto recovered = hrrUnbindExact(k, hrrBind(k, x));
    QVERIFY(at::isfinite(recovered).all().item<bool>());
    // What survives is the DC part of x: its mean at every position.
    QVERIFY(maxAbsDiff(recovered, at::full({d}, x.mean().item<double>(), at::kDouble)) < 1e-12);
    // A healthy Gaussian key loses no frequency.
    QCOMPARE(hrrNearZeroFrequencies(makeKeys(KeyFamily::Gaussian, 1, 64, 1)[0]).item<int64_t>(), int64_t(0));
}

void VsaTest::mapBindingWithBipolarKeysIsSelfInverse()
{
    const auto k = makeKeys(KeyFamily::Bipolar, 1, 32, 7)[0];
    const auto x = makeKeys(KeyFamily::Gaussian, 1, 32, 8)[0];
    const auto bound = mapBind(k, x);
    QVERIFY(maxAbsDiff(bound, k * x) == 0.0);
    QVERIFY(maxAbsDiff(mapUnbindApproximate(k, bound), x) == 0.0);
    QVERIFY(maxAbsDiff(mapUnbindExact(k, bound), x) < 1e-7);
}

void VsaTest::mapExactUnbindDivides()
{
    const auto k = at::tensor({2.0, -0.5, 0.0, 4.0}, at::kDouble);
    const auto x = at::tensor({1.0, 2.0, 3.0, 4.0}, at::kDouble);
    const auto recovered = mapUnbindExact(k, mapBind(k, x));
    QCOMPARE(recovered[0].item<double>(), 1.0);
    QCOMPARE(recovered[1].item<double>(), 2.0);
    QCOMPARE(recovered[2].item<double>(), 0.0); // a zero key entry carries nothing
    QCOMPARE(recovered[3].item<double>(), 4.0);
}

void VsaTest::bundleAndCosine()
{
    const auto items = at::tensor({1.0, 2.0, 3.0, 4.0, 5.0, 6.0}, at::kDouble).reshape({2, 3});
    const auto sum = bundle(items, 0);
    QCOMPARE(sum[0].item<double>(), 5.0);
    QCOMPARE(sum[2].item<double>(), 9.0);
    const auto a = at::tensor({1.0, 0.0}, at::kDouble);
    const auto b = at::tensor({0.0, 3.0}, at::kDouble);
    QCOMPARE(cosineSimilarity(a, b).item<double>(), 0.0);
    QVERIFY(std::abs(cosineSimilarity(a, a * 7.0).item<double>() - 1.0) < 1e-12);
    QVERIFY(std::abs(cosineSimilarity(a, -a).item<double>() + 1.0) < 1e-12);
}

void VsaTest::badShapesAreRejected_data()
{
    QTest::addColumn<RejectedCall>("call");
    const auto x = at::zeros({2, 6, 3, 3});
    QTest::newRow("key length is not the channel count") << RejectedCall([x] { hrrBind(at::zeros({5}), x, 1); });
    QTest::newRow("dimension past the last axis") << RejectedCall([x] { hrrBind(at::zeros({6}), x, 4); });
    QTest::newRow("key not a vector") << RejectedCall([x] { hrrBind(at::zeros({6, 1}), x, 1); });
    QTest::newRow("three keys for two inputs") << RejectedCall([] {
        measureInterference(at::zeros({2, 8}), at::zeros({3, 8}), BindingKind::HRR, Unbinding::Approximate);
    });
    QTest::newRow("zero keys") << RejectedCall([] { makeKeys(KeyFamily::Gaussian, 0, 8, 1); });
}

void VsaTest::badShapesAreRejected()
{
    QFETCH(RejectedCall, call);
    QVERIFY_THROWS_EXCEPTION(mimo::Error, call());
}

void VsaTest::seededRandomFollowsTheStandardEngine()
{
    // The standard fixes mt19937_64's 10000th output for the default seed; our keys build on it.
    std::mt19937_64 engine;
    engine.discard(9999);
    QCOMPARE(engine(), 9981545732273789042ULL);
    SeededRandom a(42), b(42);
    for (int i = 0; i < 100; ++i) {
        const double u = a.uniform01();
        QCOMPARE(u, b.uniform01());
        QVERIFY(u >= 0.0 && u < 1.0);
    }
    SeededRandom c(1);
    for (int i = 0; i < 1000; ++i) {
        const int64_t v = c.integer(2, 10);
        QVERIFY(v >= 2 && v <= 10);
    }
}

void VsaTest::keysAreReproducible()
{
    for (KeyFamily family : allKeyFamilies()) {
        const auto a = makeKeys(family, 4, 64, 123);
        const auto b = makeKeys(family, 4, 64, 123);
        const auto c = makeKeys(family, 4, 64, 124);
        QCOMPARE(a.sizes(), (at::IntArrayRef{4, 64}));
        QCOMPARE(a.scalar_type(), at::kFloat);
        QVERIFY2(at::equal(a, b), keyFamilyName(family).c_str());
        QVERIFY2(!at::equal(a, c), keyFamilyName(family).c_str());
    }
    // A golden value: a different platform or torch version must give the same keys.
    const auto bipolar = makeKeys(KeyFamily::Bipolar, 1, 8, 0);
    SeededRandom random(0);
    for (int i = 0; i < 8; ++i)
        QCOMPARE(bipolar[0][i].item<float>(), random.coin() ? 1.0f : -1.0f);
}

void VsaTest::keyFamiliesHaveTheirStatistics()
{
    const int64_t n = 64, d = 256;
    const auto gaussian = makeKeys(KeyFamily::Gaussian, n, d, 1).to(at::kDouble);
    QVERIFY(std::abs(gaussian.var().item<double>() * d - 1.0) < 0.05);
    QVERIFY(std::abs(gaussian.mean().item<double>()) < 0.01);

    const auto sphere = makeKeys(KeyFamily::Sphere, n, d, 2).to(at::kDouble);
    QVERIFY(maxAbsDiff(sphere.norm(2, {1}), at::ones({n}, at::kDouble)) < 1e-6);

    const auto bipolar = makeKeys(KeyFamily::Bipolar, n, d, 3);
    QVERIFY((bipolar.abs() == 1.0f).all().item<bool>());
    QVERIFY(std::abs(bipolar.to(at::kDouble).mean().item<double>()) < 0.02);

    const auto orthogonal = makeKeys(KeyFamily::Orthogonal, n, d, 4).to(at::kDouble);
    QVERIFY(maxAbsDiff(at::matmul(orthogonal, orthogonal.t()), at::eye(n, at::kDouble)) < 1e-5);

    const auto uniform = makeKeys(KeyFamily::TorchDefaultUniform, n, d, 5).to(at::kDouble);
    QVERIFY(uniform.abs().max().item<double>() <= 1.0 / std::sqrt(double(d)));
    QVERIFY(std::abs(uniform.var().item<double>() * 3.0 * d - 1.0) < 0.05);

    const auto unitary = makeKeys(KeyFamily::Unitary, n, d, 6).to(at::kDouble);
    QVERIFY(maxAbsDiff(at::abs(at::fft_rfft(unitary, d, 1)), at::ones({n, d / 2 + 1}, at::kDouble)) < 1e-5);
    QVERIFY(maxAbsDiff(unitary.norm(2, {1}), at::ones({n}, at::kDouble)) < 1e-5);
}

void VsaTest::orthogonalKeysNeedRoom()
{
    QVERIFY_THROWS_EXCEPTION(mimo::Error, makeKeys(KeyFamily::Orthogonal, 9, 8, 1));
    const auto square = makeKeys(KeyFamily::Orthogonal, 8, 8, 1).to(at::kDouble);
    QVERIFY(maxAbsDiff(at::matmul(square, square.t()), at::eye(8, at::kDouble)) < 1e-5);
}

void VsaTest::keySimilarityMatrix()
{
    const auto keys = makeKeys(KeyFamily::Gaussian, 5, 128, 8);
    const auto sim = keySimilarity(keys);
    QCOMPARE(sim.sizes(), (at::IntArrayRef{5, 5}));
    QVERIFY(maxAbsDiff(sim.diagonal(), at::ones({5})) < 1e-5);
    QVERIFY(maxAbsDiff(sim, sim.t()) < 1e-6);
    QVERIFY(std::abs(sim[1][3].item<float>() - cosineSimilarity(keys[1], keys[3]).item<float>()) < 1e-5f);
    // Random keys in 128 dimensions are nearly orthogonal.
    QVERIFY((sim - at::eye(5)).abs().max().item<float>() < 0.4f);
    const auto ortho = keySimilarity(makeKeys(KeyFamily::Orthogonal, 5, 128, 8));
    QVERIFY(maxAbsDiff(ortho, at::eye(5)) < 1e-5);
}

void VsaTest::officialChannelConvMapsToKeys()
{
    for (int64_t c0 : {4, 64}) {
        const int64_t n = 4;
        const auto weight = makeKeys(KeyFamily::TorchDefaultUniform, n, c0, 31).to(at::kDouble).unsqueeze(1);
        const auto x = makeKeys(KeyFamily::Gaussian, 10 * n, c0, 32).to(at::kDouble).reshape({10, n, c0});
        const auto official = officialChannelConvBinding(weight, x);
        const auto keys = keysFromOfficialChannelConv(weight); // [n, c0]
        const auto ours = hrrBind(keys.unsqueeze(0), x, 2);
        QVERIFY2(maxAbsDiff(official, ours) < 1e-12, qPrintable(QString::number(maxAbsDiff(official, ours))));
        // The index map is its own inverse, so keys go back to the same weights.
        QVERIFY(at::equal(officialChannelConvFromKeys(keys), weight));
    }
    // v[m] = w[(C0/2 - 1 - m) mod C0] on a readable example: C0 = 4 -> w indices 1 0 3 2.
    const auto w = at::tensor({10.0, 11.0, 12.0, 13.0}, at::kDouble).reshape({1, 1, 4});
    const auto v = keysFromOfficialChannelConv(w);
    QCOMPARE(v[0][0].item<double>(), 11.0);
    QCOMPARE(v[0][1].item<double>(), 10.0);
    QCOMPARE(v[0][2].item<double>(), 13.0);
    QCOMPARE(v[0][3].item<double>(), 12.0);
}

void VsaTest::officialMapRejectsOddOrMisshapenWeights_data()
{
    QTest::addColumn<QList<qint64>>("shape");
    QTest::newRow("odd C0") << QList<qint64>{2, 1, 5};
    QTest::newRow("two channels per group") << QList<qint64>{2, 2, 4};
    QTest::newRow("one-dimensional") << QList<qint64>{4};
}

void VsaTest::officialMapRejectsOddOrMisshapenWeights()
{
    QFETCH(QList<qint64>, shape);
    const std::vector<int64_t> sizes(shape.begin(), shape.end());
    QVERIFY_THROWS_EXCEPTION(mimo::Error, keysFromOfficialChannelConv(at::zeros(sizes)));
}

void VsaTest::interferenceDecomposesExactly()
{
    const int64_t n = 4, d = 64;
    const auto x = gaussianInputs(n, d, 40);
    const auto keys = makeKeys(KeyFamily::Sphere, n, d, 41);
    const auto recovered = superposeAndUnbind(x, keys, BindingKind::HRR, Unbinding::Approximate);
    // Slot 2 by hand: correlate key 2 with the sum of all bound inputs.
    auto sum = at::zeros({d}, at::kDouble);
    for (int64_t j = 0; j < n; ++j)
        sum += hrrBind(keys[j].to(at::kDouble), x[j]);
    QVERIFY(maxAbsDiff(recovered[2], hrrUnbindApproximate(keys[2].to(at::kDouble), sum)) < 1e-12);

    const auto report = measureInterference(x, keys, BindingKind::HRR, Unbinding::Approximate);
    QCOMPARE(int(report.slotResults.size()), int(n));
    for (int64_t i = 0; i < n; ++i) {
        const auto& slot = report.slotResults[size_t(i)];
        QVERIFY(std::abs(slot.cosine - cosineSimilarity(recovered[i], x[i]).item<double>()) < 1e-12);
        const auto own = hrrUnbindApproximate(keys[i].to(at::kDouble), hrrBind(keys[i].to(at::kDouble), x[i]));
        QVERIFY(std::abs(slot.signalPower - own.square().sum().item<double>()) < 1e-9);
        const double crosstalk = (recovered[i] - own).square().sum().item<double>();
        QVERIFY(std::abs(slot.crosstalkPower - crosstalk) < 1e-9);
        QVERIFY(std::abs(slot.snrDb - 10.0 * std::log10(slot.signalPower / slot.crosstalkPower)) < 1e-9);
    }
}

void VsaTest::singleInputRecoveryIsExactWhereTheorySaysSo()
{
    const auto x = gaussianInputs(1, 96, 50);
    const auto gaussianKey = makeKeys(KeyFamily::Gaussian, 1, 96, 51);
    const auto exact = measureInterference(x, gaussianKey, BindingKind::HRR, Unbinding::Exact, 1e-9);
    QVERIFY(exact.slotResults[0].cosine > 1.0 - 1e-9);
    QVERIFY(std::isinf(exact.slotResults[0].snr));
    // Unitary keys: the approximate inverse is exact.
    const auto unitary = measureInterference(x, makeKeys(KeyFamily::Unitary, 1, 96, 52), BindingKind::HRR,
                                             Unbinding::Approximate);
    QVERIFY(unitary.slotResults[0].cosine > 1.0 - 1e-6);
    // MAP with bipolar keys: exact too.
    const auto map = measureInterference(x, makeKeys(KeyFamily::Bipolar, 1, 96, 53), BindingKind::MAP,
                                         Unbinding::Approximate);
    QVERIFY(map.slotResults[0].cosine > 1.0 - 1e-12);
    // A Gaussian key with the approximate inverse is not: close to 1/sqrt(2).
    const auto approx = measureInterference(x, gaussianKey, BindingKind::HRR, Unbinding::Approximate);
    QVERIFY(approx.slotResults[0].cosine < 0.9 && approx.slotResults[0].cosine > 0.5);
}

void VsaTest::interferenceMatchesClosedForm_data()
{
    QTest::addColumn<int>("binding");
    QTest::addColumn<int>("family");
    QTest::addColumn<int>("n");
    const std::pair<BindingKind, KeyFamily> cases[] = {
        {BindingKind::HRR, KeyFamily::Gaussian},   {BindingKind::HRR, KeyFamily::Sphere},
        {BindingKind::HRR, KeyFamily::Bipolar},    {BindingKind::HRR, KeyFamily::TorchDefaultUniform},
        {BindingKind::HRR, KeyFamily::Unitary},    {BindingKind::HRR, KeyFamily::Orthogonal},
        {BindingKind::MAP, KeyFamily::Bipolar},    {BindingKind::MAP, KeyFamily::Gaussian},
        {BindingKind::MAP, KeyFamily::TorchDefaultUniform}};
    for (const auto& [binding, family] : cases)
        for (int n : {1, 2, 4, 8, 16}) {
            const std::string name = bindingName(binding) + " " + keyFamilyName(family) + " N=" + std::to_string(n);
            QTest::newRow(name.c_str()) << int(binding) << int(family) << n;
        }
}

void VsaTest::interferenceMatchesClosedForm()
{
    QFETCH(int, binding);
    QFETCH(int, family);
    QFETCH(int, n);
    const auto kind = BindingKind(binding);
    const auto keyFamily = KeyFamily(family);
    const int64_t d = 512;
    const int trials = 40;
    double cosineSum = 0.0, snrSum = 0.0;
    for (int t = 0; t < trials; ++t) {
        const auto report = measureInterference(gaussianInputs(n, d, uint64_t(1000 + t)), makeKeys(keyFamily, n, d, uint64_t(2000 + t)),
                                                kind, Unbinding::Approximate);
        for (const auto& slot : report.slotResults) {
            cosineSum += slot.cosine;
            snrSum += slot.snr;
        }
    }
    const double measuredCosine = cosineSum / (trials * n);
    const auto expected = expectedInterference(kind, Unbinding::Approximate, keyFamily, n, d);
    QVERIFY2(std::abs(measuredCosine - expected.cosine) < 0.015,
             qPrintable(QString("cosine %1 vs closed form %2").arg(measuredCosine).arg(expected.cosine)));
    if (n > 1) {
        const double measuredSnr = snrSum / (trials * n);
        QVERIFY2(std::abs(measuredSnr / expected.snr - 1.0) < 0.08,
                 qPrintable(QString("snr %1 vs closed form %2").arg(measuredSnr).arg(expected.snr)));
    } else {
        QVERIFY(std::isinf(expected.snr));
    }
}

void VsaTest::interferenceGrowsWithN()
{
    double previous = 2.0;
    for (int n : {1, 2, 4, 8, 16, 32}) {
        double cosine = 0.0;
        for (int t = 0; t < 10; ++t)
            cosine += measureInterference(gaussianInputs(n, 256, uint64_t(70 + t)), makeKeys(KeyFamily::Sphere, n, 256, uint64_t(80 + t)),
                                          BindingKind::HRR, Unbinding::Approximate)
                          .meanCosine;
        cosine /= 10.0;
        QVERIFY2(cosine < previous, qPrintable(QString("N=%1 cosine %2").arg(n).arg(cosine)));
        previous = cosine;
    }
}

void VsaTest::theoryEdgeCases()
{
    QCOMPARE(keyFourthMomentRatio(BindingKind::HRR, KeyFamily::Unitary, 64), 1.0);
    QCOMPARE(keyFourthMomentRatio(BindingKind::MAP, KeyFamily::Bipolar, 64), 1.0);
    // Even D: two real bins of weight 3, 62 complex of weight 2.
    QCOMPARE(keyFourthMomentRatio(BindingKind::HRR, KeyFamily::Gaussian, 64), (3.0 * 2 + 2.0 * 62) / 64);
    const auto exact1 = expectedInterference(BindingKind::HRR, Unbinding::Exact, KeyFamily::Gaussian, 1, 64);
    QVERIFY(exact1.exactRecovery);
    QCOMPARE(exact1.cosine, 1.0);
    const auto exact4 = expectedInterference(BindingKind::HRR, Unbinding::Exact, KeyFamily::Gaussian, 4, 64);
    QVERIFY(std::isnan(exact4.cosine)); // heavy-tailed: no finite closed form
    const auto unitary4 = expectedInterference(BindingKind::HRR, Unbinding::Exact, KeyFamily::Unitary, 4, 64);
    QCOMPARE(unitary4.cosine, 0.5);
    QVERIFY_THROWS_EXCEPTION(mimo::Error, expectedInterference(BindingKind::HRR, Unbinding::Exact,
                                                                KeyFamily::Gaussian, 0, 64));
}

QTEST_GUILESS_MAIN(VsaTest)
#include "test_vsa.moc"
