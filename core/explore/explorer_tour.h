#pragma once
// The guided tour's steps (bind, superpose, process, unbind, classify) from one captured
// forward pass, with this model's numbers in the explanations. torch header: core .cpp only.
#include "core/explore/explorer_types.h"
#include "core/model/mimo_conv.h"
#include "core/model/mimo_former.h"

#include <string>
#include <vector>

namespace mimo {

// A CPU float copy of `tensor` for drawing.
TensorView tensorView(const torch::Tensor& tensor, std::string name, std::string caption);

struct TourInputs {
    const ModelInfo* info = nullptr;
    int n = 1;
    std::string keysDescription;
    std::vector<std::pair<std::string, torch::Tensor>> intermediates; // of the superposed pass (one group)
    torch::Tensor inputs;          // MIMOConv: what the model sees [n, C, H, W] in [0, 1]; MIMOFormer: tokens [n, L]
    torch::Tensor keys;            // the keys binding the slots: [n, D] or [m*n, D_h]
    torch::Tensor superposed;      // class probabilities [n, classes]
    torch::Tensor alone;           // the same inputs at N = 1
    std::vector<std::string> sources;
};

std::vector<TourStep> convTour(const TourInputs& inputs);
std::vector<TourStep> formerTour(const TourInputs& inputs, int gridM, int gridN);

} // namespace mimo
