#include "ui/window/first_contact_links.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStringList>

QUrl paperUrl() { return QUrl(QStringLiteral("https://arxiv.org/abs/2312.02829")); }

QUrl documentationUrl(const QString& page)
{
    const QDir bin(QCoreApplication::applicationDirPath());
    // build/bin/../../docs (a build in the source tree), then <prefix>/bin/../share/doc/...
    for (const QString& folder : {QStringLiteral("../../docs"), QStringLiteral("../share/doc/mimo-explorer/docs")}) {
        const QFileInfo file(bin.filePath(folder + QLatin1Char('/') + page));
        if (file.isFile())
            return QUrl::fromLocalFile(file.canonicalFilePath());
    }
    return {};
}

namespace {
QString href(const QUrl& url) { return url.toString(QUrl::FullyEncoded).toHtmlEscaped(); }
} // namespace

QString firstContactLinks(bool brief)
{
    QStringList links;
    links << (brief ? QObject::tr("<a href=\"%1\">The paper</a> (arXiv:2312.02829)")
                    : QObject::tr("<a href=\"%1\">The paper</a> (Menet et al., NeurIPS 2023, arXiv:2312.02829)"))
                 .arg(href(paperUrl()));
    const QUrl method = documentationUrl(QStringLiteral("mimonets.md"));
    if (!method.isEmpty())
        links << QObject::tr("<a href=\"%1\">How the explorer computes it</a>").arg(href(method));
    const QUrl explorer = documentationUrl(QStringLiteral("explorer.md"));
    if (!explorer.isEmpty())
        links << QObject::tr("<a href=\"%1\">Using the explorer</a>").arg(href(explorer));
    return links.join(QStringLiteral(" · "));
}
