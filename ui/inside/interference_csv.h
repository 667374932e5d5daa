#pragma once
// The numbers behind the Interference tab's plots as CSV (export_csv.h's conventions): one
// line per slot, per layer, or per point of the key-interference curves.
#include "core/explore/inspection_types.h"

#include <QString>

namespace interference_csv {

QString perSlot(const mimo::InterferenceSummary& summary);   // cosine to alone, probability change
QString perLayer(const mimo::InterferenceSummary& summary);  // the gap per layer
QString keysOverN(const mimo::InterferenceSummary& summary); // expected and measured curves, each slot

} // namespace interference_csv
