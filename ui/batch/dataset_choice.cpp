#include "ui/batch/dataset_choice.h"

#include <QCoreApplication>

namespace {

const char* const kPixels = "pixels:";

QString tr(const char* text) { return QCoreApplication::translate("DatasetChoice", text); }

// The spec's prefix for the kinds that have one ("mnist" in "mnist:DIR:test").
QString prefix(DatasetKind kind)
{
    switch (kind) {
    case DatasetKind::OwnTestSplit: return {};
    case DatasetKind::FashionMnist: return QStringLiteral("fashion-mnist");
    case DatasetKind::MnistFolder: return QStringLiteral("mnist");
    case DatasetKind::Cifar10Folder: return QStringLiteral("cifar10");
    case DatasetKind::Cifar100Folder: return QStringLiteral("cifar100");
    case DatasetKind::ImageFolder: return QStringLiteral("images");
    case DatasetKind::ListOpsFile: return QStringLiteral("listops");
    case DatasetKind::GeneratedListOps: return QStringLiteral("listops-generated");
    case DatasetKind::TextFile: return QStringLiteral("text");
    }
    return {};
}

} // namespace

const std::vector<DatasetKind>& allDatasetKinds()
{
    static const std::vector<DatasetKind> kinds{
        DatasetKind::OwnTestSplit,  DatasetKind::FashionMnist, DatasetKind::MnistFolder,
        DatasetKind::Cifar10Folder, DatasetKind::Cifar100Folder, DatasetKind::ImageFolder,
        DatasetKind::ListOpsFile,   DatasetKind::GeneratedListOps, DatasetKind::TextFile};
    return kinds;
}

QString datasetKindLabel(DatasetKind kind)
{
    switch (kind) {
    case DatasetKind::OwnTestSplit: return tr("The models' own test split");
    case DatasetKind::FashionMnist: return tr("Fashion-MNIST");
    case DatasetKind::MnistFolder: return tr("MNIST IDX folder…");
    case DatasetKind::Cifar10Folder: return tr("CIFAR-10 binary folder…");
    case DatasetKind::Cifar100Folder: return tr("CIFAR-100 binary folder…");
    case DatasetKind::ImageFolder: return tr("Image folder with class subfolders…");
    case DatasetKind::ListOpsFile: return tr("ListOps TSV file…");
    case DatasetKind::GeneratedListOps: return tr("Generated ListOps");
    case DatasetKind::TextFile: return tr("Text TSV file…");
    }
    return {};
}

QString datasetKindKey(DatasetKind kind)
{
    return kind == DatasetKind::OwnTestSplit ? QStringLiteral("own") : prefix(kind);
}

std::optional<DatasetKind> datasetKindFromKey(const QString& key)
{
    for (DatasetKind kind : allDatasetKinds())
        if (datasetKindKey(kind) == key)
            return kind;
    return std::nullopt;
}

DatasetSource datasetSource(DatasetKind kind)
{
    switch (kind) {
    case DatasetKind::MnistFolder:
    case DatasetKind::Cifar10Folder:
    case DatasetKind::Cifar100Folder:
    case DatasetKind::ImageFolder: return DatasetSource::Folder;
    case DatasetKind::ListOpsFile:
    case DatasetKind::TextFile: return DatasetSource::File;
    default: return DatasetSource::None;
    }
}

bool datasetHasSplit(DatasetKind kind)
{
    return kind == DatasetKind::FashionMnist || kind == DatasetKind::MnistFolder || kind == DatasetKind::Cifar10Folder
           || kind == DatasetKind::Cifar100Folder;
}

bool datasetIsImages(DatasetKind kind) { return datasetHasSplit(kind) || kind == DatasetKind::ImageFolder; }

QString datasetSpec(const DatasetChoice& choice)
{
    if (choice.kind == DatasetKind::OwnTestSplit)
        return {};
    if (datasetSource(choice.kind) != DatasetSource::None && choice.path.trimmed().isEmpty())
        return {};
    QString spec = prefix(choice.kind);
    if (datasetSource(choice.kind) != DatasetSource::None)
        spec += QLatin1Char(':') + choice.path.trimmed();
    if (datasetHasSplit(choice.kind))
        spec += QLatin1Char(':') + (choice.split.isEmpty() ? QStringLiteral("test") : choice.split);
    if (choice.pixels && datasetIsImages(choice.kind))
        spec.prepend(QLatin1String(kPixels));
    return spec;
}

std::optional<DatasetChoice> datasetChoiceFromSpec(const QString& text)
{
    DatasetChoice choice;
    QString spec = text.trimmed();
    if (spec.isEmpty())
        return choice;
    if (spec.startsWith(QLatin1String(kPixels))) {
        choice.pixels = true;
        spec = spec.mid(int(qstrlen(kPixels)));
    }
    // "listops-generated" before "listops": the longer prefix decides.
    for (DatasetKind kind : {DatasetKind::GeneratedListOps, DatasetKind::FashionMnist, DatasetKind::MnistFolder,
                             DatasetKind::Cifar10Folder, DatasetKind::Cifar100Folder, DatasetKind::ImageFolder,
                             DatasetKind::ListOpsFile, DatasetKind::TextFile}) {
        const QString name = prefix(kind);
        if (spec != name && !spec.startsWith(name + QLatin1Char(':')))
            continue;
        choice.kind = kind;
        QString rest = spec.mid(name.size() + 1);
        if (kind == DatasetKind::Cifar100Folder && rest.endsWith(QLatin1String(":coarse")))
            rest.chop(7);
        if (datasetHasSplit(kind)) {
            for (const QString& split : {QStringLiteral("train"), QStringLiteral("test")}) {
                if (rest == split || rest.endsWith(QLatin1Char(':') + split)) {
                    choice.split = split;
                    rest.chop(rest == split ? split.size() : split.size() + 1);
                    break;
                }
            }
        }
        if (datasetSource(kind) != DatasetSource::None)
            choice.path = rest;
        if (choice.pixels && !datasetIsImages(kind))
            return std::nullopt;
        return choice;
    }
    return std::nullopt;
}
