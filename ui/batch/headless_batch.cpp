#include "ui/batch/headless_batch.h"

#include "core/data/binary_file.h"
#include "core/errors.h"
#include "core/explore/batch_evaluation.h"
#include "ui/batch/evaluation_task.h"
#include "ui/export/export_rendering.h"
#include "ui/export/export_writer.h"
#include "ui/inside/throughput_view.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cstdio>

namespace {

// The curves as the window draws them, each as PNG, PDF and SVG, written as the window's
// exports are (export_writer.h; here blocking, as nothing else waits).
bool writeCurves(const mimo::BatchResult& result, const QDir& out)
{
    ThroughputView view;
    view.resize(1100, 520);
    view.setSeries(curveSeries(result));
    view.flush();
    QList<ExportFile> files;
    QStringList problems;
    for (const ExportItem& item : view.exportItems()) {
        for (const ExportFormat format : {ExportFormat::Png, ExportFormat::Pdf, ExportFormat::Svg}) {
            QString problem;
            const QString path = out.filePath(item.name + QLatin1Char('.') + exportFormatSuffix(format));
            const QByteArray bytes = renderExport(item, format, defaultExportPixels(item), kDefaultExportDpi, &problem);
            if (bytes.isEmpty())
                problems << path + QStringLiteral(": ") + problem;
            else
                files << ExportFile{path, bytes, {}};
        }
    }
    problems += writeExportFiles(files).errors;
    for (const QString& problem : problems)
        std::fprintf(stderr, "mimo-explorer: %s\n", qPrintable(problem));
    return problems.isEmpty();
}

} // namespace

int runHeadlessPlot(const QString& resultsPath, const QString& outDir)
{
    mimo::BatchResult result;
    try {
        mimo::refuseSpecialFile(resultsPath.toStdString()); // a FIFO would block the open below
        QFile file(resultsPath);
        if (!file.open(QIODevice::ReadOnly))
            throw mimo::DataError(resultsPath.toStdString(), "cannot be read (" + file.errorString().toStdString() + ")");
        result = mimo::batchResultFromJson(file.readAll().toStdString(), resultsPath.toStdString());
        if (!result.hasRows())
            throw mimo::DataError(resultsPath.toStdString(), "holds no measured rows to draw");
        mimo::prepareOutputFolder(outDir.toStdString());
    } catch (const std::exception& error) {
        std::fprintf(stderr, "mimo-explorer: %s\n", mimo::userErrorText(error).c_str());
        return 2;
    }
    return writeCurves(result, QDir(outDir)) ? 0 : 1;
}

int runHeadlessBatch(const QString& configPath, const QString& outDir, const std::atomic<bool>* cancel)
{
    mimo::BatchConfig config;
    try {
        mimo::refuseSpecialFile(configPath.toStdString());
        QFile file(configPath);
        if (!file.open(QIODevice::ReadOnly))
            throw mimo::DataError(configPath.toStdString(), "cannot be read (" + file.errorString().toStdString() + ")");
        config = mimo::batchConfigFromJson(file.readAll().toStdString(), configPath.toStdString(),
                                           QFileInfo(configPath).absolutePath().toStdString());
        mimo::validateBatchConfig(config);
        mimo::prepareOutputFolder(outDir.toStdString()); // before the run, so a bad folder costs nothing
    } catch (const std::exception& error) {
        std::fprintf(stderr, "mimo-explorer: %s\n", mimo::userErrorText(error).c_str());
        return 2;
    }
    const mimo::BatchResult result = mimo::runBatch(config, mimo::consoleProgress(stderr), cancel);
    mimo::endConsoleProgress(stderr);
    int failed = 0;
    for (const auto& model : result.models)
        if (!model.error.empty()) {
            std::fprintf(stderr, "mimo-explorer: %s\n", model.error.c_str());
            ++failed;
        }
    for (const QString& line : unreadableLines(result))
        std::fprintf(stderr, "mimo-explorer: %s\n", line.toStdString().c_str());
    bool written = true;
    try {
        for (const auto& path : mimo::writeBatchOutputs(outDir.toStdString(), result))
            std::fprintf(stderr, "wrote %s\n", path.c_str());
    } catch (const std::exception& error) {
        std::fprintf(stderr, "mimo-explorer: %s\n", mimo::userErrorText(error).c_str());
        return 1;
    }
    if (result.hasRows())
        written = writeCurves(result, QDir(outDir));
    if (result.cancelled)
        return 130;
    return failed || !written ? 1 : 0;
}
