#pragma once
// QCustomPlot for a build with QT_NO_KEYWORDS: its header declares signals with the `signals`
// keyword and iterates with `foreach`, which that setting removes. The two words are mapped to
// their Q_ macros for its declarations only, so no other header sees them.
#pragma push_macro("signals")
#pragma push_macro("foreach")
#define signals Q_SIGNALS
#define foreach Q_FOREACH
#include <qcustomplot.h>
#pragma pop_macro("foreach")
#pragma pop_macro("signals")
