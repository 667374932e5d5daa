#include "ui/export/export_writer.h"

#include "ui/export/export_rendering.h"

#include "core/errors.h"
#include "core/explore/batch_evaluation.h"

#include <QCoreApplication>
#include <QDir>
#include <QPointer>
#include <QFile>

namespace {

QString failure(const QString& path, const QString& reason)
{
    return QCoreApplication::translate("ExportWriter", "%1: %2").arg(QDir::toNativeSeparators(path), reason);
}

// Empty on success, else the reason. The target is replaced only once every byte is on the disk
// (core's writeFileAtomically: write, fsync, rename). QSaveFile was not enough: on a full disk it
// committed an empty temporary file over an existing PDF and said "Unknown error" elsewhere.
QString writeOne(const ExportFile& file)
{
    const QByteArray bytes = file.image.isNull() ? file.bytes : encodePng(file.image);
    if (bytes.isEmpty())
        return file.image.isNull() ? QCoreApplication::translate("ExportWriter", "nothing was drawn to write")
                                   : QCoreApplication::translate("ExportWriter", "the image could not be encoded as PNG");
    try {
        mimo::writeFileAtomically(QFile::encodeName(file.path).toStdString(), bytes.toStdString());
    } catch (const std::exception& error) {
        // DataError names the file; failure() names it again, so keep only the reason.
        const QString message = QString::fromStdString(mimo::userErrorText(error));
        const QString prefix = file.path + QStringLiteral(": ");
        return message.startsWith(prefix) ? message.mid(prefix.size()) : message;
    }
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
