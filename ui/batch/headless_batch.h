#pragma once
// `mimo-explorer --batch CONFIG.json --out DIR`: a batch evaluation without a window. Writes
// results.csv, results.json and config.json (as `mimo eval --config` does) and the two curves
// (accuracy against inputs per second, speedup against N) as PNG, PDF and SVG, drawn by the same
// plot the window shows. Progress goes to stderr. Needs a QApplication (offscreen is enough).
#include <QString>

#include <atomic>

// Exit code: 0 done, 1 a model failed or an output could not be written (named on stderr),
// 2 the config is unusable, 130 interrupted (partial results are still written).
int runHeadlessBatch(const QString& configPath, const QString& outDir, const std::atomic<bool>* cancel = nullptr);

// `mimo-explorer --plot results.json --out DIR`: the curves of results already measured (by
// `mimo eval --out`, a batch run, or Export JSON in the dialog), without evaluating again.
// Exit code: 0 drawn, 1 a curve could not be written, 2 the results file is unusable.
int runHeadlessPlot(const QString& resultsPath, const QString& outDir);
