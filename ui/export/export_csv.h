#pragma once
// The data behind exported views as CSV text: comma-separated, one line per row ending in "\n",
// a header line first, fields quoted when they hold a comma, a quote or a line break; numbers
// in C locale with enough digits to read back; empty fields for NaN and infinities.
#include "core/explore/explorer_types.h"

#include <QString>
#include <QStringList>

class QTableWidget;

QString csvField(const QString& text);
QString csvNumber(double value);
QString csvLine(const QStringList& fields); // with its "\n"

// A matrix [R, C] (or a vector [D], one row) with row labels in the first column and column
// labels in the header; missing labels count from 1. "" when the values do not fill the shape.
QString matrixCsv(const mimo::TensorView& matrix, const QStringList& rowLabels = {},
                  const QStringList& columnLabels = {}, const QString& corner = {});

// What a channel heatmap grid shows: rank 1 and 2 as matrixCsv(); rank 3 [C, H, W] and rank 4
// [N, C, H, W] (leading dimensions merged into the first, as drawn) one line per value of the
// first `maxChannels` channels: (slot,) channel, row, column, value, counted from 1.
QString tensorCsv(const mimo::TensorView& tensor, int maxChannels);

// A table widget as it is shown: its header line, then one line per row of cell texts.
QString tableCsv(const QTableWidget& table);
