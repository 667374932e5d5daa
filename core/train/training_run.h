#pragma once
// What every training is told besides its recipe: the data, the model file, checkpoints, the
// learning curve, the device and what the card records. Plain data.
#include "core/distributed/distributed_settings.h"
#include "core/model/precision.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mimo {

class Dataset;

// Throws mimo::Error naming the dataset when it has more classes than the classifier: LibTorch's
// "Target 3 is out of bounds" reached the user otherwise.
void requireClassifierCovers(const Dataset& data, int64_t numClasses);

struct TrainingRun {
    std::string trainData;             // dataset SPECs (dataset_spec.h)
    std::string testData;
    std::string dataDir;               // Fashion-MNIST folder override
    std::string output;                // model file
    std::string checkpoint;            // default: output + ".ckpt"
    std::string initialWeights;        // a model file to start from (initial_weights.h); empty: fresh
    double checkpointMinutes = 5.0;
    bool restart = false;              // ignore an existing checkpoint
    std::vector<int> evalNs;           // default: every N the model serves
    std::size_t curveEvalLimit = 1000; // test items per curve point (the final evaluation uses all)
    std::string device = "cpu";
    // Mixed precision (autocast) of the forward pass and the loss; fp16 scales the loss
    // (LossScaler), bf16 needs no scaling.
    Precision precision = Precision::Fp32;
    std::string name;                  // the card's; default: the architecture's description
    std::string command;               // recorded verbatim in the model card
    // One rank of a data-parallel group when its worldSize > 1 (resolveDistributed): the batch
    // is each rank's, rank 0 writes checkpoints, the model file and its card.
    DistributedSettings distributed;

    // Throws mimo::Error when there is no output model file.
    void validate() const;
};

} // namespace mimo
