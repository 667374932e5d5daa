#pragma once
// The dataset kinds the Batch Evaluation dialog offers, and the dataset spec each one stands
// for (core/data/dataset_spec.h). Text only: the spec is what core opens; an expert can type
// any spec instead, so reading a spec back into a choice is best effort.
#include <QString>

#include <optional>
#include <vector>

enum class DatasetKind {
    OwnTestSplit,     // empty spec: each model's own test split
    FashionMnist,
    MnistFolder,
    Cifar10Folder,
    Cifar100Folder,
    ImageFolder,      // one subfolder per class
    ListOpsFile,
    GeneratedListOps,
    TextFile,
};

enum class DatasetSource { None, Folder, File };

struct DatasetChoice {
    DatasetKind kind = DatasetKind::OwnTestSplit;
    QString path;                   // the folder or file, for the kinds that read one
    QString split = QStringLiteral("test");
    bool pixels = false;            // an image kind read as a pixel sequence (pixels:SPEC)
};

const std::vector<DatasetKind>& allDatasetKinds();
QString datasetKindLabel(DatasetKind kind);   // "CIFAR-10 binary folder…"
QString datasetKindKey(DatasetKind kind);     // stable name for settings: "cifar10"
std::optional<DatasetKind> datasetKindFromKey(const QString& key);
DatasetSource datasetSource(DatasetKind kind);
bool datasetHasSplit(DatasetKind kind);       // train / test
bool datasetIsImages(DatasetKind kind);       // can be read as pixel sequences

// The spec for a choice; empty for OwnTestSplit and when a folder or file is needed but missing.
QString datasetSpec(const DatasetChoice& choice);
// The choice a spec stands for; nullopt when the spec is none of the offered kinds.
std::optional<DatasetChoice> datasetChoiceFromSpec(const QString& spec);
