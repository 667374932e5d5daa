#include "ui/export/export_writer.h"

#include "ui/export/export_rendering.h"

#include <QCoreApplication>
#include <QDir>
#include <QPointer>
#include <QSaveFile>

namespace {

QString failure(const QString& path, const QString& reason)
{
    return QCoreApplication::translate("ExportWriter", "%1: %2").arg(QDir::toNativeSeparators(path), reason);
}

// Empty on success, else the reason. The target is replaced only by commit(), once every byte
// is in the temporary file; an error before that discards the temporary file (QSaveFile).
QString writeOne(const ExportFile& file)
{
    const QByteArray bytes = file.image.isNull() ? file.bytes : encodePng(file.image);
    if (!file.image.isNull() && bytes.isEmpty())
        return QCoreApplication::translate("ExportWriter", "the image could not be encoded as PNG");
    QSaveFile out(file.path);
    if (!out.open(QIODevice::WriteOnly))
        return out.errorString();
    if (out.write(bytes) != bytes.size()) {
        const QString reason = out.errorString();
        out.cancelWriting();
        return reason;
    }
    if (!out.commit())
        return out.errorString();
    return {};
}

} // namespace

ExportOutcome writeExportFiles(const QList<ExportFile>& files, const QString& folder)
{
    ExportOutcome outcome;
    if (!folder.isEmpty() && !QDir().mkpath(folder)) {
        outcome.errors << failure(folder, QCoreApplication::translate("ExportWriter", "the folder cannot be created"));
        return outcome;
    }
    for (const ExportFile& file : files) {
        const QString reason = writeOne(file);
        if (reason.isEmpty())
            outcome.written << file.path;
        else
            outcome.errors << failure(file.path, reason);
    }
    return outcome;
}

ExportWriter::ExportWriter(QObject* parent) : QObject(parent)
{
    pool_.setMaxThreadCount(1); // one job after another: two exports to one path never interleave
}

ExportWriter::~ExportWriter()
{
    pool_.waitForDone();
}

QList<ExportFile> detachedForWriter(const QList<ExportFile>& files)
{
    QList<ExportFile> own = files;
    for (ExportFile& file : own)
        if (!file.image.isNull())
            file.image = file.image.copy();
    return own;
}

void ExportWriter::write(const QList<ExportFile>& files, const QString& folder, const QStringList& earlierErrors)
{
    ++pending_;
    pool_.start([this, files = detachedForWriter(files), folder, earlierErrors] {
        ExportOutcome outcome = writeExportFiles(files, folder);
        outcome.errors = earlierErrors + outcome.errors;
        // Delivered on this object's thread; dropped with the object if it is gone by then.
        QMetaObject::invokeMethod(
            this,
            [this, outcome] {
                --pending_;
                Q_EMIT finished(outcome.written, outcome.errors);
            },
            Qt::QueuedConnection);
    });
}

ExportWriter* ExportWriter::shared()
{
    static QPointer<ExportWriter> writer;
    if (!writer)
        writer = new ExportWriter(QCoreApplication::instance());
    return writer;
}
