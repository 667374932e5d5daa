#include "ui/widgets/n_list.h"

#include <QRegularExpression>
#include <QStringList>

#include <algorithm>

std::vector<int> parseNList(const QString& text, QString* bad)
{
    bad->clear();
    std::vector<int> ns;
    const QStringList tokens = text.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
    for (const QString& token : tokens) {
        bool ok = false;
        const int n = token.toInt(&ok);
        if (!ok || n < 1) {
            *bad = token;
            return {};
        }
        ns.push_back(n);
    }
    std::sort(ns.begin(), ns.end());
    ns.erase(std::unique(ns.begin(), ns.end()), ns.end());
    return ns;
}

QString formatNList(const std::vector<int>& ns)
{
    QStringList parts;
    for (int n : ns)
        parts << QString::number(n);
    return parts.join(QStringLiteral(", "));
}
