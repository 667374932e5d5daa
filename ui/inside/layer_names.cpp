#include "ui/inside/layer_names.h"

#include <QCoreApplication>
#include <QRegularExpression>

QString layerTitle(int layerFromOne)
{
    return QCoreApplication::translate("Layers", "Layer %1").arg(layerFromOne);
}

QString layerTitle(const std::string& id)
{
    const QString name = QString::fromStdString(id);
    if (name == QLatin1String("superposed"))
        return QCoreApplication::translate("Layers", "Superposition");
    static const QRegularExpression numbered(QStringLiteral("^layer(\\d+)$"));
    const QRegularExpressionMatch match = numbered.match(name);
    return match.hasMatch() ? layerTitle(match.captured(1).toInt()) : name;
}
