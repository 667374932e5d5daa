#pragma once
// Replacing a loaded model's binding keys by a KeyChoice (drawn, permuted, given values), for
// the explorer's engine and for batch evaluations. torch side: core .cpp files only.
#include "core/explore/explorer_types.h"
#include "core/model/model_file.h"

namespace mimo {

bool isHrrConv(const ModelInfo& info);   // MIMOConv with HRR keys and N_cap > 1
bool isMimoFormer(const ModelInfo& info); // sequence model with bound attention (not a Performer)

// Puts the trained keys back, then replaces them as `choice` says (nothing more for Trained).
// Throws Error for keys the model cannot take (a DataError naming a key file of the wrong
// shape); the model may then hold the trained keys.
void applyKeyChoice(LoadedModel& model, const KeyChoice& choice);

} // namespace mimo
