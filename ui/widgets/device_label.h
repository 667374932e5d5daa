#pragma once
// How a device name of core ("cpu", "cuda:1", "auto") reads in a Device box.
#include <QString>

// "CPU", "GPU 1 (CUDA)", "Automatic (the GPU when there is one)"; other names as they are.
QString deviceLabel(const QString& device);
