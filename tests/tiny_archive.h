#pragma once
// A tiny MIMOConv (depth 10, width 1, 8 stem channels, N_cap = 2, 1x8x8 inputs) as the records
// of a model file, for the suites that damage model files on purpose.
#include "core/model/mimo_conv.h"
#include "hostile_archive.h"

#include <torch/torch.h>

#include <QByteArray>

#include <string>

namespace mimo::testing {

inline MimoConvConfig tinyHostileConfig(int classes)
{
    MimoConvConfig config;
    config.depth = 10;
    config.widthFactor = 1;
    config.stemWidth = 8;
    config.numClasses = classes;
    config.capacity = 2;
    config.input.channels = 1;
    config.input.height = config.input.width = 8;
    config.input.mean = {0.5f};
    config.input.stddev = {0.25f};
    return config;
}

// The archive of a freshly built tiny MIMOConv, exactly as it must load.
inline ModelArchive tinyHostileArchive(int classes)
{
    MimoConv model(tinyHostileConfig(classes));
    ModelArchive archive;
    archive.config = toJson(model->config());
    for (const auto& item : model->named_parameters())
        archive.tensors[item.key()] = item.value().detach().clone();
    for (const auto& item : model->named_buffers())
        archive.tensors[item.key()] = item.value().detach().clone();
    return archive;
}

inline QByteArray bytes(const std::string& text) { return QByteArray(text.data(), qsizetype(text.size())); }

} // namespace mimo::testing
