#pragma once
// "Export all views": every item drawn as PNG (twice its natural size, 144 DPI), SVG and PDF,
// its data as CSV when it has some, optionally a screenshot of the window, and index.json
// listing what each file is; drawn here on the GUI thread, written by an ExportWriter.
#include "ui/export/export_item.h"
#include "ui/export/export_writer.h"

#include <QDateTime>
#include <QImage>
#include <QList>
#include <QString>
#include <QStringList>

class QWidget;

// The files for `folder`: per item NAME.png, NAME.svg, NAME.pdf (and NAME.csv), then
// window.png when `window` is not null, then index.json. Names repeated among the items get
// "-2", "-3", ...; items that are not valid are left out; views that could not be drawn are
// named in `problems` (and in the index).
QList<ExportFile> exportAllFiles(const QList<ExportItem>& items, const QString& folder, const QImage& window = {},
                                 QStringList* problems = nullptr);

// Draws everything now and hands it to `writer`, which creates `folder` and reports through
// finished() (drawing problems included). Returns the number of files handed over.
int exportAll(const QList<ExportItem>& items, const QString& folder, ExportWriter* writer, QWidget* window = nullptr);

// A new folder name for one export, inside the folder people chose: "mimo-export-20250131-142501".
QString exportAllFolderName(const QDateTime& when = QDateTime::currentDateTime());

// The whole window as it is on screen, at the screen's pixel density, the DPI recorded (so it
// prints at its on-screen size).
QImage windowScreenshot(QWidget* window);
QByteArray windowScreenshotPng(QWidget* window);
