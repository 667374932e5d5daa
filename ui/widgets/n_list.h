#pragma once
// N values as people type them ("1, 2, 4"), shared by the throughput tab and the batch
// evaluation dialog so both accept and reject the same text.
#include <QString>

#include <vector>

// Integers separated by commas, semicolons and/or spaces, each >= 1; sorted, duplicates
// removed. On failure returns an empty vector and the offending token in `bad` (left empty
// when the text holds no token at all).
std::vector<int> parseNList(const QString& text, QString* bad);

// "1, 2, 4"
QString formatNList(const std::vector<int>& ns);
