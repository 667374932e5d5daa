#include "ui/panels/dropped_paths.h"

#include <QDir>
#include <QFileInfo>
#include <QMimeData>
#include <QUrl>

QStringList droppedPaths(const QMimeData* data)
{
    QStringList paths;
    if (!data)
        return paths;
    if (data->hasUrls()) {
        for (const QUrl& url : data->urls())
            if (url.isLocalFile())
                paths << url.toLocalFile();
        return paths;
    }
    return data->hasText() ? pathsInText(data->text()) : paths;
}

QStringList pathsInText(const QString& text)
{
    QStringList paths;
    for (QString line : text.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        line = line.trimmed();
        if (line.size() > 1 && (line.startsWith(QLatin1Char('"')) || line.startsWith(QLatin1Char('\''))) &&
            line.endsWith(line.front()))
            line = line.mid(1, line.size() - 2); // quoted by a shell or a file manager
        if (line.isEmpty())
            continue;
        QString path;
        if (line.startsWith(QStringLiteral("file:"), Qt::CaseInsensitive)) {
            const QUrl url(line);
            if (!url.isLocalFile())
                return {};
            path = url.toLocalFile();
        } else if (line.startsWith(QStringLiteral("~/"))) {
            path = QDir::homePath() + line.mid(1);
        } else {
            path = line;
        }
        if (!QDir::isAbsolutePath(path) || !QFileInfo::exists(path))
            return {};
        paths << QDir::cleanPath(path);
    }
    return paths;
}
