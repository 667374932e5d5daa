#include "ui/widgets/device_label.h"

#include <QCoreApplication>

QString deviceLabel(const QString& device)
{
    if (device == QLatin1String("cpu"))
        return QCoreApplication::translate("Device", "CPU");
    if (device == QLatin1String("cuda"))
        return QCoreApplication::translate("Device", "GPU (CUDA)");
    if (device.startsWith(QLatin1String("cuda:")))
        return QCoreApplication::translate("Device", "GPU %1 (CUDA)").arg(device.mid(5));
    if (device == QLatin1String("auto"))
        return QCoreApplication::translate("Device", "Automatic (the GPU when there is one)");
    return device;
}
