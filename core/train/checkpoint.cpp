#include "core/train/checkpoint.h"

#include "core/errors.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <filesystem>

namespace mimo {

void writeTrainingCheckpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                             const nlohmann::json& trainer)
{
    torch::serialize::OutputArchive root, modelArchive, optimizerArchive;
    model.save(modelArchive);
    optimizer.save(optimizerArchive);
    root.write("model", modelArchive);
    root.write("optimizer", optimizerArchive);
    auto generator = at::detail::getDefaultCPUGenerator();
    {
        std::lock_guard<std::mutex> lock(generator.mutex());
        root.write("rng", generator.get_state());
    }
    root.write("trainer", c10::IValue(trainer.dump()));
    const std::string partial = path + ".partial";
    root.save_to(partial);
    std::filesystem::rename(partial, path);
}

std::optional<nlohmann::json> readTrainingCheckpoint(const std::string& path, torch::nn::Module& model,
                                                     torch::optim::Optimizer& optimizer, const std::string& fingerprint)
{
    if (!std::filesystem::exists(path))
        return std::nullopt;
    torch::serialize::InputArchive root, modelArchive, optimizerArchive;
    nlohmann::json trainer;
    try {
        root.load_from(path);
        c10::IValue trainerValue;
        root.read("trainer", trainerValue);
        trainer = nlohmann::json::parse(trainerValue.toStringRef());
    } catch (const std::exception&) {
        throw DataError(path, "the training checkpoint is unreadable (truncated?); delete it or pass --restart");
    }
    if (trainer.value("fingerprint", std::string()) != fingerprint)
        throw DataError(path, "this checkpoint belongs to a different training configuration; delete it or pass "
                              "--restart");
    try {
        root.read("model", modelArchive);
        root.read("optimizer", optimizerArchive);
        model.load(modelArchive);
        optimizer.load(optimizerArchive);
        torch::Tensor rng;
        root.read("rng", rng);
        auto generator = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        generator.set_state(rng);
    } catch (const c10::Error& error) {
        throw DataError(path, "the training checkpoint does not fit this model: " +
                                  std::string(error.what_without_backtrace()).substr(0, 200));
    }
    return trainer;
}

nlohmann::json curveToJson(const std::vector<EpochRecord>& curve)
{
    ModelCard card;
    card.curve = curve;
    return nlohmann::json::parse(toJson(card))["curve"];
}

std::vector<EpochRecord> curveFromJson(const nlohmann::json& curve)
{
    return modelCardFromJson(nlohmann::json{{"curve", curve}}.dump()).curve;
}

} // namespace mimo
