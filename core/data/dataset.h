#pragma once
// The dataset abstraction shared by evaluation code, the CLI and the GUI.
// Plain data only (no torch, no Qt): tensors are made from samples in data/tensors.h.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mimo {

enum class Modality { Image, Sequence };

// One item. Images: `pixels` holds C*H*W values in [0,1], channel-major, not normalised
// (normalisation belongs to a model's input spec). Sequences: `tokens` holds the ids,
// 0 meaning padding.
struct Sample {
    Modality modality = Modality::Image;
    std::vector<int64_t> shape; // {C, H, W} or {L}
    std::vector<float> pixels;
    std::vector<int32_t> tokens;
    int64_t label = -1; // -1: unknown
};

class Dataset {
public:
    virtual ~Dataset() = default;
    virtual std::string name() const = 0;
    virtual std::size_t size() const = 0;
    virtual Modality modality() const = 0;
    virtual std::vector<int64_t> sampleShape() const = 0;
    virtual Sample sample(std::size_t index) const = 0;
    virtual int64_t label(std::size_t index) const = 0;
    virtual const std::vector<std::string>& classNames() const = 0;
    // Sequences only: ids are in [0, vocabularySize()).
    virtual int64_t vocabularySize() const { return 0; }
    // True when sample() reads and decodes a file per item (image folders), so one item can be
    // unreadable while the others are fine: sample() then throws a DataError naming that file,
    // and evaluation and training skip the item and report it (core/data/unreadable_items.h).
    // Datasets read whole when opened (IDX, CIFAR, TSV) have checked every item already.
    virtual bool decodesOnDemand() const { return false; }
    // Where the items come from, for messages about the whole dataset: the folder of an image
    // folder; the name otherwise.
    virtual std::string origin() const { return name(); }
    // A grouping people compare accuracy over (ListOps: the tree's depth): item i's group, -1
    // for none; groupKind() names it ("tree depth"), empty when the dataset has no groups.
    virtual int group(std::size_t) const { return -1; }
    virtual std::string groupKind() const { return {}; }
};

using DatasetPtr = std::shared_ptr<const Dataset>;

} // namespace mimo
