#pragma once
// One naming of layers wherever a layer is shown (the activations' layer list, the interference
// plot and its CSV, the attention's layer list): "Layer 1", "Layer 2", … counted from 1 in both
// families, and "Superposition" for a MIMOConv's superposed input before its first layer. Core
// reports layers by id ("superposed", "layer1", …, also 1-based); views show these titles.
#include <QString>

#include <string>

QString layerTitle(int layerFromOne);
QString layerTitle(const std::string& id);
