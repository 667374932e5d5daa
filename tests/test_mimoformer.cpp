// Performer and MIMOFormer attention and encoder on tiny configurations.
#include "core/errors.h"
#include "core/model/mimo_former.h"

#include <torch/torch.h>

#include <thread>

#include <QtTest>

using namespace mimo;

namespace {

MimoFormerConfig tinyConfig(FormerAttention attention, int m = 2, int n = 2)
{
    MimoFormerConfig config;
    config.vocabularySize = 12;
    config.maxLength = 20;
    config.dim = 16;
    config.ffDim = 24;
    config.heads = 2;
    config.headDim = 8;
    config.layers = 2;
    config.numClasses = 4;
    config.features = 20;
    config.attention = attention;
    config.gridM = attention == FormerAttention::Performer ? 1 : m;
    config.gridN = attention == FormerAttention::Performer ? 1 : n;
    config.dropout = 0.0;
    return config;
}

double maxDiff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

FormerForwardOptions onGrid(int m, int n)
{
    FormerForwardOptions options;
    options.grid = {m, n};
    return options;
}

torch::Tensor tokens(int64_t b, int64_t l, int64_t seed)
{
    torch::manual_seed(uint64_t(seed));
    auto t = torch::randint(1, 12, {b, l}, torch::kLong);
    t.index_put_({torch::indexing::Slice(), torch::indexing::Slice(l - 3, l)}, 0); // padded tails
    return t;
}

// docs/mimonets.md 3.3 written out with loops over the grid: the reference for the einsum version.
torch::Tensor referenceMimo(const torch::Tensor& q, const torch::Tensor& k, const torch::Tensor& v,
                            const torch::Tensor& mask, const torch::Tensor& omega, const torch::Tensor& keys, int m,
                            int n)
{
    const int64_t d = q.size(3);
    const double s = std::sqrt(std::sqrt(double(d)) * m * n);
    auto out = torch::zeros_like(q);
    const int64_t groups = q.size(0) / (m * n);
    for (int64_t g = 0; g < groups; ++g) {
        const auto idx = [&](int mi, int ni) { return g * m * n + mi * n + ni; };
        const auto keep = [&](int mi, int ni) { return mask[idx(mi, ni)].view({1, -1, 1}); };
        std::vector<torch::Tensor> qb(static_cast<size_t>(n)), kb(static_cast<size_t>(m)), vb(static_cast<size_t>(m));
        for (int ni = 0; ni < n; ++ni) {
            qb[size_t(ni)] = torch::zeros_like(q[0]);
            for (int mi = 0; mi < m; ++mi)
                qb[size_t(ni)] += keys[mi][ni] * q[idx(mi, ni)] / s;
        }
        for (int mi = 0; mi < m; ++mi) {
            kb[size_t(mi)] = torch::zeros_like(k[0]);
            vb[size_t(mi)] = torch::zeros_like(v[0]);
            for (int ni = 0; ni < n; ++ni) {
                kb[size_t(mi)] += keys[mi][ni] * k[idx(mi, ni)] * keep(mi, ni) / s;
                vb[size_t(mi)] += keys[mi][ni] * v[idx(mi, ni)] * keep(mi, ni);
            }
        }
        auto context = torch::zeros({q.size(1), omega.size(0), d});
        for (int mi = 0; mi < m; ++mi)
            context += torch::matmul(favorFeatures(kb[size_t(mi)], omega).transpose(1, 2), vb[size_t(mi)]);
        for (int mi = 0; mi < m; ++mi)
            for (int ni = 0; ni < n; ++ni) {
                const auto phiQ = favorFeatures(qb[size_t(ni)], omega);                 // [H, L, R]
                const auto numerator = torch::matmul(phiQ, context);                    // [H, L, D]
                const auto keySum = favorFeatures(kb[size_t(mi)], omega).sum(1);       // [H, R]
                const auto denominator = torch::matmul(phiQ, keySum.unsqueeze(-1));    // [H, L, 1]
                out[idx(mi, ni)] = keys[mi][ni] * numerator / denominator;
            }
    }
    return out;
}

} // namespace

class MimoFormerTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void randomFeaturesAreOrthogonalBlocks();
    void mimoWithOneByOneGridAndUnitKeysIsPerformer();
    void mimoAttentionMatchesTheSpecLoops();
    void modelWithUnitKeysEqualsPerformerModel();
    void everyVariantRunsAndKeepsOrder();
    void gridCanBeLoweredAtRunTime();
    void gridAndKeysPassedPerCallLeaveTheModelAsTrained();
    void buffersAreFixedBySeed();
    void badInputIsRejected();
    void officialParameterNames();
};

void MimoFormerTest::randomFeaturesAreOrthogonalBlocks()
{
    torch::Generator generator = at::make_generator<at::CPUGeneratorImpl>(5);
    const auto omega = orthogonalRandomFeatures(20, 8, generator);
    QCOMPARE(omega.sizes(), (at::IntArrayRef{20, 8}));
    // Within a block of D_h rows the directions are orthogonal.
    const auto block = omega.narrow(0, 0, 8);
    const auto unit = block / block.norm(2, {1}, true);
    QVERIFY(maxDiff(torch::matmul(unit, unit.t()), torch::eye(8)) < 1e-5);
}

void MimoFormerTest::mimoWithOneByOneGridAndUnitKeysIsPerformer()
{
    torch::manual_seed(1);
    const auto q = torch::randn({3, 2, 6, 8}), k = torch::randn({3, 2, 6, 8}), v = torch::randn({3, 2, 6, 8});
    auto mask = torch::ones({3, 6});
    mask.index_put_({1, torch::indexing::Slice(4, 6)}, 0.0);
    torch::Generator generator = at::make_generator<at::CPUGeneratorImpl>(2);
    const auto omega = orthogonalRandomFeatures(20, 8, generator);
    const auto performer = performerAttention(q, k, v, mask, omega);
    const auto mimo = mimoAttention(q, k, v, mask, omega, torch::ones({1, 1, 8}), 1, 1);
    QCOMPARE(maxDiff(performer, mimo), 0.0);
}

void MimoFormerTest::mimoAttentionMatchesTheSpecLoops()
{
    torch::manual_seed(3);
    for (auto [m, n] : {std::pair{2, 2}, std::pair{2, 3}, std::pair{4, 1}}) {
        const int64_t b = 2 * m * n;
        const auto q = torch::randn({b, 2, 5, 8}), k = torch::randn({b, 2, 5, 8}), v = torch::randn({b, 2, 5, 8});
        auto mask = (torch::rand({b, 5}) > 0.2).to(torch::kFloat);
        torch::Generator generator = at::make_generator<at::CPUGeneratorImpl>(4);
        const auto omega = orthogonalRandomFeatures(20, 8, generator);
        const auto keys = torch::randint(0, 2, {m, n, 8}).to(torch::kFloat) * 2 - 1;
        const auto ours = mimoAttention(q, k, v, mask, omega, keys, m, n);
        QVERIFY2(maxDiff(ours, referenceMimo(q, k, v, mask, omega, keys, m, n)) < 1e-4,
                 qPrintable(QString("M=%1 N=%2").arg(m).arg(n)));
    }
}

void MimoFormerTest::modelWithUnitKeysEqualsPerformerModel()
{
    torch::manual_seed(5);
    MimoFormer performer(tinyConfig(FormerAttention::Performer));
    MimoFormer mimo(tinyConfig(FormerAttention::Mimo, 1, 1));
    {
        torch::NoGradGuard noGrad;
        auto target = mimo->named_parameters();
        for (const auto& item : performer->named_parameters())
            target[item.key()].copy_(item.value());
        auto buffers = mimo->named_buffers();
        for (const auto& item : performer->named_buffers()) {
            std::string name = item.key();
            name.replace(name.find("attn_fn."), 8, "");
            buffers[name].copy_(item.value());
        }
        for (auto& item : buffers)
            if (item.key().find("bindings") != std::string::npos)
                item.value().fill_(1.0);
    }
    performer->eval();
    mimo->eval();
    const auto t = tokens(4, 12, 6);
    QVERIFY(maxDiff(performer->forward(t), mimo->forward(t)) < 1e-6);
}

void MimoFormerTest::everyVariantRunsAndKeepsOrder()
{
    for (auto attention : {FormerAttention::Performer, FormerAttention::Mimo, FormerAttention::MimoMlp}) {
        torch::manual_seed(7);
        MimoFormer model(tinyConfig(attention));
        model->eval();
        const auto t = tokens(8, 12, 8);
        FormerForwardOptions capture;
        capture.captureIntermediates = true;
        const auto out = model->forward(t, capture);
        QCOMPARE(out.logits.sizes(), (at::IntArrayRef{8, 4}));
        QVERIFY(torch::isfinite(out.logits).all().item<bool>());
        QVERIFY(!out.intermediates.empty());
        // Swapping two whole groups swaps their outputs: groups do not interact.
        const auto swapped = torch::cat({t.narrow(0, 4, 4), t.narrow(0, 0, 4)});
        const auto logits = model->forward(swapped);
        QVERIFY(maxDiff(logits.narrow(0, 0, 4), out.logits.narrow(0, 4, 4)) < 1e-5);
    }
    // Superposition matters: inside a group, the other sequences change each output.
    MimoFormer model(tinyConfig(FormerAttention::Mimo));
    model->eval();
    auto t = tokens(4, 12, 9);
    const auto before = model->forward(t);
    t[3] = tokens(1, 12, 10)[0];
    const auto after = model->forward(t);
    QVERIFY(maxDiff(before.narrow(0, 0, 3), after.narrow(0, 0, 3)) > 1e-6);
}

void MimoFormerTest::gridCanBeLoweredAtRunTime()
{
    MimoFormer model(tinyConfig(FormerAttention::Mimo, 2, 2));
    model->eval();
    QCOMPARE(model->forward(tokens(3, 12, 11), onGrid(1, 1)).logits.size(0), int64_t(3));
    QCOMPARE(model->forward(tokens(4, 12, 11), onGrid(1, 2)).logits.size(0), int64_t(4));
    QVERIFY_THROWS_EXCEPTION(mimo::Error, model->forward(tokens(4, 12, 11), onGrid(4, 1)));
    QVERIFY_THROWS_EXCEPTION(mimo::Error, model->forward(tokens(4, 12, 11), onGrid(0, 1)));
    MimoFormer performer(tinyConfig(FormerAttention::Performer));
    QVERIFY_THROWS_EXCEPTION(mimo::Error, performer->forward(tokens(4, 12, 11), onGrid(2, 2)));
}

void MimoFormerTest::gridAndKeysPassedPerCallLeaveTheModelAsTrained()
{
    // One model object computing with two key sets on several grids, interleaved and from two
    // threads at once, gives exactly what two separately built models give that hold those keys
    // as their own; the model keeps its trained keys and grid.
    for (auto attention : {FormerAttention::Mimo, FormerAttention::MimoMlp}) {
        const bool mlp = attention == FormerAttention::MimoMlp;
        const auto build = [&] {
            torch::manual_seed(13); // the same weights every time
            MimoFormer model(tinyConfig(attention, 2, 2));
            model->eval();
            return model;
        };
        MimoFormer shared = build();
        torch::manual_seed(14);
        std::vector<FormerForwardOptions> keySets(2);
        for (auto& keys : keySets)
            for (int layer = 0; layer < 2; ++layer) {
                keys.attentionKeys.push_back(torch::randint(0, 2, {2, 2, 8}).to(torch::kFloat) * 2 - 1);
                if (mlp)
                    keys.streamKeys.push_back(torch::randint(0, 2, {2, 2, 16}).to(torch::kFloat) * 2 - 1);
            }
        const auto t = tokens(8, 12, 15);
        const std::vector<std::pair<int, int>> grids{{2, 2}, {2, 1}, {1, 1}};
        std::vector<std::vector<torch::Tensor>> expected; // [key set][grid]
        for (const auto& keys : keySets) {
            MimoFormer own = build();
            {
                torch::NoGradGuard noGrad;
                auto buffers = own->named_buffers();
                for (int layer = 0; layer < 2; ++layer) {
                    const std::string prefix = "model.transformer_" + std::to_string(layer) + ".mha.attn.";
                    buffers[prefix + "bindings"].copy_(keys.attentionKeys[size_t(layer)].view({1, 2, 2, 1, 1, 8}));
                    if (mlp)
                        buffers[prefix + "bindings_embedding"].copy_(keys.streamKeys[size_t(layer)].view({1, 2, 2, 1, 16}));
                }
            }
            expected.emplace_back();
            for (const auto& [m, n] : grids)
                expected.back().push_back(own->forward(t, onGrid(m, n)).logits);
        }
        std::vector<torch::Tensor> trainedKeys;
        for (const auto& keys : shared->attentionKeys())
            trainedKeys.push_back(keys.clone());
        const auto trained = shared->forward(t);

        const auto pass = [&](size_t set, size_t grid) {
            FormerForwardOptions options = keySets[set];
            options.grid = grids[grid];
            return shared->forward(t, options).logits;
        };
        const size_t interleaved[] = {0, 1, 0, 1};
        for (size_t grid = 0; grid < grids.size(); ++grid)
            for (size_t set : interleaved)
                QVERIFY(torch::equal(pass(set, grid), expected[set][grid]));

        std::vector<torch::Tensor> concurrent(2);
        std::vector<std::thread> callers;
        for (size_t set = 0; set < 2; ++set)
            callers.emplace_back([&, set] {
                torch::NoGradGuard noGrad;
                for (int repeat = 0; repeat < 10; ++repeat)
                    concurrent[set] = pass(set, 0);
            });
        for (auto& caller : callers)
            caller.join();
        for (size_t set = 0; set < 2; ++set)
            QVERIFY(maxDiff(concurrent[set], expected[set][0]) < 1e-6);

        const auto keysAfter = shared->attentionKeys();
        for (size_t layer = 0; layer < trainedKeys.size(); ++layer)
            QVERIFY(torch::equal(keysAfter[layer], trainedKeys[layer]));
        QVERIFY(torch::equal(shared->forward(t), trained)); // still the trained 2 x 2 grid and keys
        // Keys of the wrong shape, or stream keys for a model without them, are refused.
        FormerForwardOptions wrong;
        wrong.attentionKeys = {torch::ones({2, 2, 8})};
        QVERIFY_THROWS_EXCEPTION(mimo::Error, shared->forward(t, wrong));
        wrong.attentionKeys = keySets[0].attentionKeys;
        wrong.streamKeys = {torch::ones({2, 2, 16}), torch::ones({2, 2, 16})};
        if (!mlp)
            QVERIFY_THROWS_EXCEPTION(mimo::Error, shared->forward(t, wrong));
    }
}

void MimoFormerTest::buffersAreFixedBySeed()
{
    torch::manual_seed(1);
    MimoFormer a(tinyConfig(FormerAttention::MimoMlp));
    torch::manual_seed(2); // the global RNG does not matter; the buffer seed does
    MimoFormer b(tinyConfig(FormerAttention::MimoMlp));
    const auto ba = a->named_buffers(), bb = b->named_buffers();
    QVERIFY(ba.size() >= 6);
    for (const auto& item : ba)
        QVERIFY2(torch::equal(item.value(), bb[item.key()]), item.key().c_str());
    const auto keys = ba["model.transformer_0.mha.attn.bindings"];
    QCOMPARE(keys.sizes(), (at::IntArrayRef{1, 2, 2, 1, 1, 8}));
    QVERIFY((keys.abs() == 1).all().item<bool>());
    QVERIFY(!torch::equal(keys, ba["model.transformer_1.mha.attn.bindings"])); // independent per layer
}

void MimoFormerTest::badInputIsRejected()
{
    MimoFormer model(tinyConfig(FormerAttention::Mimo));
    model->eval();
    QVERIFY_THROWS_EXCEPTION(mimo::Error, model->forward(tokens(6, 12, 1)));                  // not a multiple of 4
    QVERIFY_THROWS_EXCEPTION(mimo::Error, model->forward(tokens(4, 21, 1)));                  // too long
    QVERIFY_THROWS_EXCEPTION(mimo::Error, model->forward(torch::full({4, 5}, 12, torch::kLong))); // unknown token
    QVERIFY_THROWS_EXCEPTION(mimo::Error, model->forward(torch::zeros({4, 0}, torch::kLong)));    // empty
    QVERIFY_THROWS_EXCEPTION(mimo::Error, model->forward(torch::zeros({4}, torch::kLong)));
    auto bad = tinyConfig(FormerAttention::Performer);
    bad.gridM = 2;
    QVERIFY_THROWS_EXCEPTION(mimo::Error, bad.validate());
    QCOMPARE(formerConfigFromJson(toJson(tinyConfig(FormerAttention::MimoMlp))).describe(),
             tinyConfig(FormerAttention::MimoMlp).describe());
}

void MimoFormerTest::officialParameterNames()
{
    MimoFormer model(tinyConfig(FormerAttention::MimoMlp));
    std::set<std::string> names;
    for (const auto& item : model->named_parameters())
        names.insert(item.key());
    for (const auto& item : model->named_buffers())
        names.insert(item.key());
    for (const char* expected :
         {"model.embeddings.word_embeddings.weight", "model.embeddings.position_embeddings.weight",
          "model.transformer_0.norm1.weight", "model.transformer_1.norm2.bias", "model.transformer_0.mha.W_q.weight",
          "model.transformer_0.mha.ff.bias", "model.transformer_0.mha.attn.projection_matrix",
          "model.transformer_0.mha.attn.bindings", "model.transformer_0.mha.attn.bindings_embedding",
          "model.transformer_0.mlpblock.0.weight", "model.transformer_0.mlpblock.3.bias", "model.norm.weight",
          "seq_classifer.mlpblock.0.weight", "seq_classifer.mlpblock.2.bias"})
        QVERIFY2(names.count(expected), expected);
    QCOMPARE(model->named_parameters()["model.embeddings.position_embeddings.weight"].size(0), int64_t(32));
    MimoFormer performer(tinyConfig(FormerAttention::Performer));
    QVERIFY(performer->named_buffers().contains("model.transformer_0.mha.attn.attn_fn.projection_matrix"));
}

QTEST_GUILESS_MAIN(MimoFormerTest)
#include "test_mimoformer.moc"
