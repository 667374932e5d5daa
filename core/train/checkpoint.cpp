#include "core/train/checkpoint.h"

#include "core/atomic_file.h"
#include "core/errors.h"
#include "core/model/model_file.h"
#include "core/train/checkpoint_file.h"
#include "core/train/optimizer_state.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <filesystem>
#include <mutex>
#include <new>

namespace mimo {
namespace {

// The trainer's JSON holds a few numbers and the learning curve; deeper nesting is damage, and
// printing a deeply nested value (curveFromJson does) would recurse once per level.
constexpr int kMaxTrainerJsonDepth = 16;

at::Tensor generatorState()
{
    auto generator = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(generator.mutex());
    return generator.get_state();
}

std::map<std::string, at::Tensor> moduleTensors(const torch::nn::Module& model)
{
    std::map<std::string, at::Tensor> tensors;
    for (const auto& item : model.named_parameters())
        tensors[item.key()] = item.value().detach();
    for (const auto& item : model.named_buffers())
        tensors[item.key()] = item.value().detach();
    return tensors;
}

nlohmann::json trainerState(const std::string& text, const std::string& path)
{
    nlohmann::json trainer;
    try {
        trainer = nlohmann::json::parse(text, [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
            if (depth > kMaxTrainerJsonDepth)
                throw DataError(path, "the trainer state is nested more than " + std::to_string(kMaxTrainerJsonDepth) +
                                          " levels deep (damaged file)");
            return true;
        });
    } catch (const nlohmann::json::exception& error) {
        throw DataError(path, "the trainer state is not valid JSON: " + libraryErrorText(error.what()));
    }
    if (!trainer.is_object())
        throw DataError(path, "the trainer state is not a JSON object");
    return trainer;
}

// Element types must be the model's: assignTensors (names and shapes) would convert silently.
void checkModelTypes(const torch::nn::Module& model, const std::map<std::string, at::Tensor>& saved,
                     const std::string& path)
{
    for (const auto& [name, target] : moduleTensors(model)) {
        const auto it = saved.find(name);
        if (it != saved.end() && it->second.scalar_type() != target.scalar_type())
            throw DataError(path, "the checkpoint's tensor " + name + " holds " +
                                      c10::toString(it->second.scalar_type()) + " values but the model's holds " +
                                      c10::toString(target.scalar_type()));
    }
}

void checkGeneratorState(const at::Tensor& rng, const std::string& path)
{
    const int64_t expected = generatorState().numel();
    if (rng.scalar_type() != at::kByte || rng.dim() != 1 || rng.numel() != expected)
        throw DataError(path, "the random generator state is " + c10::str(rng.sizes()) + " " +
                                  c10::toString(rng.scalar_type()) + " values but this program's generator keeps [" +
                                  std::to_string(expected) + "] Byte values");
    at::Generator scratch = at::make_generator<at::CPUGeneratorImpl>();
    try {
        scratch.set_state(rng.contiguous());
    } catch (const c10::Error&) {
        throw DataError(path, "the random generator state is not a valid state of the generator (damaged file)");
    }
    // set_state accepts positions from which the engine would read past its state array: it
    // reads `left - 1` more words from `next` before refilling them.
    const at::mt19937_data_pod engine = scratch.get<at::CPUGeneratorImpl>()->engine().data();
    if (int64_t(engine.left_) + int64_t(engine.next_) > int64_t(at::MERSENNE_STATE_N) + 1)
        throw DataError(path, "the random generator state points past its own words (damaged file)");
}

} // namespace

CheckpointContents trainingCheckpointContents(const torch::nn::Module& model, const torch::optim::Optimizer& optimizer,
                                              const nlohmann::json& trainer)
{
    CheckpointContents contents;
    contents.trainer = trainer.dump();
    contents.model = moduleTensors(model);
    contents.optimizer = captureOptimizerState(optimizer);
    contents.rng = generatorState();
    return contents;
}

void writeTrainingCheckpoint(const std::string& path, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                             const nlohmann::json& trainer)
{
    const CheckpointContents contents = trainingCheckpointContents(model, optimizer, trainer);
    const std::vector<char> bytes = encodeCheckpoint(contents, checkpointChecksum(contents));
    writeFileAtomically(path, bytes.data(), bytes.size());
}

namespace {

// " (batch: 16 in the checkpoint, 8 now)": the settings that differ, when both fingerprints read.
std::string fingerprintDifference(const std::string& saved, const std::string& now)
{
    const auto old = nlohmann::json::parse(saved, nullptr, false);
    const auto current = nlohmann::json::parse(now, nullptr, false);
    if (!old.is_object() || !current.is_object())
        return {};
    std::string text;
    for (const auto& [key, value] : current.items()) {
        const auto found = old.find(key);
        if (found != old.end() && *found == value)
            continue;
        const std::string was = found == old.end() ? "none" : printableText(found->dump(), 80);
        text += (text.empty() ? " (" : "; ") + key + ": " + was + " in the checkpoint, " + printableText(value.dump(), 80) +
                " now" + (key == "batch" ? ", all ranks' together" : "");
    }
    return text.empty() ? text : text + ")";
}

} // namespace

std::optional<nlohmann::json> readTrainingCheckpoint(const std::string& path, torch::nn::Module& model,
                                                     torch::optim::Optimizer& optimizer, const std::string& fingerprint)
{
    std::error_code error;
    if (!std::filesystem::exists(std::filesystem::symlink_status(path, error)))
        return std::nullopt;
    const CheckpointContents contents = readCheckpointFile(path);
    nlohmann::json trainer = trainerState(contents.trainer, path);
    const auto saved = trainer.find("fingerprint");
    if (saved == trainer.end() || !saved->is_string() || saved->get<std::string>() != fingerprint)
        throw DataError(path, "this checkpoint belongs to a different training configuration" +
                                  fingerprintDifference(saved == trainer.end() || !saved->is_string()
                                                            ? std::string()
                                                            : saved->get<std::string>(),
                                                        fingerprint) +
                                  "; delete it or pass --restart");
    try {
        checkModelTypes(model, contents.model, path);
        checkOptimizerState(contents.optimizer, optimizer, path);
        checkGeneratorState(contents.rng, path);
        // Names and shapes are checked before the first copy.
        assignTensors(model, contents.model, path, "the model being trained");
        restoreOptimizerState(contents.optimizer, optimizer);
        auto generator = at::detail::getDefaultCPUGenerator();
        std::lock_guard<std::mutex> lock(generator.mutex());
        generator.set_state(contents.rng.contiguous());
    } catch (const std::bad_alloc&) {
        throw DataError(path, "not enough memory to restore this training checkpoint");
    } catch (const c10::Error& failure) {
        throw DataError(path, "the training checkpoint could not be restored: " +
                                  libraryErrorText(failure.what_without_backtrace()));
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
