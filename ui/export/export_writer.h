#pragma once
// Writes exported files off the GUI thread, so a slow or full disk never freezes the window.
// Every file is written atomically (QSaveFile: a temporary file renamed over the target only
// when every byte is on disk), so an error leaves no half-written file and an existing file
// as it was. Jobs run one after another, in the order given.
#include <QByteArray>
#include <QImage>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QThreadPool>

struct ExportFile {
    QString path;
    QByteArray bytes; // written as they are, or:
    QImage image;     // when not null: encoded as PNG in the writer's thread (the slow part)
};

// The files with images of their own. An image that was painted keeps its paint engine (and the
// pixmap a widget was grabbed into shares its data) until the last copy goes, and destroying
// that engine on another thread while the GUI thread paints corrupts the heap. So the writer's
// thread only ever gets fresh copies; what was painted stays and dies on the GUI thread.
QList<ExportFile> detachedForWriter(const QList<ExportFile>& files);

struct ExportOutcome {
    QStringList written; // paths, in the order given
    QStringList errors;  // one per failure: "PATH: reason"
};

// The blocking part, for the worker (and tests): creates `folder` first when it is given.
ExportOutcome writeExportFiles(const QList<ExportFile>& files, const QString& folder = {});

class ExportWriter : public QObject {
    Q_OBJECT
public:
    explicit ExportWriter(QObject* parent = nullptr);
    ~ExportWriter() override; // waits for the writes under way: a file is never left half done

    // Returns at once; finished() follows on this object's thread. `folder`, when given, is
    // created (with its parents) before the first file. `earlierErrors` (e.g. views that could
    // not be drawn) are reported with the write errors, so one message says everything.
    void write(const QList<ExportFile>& files, const QString& folder = {}, const QStringList& earlierErrors = {});
    bool isBusy() const { return pending_ > 0; }

    // The application's writer, created on first use (on the GUI thread) and owned by the
    // application object: every export of the window goes through it, and the window reports
    // what it signals.
    static ExportWriter* shared();

Q_SIGNALS:
    void finished(const QStringList& written, const QStringList& errors);

private:
    QThreadPool pool_;
    int pending_ = 0;
};
