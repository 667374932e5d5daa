#pragma once
// Closed-form expectations of the interference measured by measureInterference, for
// inputs with i.i.d. zero-mean entries and keys drawn from a family. Plain data: the GUI
// plots these curves directly. Derivation in docs/vsa-interference.md.
#include "core/vsa/key_family.h"

#include <cstdint>

namespace mimo::vsa {

struct InterferenceExpectation {
    double cosine = 0.0; // NaN where no finite closed form exists
    double snr = 0.0;    // +inf for N = 1 where recovery is exact or crosstalk-free
    bool exactRecovery = false;
};

// Fourth-moment ratio E|K_f|^4 / (E|K_f|^2)^2 averaged over the rfft bins (HRR), or
// E k^4 / (E k^2)^2 of the entries (MAP). It is the whole story of self-unbinding noise.
double keyFourthMomentRatio(BindingKind binding, KeyFamily family, int64_t d);

InterferenceExpectation expectedInterference(BindingKind binding, Unbinding unbinding, KeyFamily family,
                                             int64_t n, int64_t d);

} // namespace mimo::vsa
