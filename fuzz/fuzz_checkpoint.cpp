// A training checkpoint as `mimo train ... --checkpoint FILE` reads it: archive, fields, checksum,
// trainer JSON, then its fit to the model, the optimizer (SGD as `train conv` uses it, AdamW as
// `train former` does) and the generator. The model is a small stand-in with parameters in two
// groups and an integer buffer: what is read and checked does not depend on the architecture, and
// small files fuzz faster.
//
// The seed corpus is written by the harness itself, after a few steps of each optimizer:
//   MIMO_FUZZ_WRITE_SEEDS=fuzz/corpus/checkpoint build-fuzz/fuzz/fuzz_checkpoint
#include "core/train/checkpoint.h"
#include "fuzz_support.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <cstdlib>
#include <memory>

namespace {

constexpr const char* kFingerprint = "fuzz";

struct StandIn {
    torch::nn::Sequential model{torch::nn::Linear(3, 2), torch::nn::BatchNorm1d(2)};
    std::unique_ptr<torch::optim::Optimizer> optimizer;

    explicit StandIn(bool adamw)
    {
        if (adamw) {
            optimizer = std::make_unique<torch::optim::AdamW>(model->parameters(),
                                                              torch::optim::AdamWOptions(1e-2).amsgrad(true));
            return;
        }
        std::vector<torch::optim::OptimizerParamGroup> groups;
        groups.emplace_back(model[0]->parameters(), std::make_unique<torch::optim::SGDOptions>(
                                        torch::optim::SGDOptions(0.1).momentum(0.9).weight_decay(1e-4)));
        groups.emplace_back(model[1]->parameters(),
                            std::make_unique<torch::optim::SGDOptions>(torch::optim::SGDOptions(0.1).momentum(0.9)));
        optimizer = std::make_unique<torch::optim::SGD>(groups, torch::optim::SGDOptions(0.1));
    }

    void step()
    {
        optimizer->zero_grad();
        model->forward(torch::randn({4, 3})).pow(2).sum().backward();
        optimizer->step();
    }
};

void writeSeeds(const std::string& folder)
{
    torch::manual_seed(0);
    for (const bool adamw : {false, true}) {
        StandIn training(adamw);
        for (int i = 0; i < 3; ++i)
            training.step();
        const nlohmann::json trainer{
            {"fingerprint", kFingerprint}, {"step", 3}, {"elapsed", 0.5}, {"curve", nlohmann::json::array()}};
        // Not named *.ckpt, which git ignores.
        const std::string name = adamw ? "/adamw-amsgrad-three-steps" : "/sgd-three-steps";
        mimo::writeTrainingCheckpoint(folder + name, *training.model, *training.optimizer, trainer);
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    at::set_num_threads(1);
    if (const char* folder = std::getenv("MIMO_FUZZ_WRITE_SEEDS")) {
        writeSeeds(folder);
        std::exit(0);
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    static StandIn sgd(false), adamw(true);
    const std::string path = fuzzing::writeInput(data, size, "training.ckpt");
    for (StandIn* training : {&sgd, &adamw})
        fuzzing::expectCleanRefusal(
            [&] { mimo::readTrainingCheckpoint(path, *training->model, *training->optimizer, kFingerprint); });
    return 0;
}
