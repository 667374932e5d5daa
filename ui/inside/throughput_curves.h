#pragma once
// The curves of the accuracy-throughput view: accuracy (95 % Wilson interval as vertical bars,
// the min-max of timed rounds as horizontal ones) against inputs per second, one point per N
// joined per model and labelled with N; speedup against N with its rounds' spread and the ideal
// line y = N. Drawn into plots the view owns; plain functions, so the view only lays out.
#include "core/eval/evaluation.h"

#include <QList>
#include <QPalette>
#include <QString>

#include <vector>

class QCustomPlot;

struct CurveSeries {
    QString model;                  // legend entry
    std::vector<mimo::EvalRow> rows; // one per N, in the order evaluated
    QString caution;                // why its speeds need care (mimo::speedCaution); empty if none
};

// Adds the plottables and point labels of every series (the plots are cleared by the caller).
void drawCurves(QCustomPlot* accuracy, QCustomPlot* speedup, const QList<CurveSeries>& series, const QPalette& palette);

// "Read these speeds with care. ..." from the series' cautions (each named when several); empty
// when none has one.
QString cautionText(const QList<CurveSeries>& series);
