#pragma once
// One text form for naming a dataset, shared by the CLI, batch configs and the GUI:
//   fashion-mnist[:train|test]            Debian's dataset-fashion-mnist (or --data-dir / env)
//   mnist:DIR[:train|test]                IDX files, gzipped or plain
//   cifar10:DIR[:train|test]              CIFAR-10 binary batches
//   cifar100:DIR[:train|test][:coarse]    CIFAR-100 binary, fine labels unless :coarse
//   svhn:DIR[:train|test] or svhn:FILE.mat SVHN cropped digits (train_32x32.mat, test_32x32.mat)
//   images:DIR                            one subfolder per class
//   listops:FILE.tsv                      LRA ListOps TSV
//   listops-generated[:COUNT[:SEED]]      fresh trees, 20 < length < 256 (1000, seed 2)
//   text:FILE.tsv                         byte-level text classification, "label<TAB>text" lines
//   pixels:SPEC                           any image SPEC read as a pixel sequence (LRA Image)
// The split defaults to test.
#include "core/data/dataset.h"
#include "core/data/image_preprocess.h"

#include <string>
#include <vector>

namespace mimo {

struct DataOptions {
    std::string fashionMnistDir;    // empty: env MIMO_FASHION_MNIST_DIR, then the Debian path
    std::size_t sequenceLength = 0; // padding length; 0 means LRA's (ListOps 2000, text 1000)
    ImageInputSpec imageSpec;       // for image folders
    int pixelHeight = 0, pixelWidth = 0; // pixels:SPEC read at this size (block averages); 0 = native
};

// Throws mimo::Error for a malformed spec and DataError for unreadable data.
DatasetPtr openDataset(const std::string& spec, const DataOptions& options = {});

// The accepted forms, one per line, for help texts and error messages.
const std::vector<std::string>& datasetSpecForms();

} // namespace mimo
