#include "ui/session/view_settings.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QSlider>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QWidget>

namespace {

// Named ancestors up to (not including) root, joined with '/'.
QString keyOf(const QObject* object, const QObject* root)
{
    QStringList names;
    for (const QObject* at = object; at && at != root; at = at->parent())
        if (!at->objectName().isEmpty() && !at->objectName().startsWith(QLatin1String("qt_")))
            names.prepend(at->objectName());
    return names.join('/');
}

// The root itself counts too (a tab widget's current tab), keyed by its own name.
template <class Visit>
void forEachControl(QWidget* root, Visit visit)
{
    QList<QWidget*> widgets = root->findChildren<QWidget*>();
    widgets.prepend(root);
    for (QWidget* widget : widgets) {
        if (widget->objectName().isEmpty() || widget->objectName().startsWith(QLatin1String("qt_")))
            continue;
        if (qobject_cast<QComboBox*>(widget) || qobject_cast<QAbstractButton*>(widget) ||
            qobject_cast<QSpinBox*>(widget) || qobject_cast<QDoubleSpinBox*>(widget) ||
            qobject_cast<QSlider*>(widget) || qobject_cast<QTabWidget*>(widget))
            visit(widget == root ? root->objectName() : keyOf(widget, root), widget);
    }
}

} // namespace

std::map<std::string, std::string> captureViewSettings(const QWidget* root)
{
    std::map<std::string, std::string> settings;
    forEachControl(const_cast<QWidget*>(root), [&](const QString& key, QWidget* widget) {
        QString value;
        if (auto* combo = qobject_cast<QComboBox*>(widget))
            value = combo->currentText();
        else if (auto* button = qobject_cast<QAbstractButton*>(widget)) {
            if (!button->isCheckable())
                return;
            value = button->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
        } else if (auto* spin = qobject_cast<QSpinBox*>(widget))
            value = QString::number(spin->value());
        else if (auto* real = qobject_cast<QDoubleSpinBox*>(widget))
            value = QString::number(real->value(), 'g', 12);
        else if (auto* slider = qobject_cast<QSlider*>(widget))
            value = QString::number(slider->value());
        else if (auto* tabs = qobject_cast<QTabWidget*>(widget))
            value = QString::number(tabs->currentIndex());
        settings[key.toStdString()] = value.toStdString();
    });
    return settings;
}

int applyViewSettings(QWidget* root, const std::map<std::string, std::string>& settings, std::set<std::string>* applied)
{
    int count = 0;
    forEachControl(root, [&](const QString& key, QWidget* widget) {
        const auto found = settings.find(key.toStdString());
        if (found == settings.end())
            return;
        const QString value = QString::fromStdString(found->second);
        bool ok = true;
        if (auto* combo = qobject_cast<QComboBox*>(widget)) {
            int index = combo->findText(value);
            if (index < 0) // saved when the list showed its ids (a layer list showed "layer1")
                index = combo->findData(value);
            ok = index >= 0;
            if (ok)
                combo->setCurrentIndex(index);
        } else if (auto* button = qobject_cast<QAbstractButton*>(widget)) {
            ok = button->isCheckable();
            if (ok)
                button->setChecked(value == QLatin1String("true"));
        } else if (auto* spin = qobject_cast<QSpinBox*>(widget)) {
            const int number = value.toInt(&ok);
            ok = ok && number >= spin->minimum() && number <= spin->maximum();
            if (ok)
                spin->setValue(number);
        } else if (auto* real = qobject_cast<QDoubleSpinBox*>(widget)) {
            const double number = value.toDouble(&ok);
            ok = ok && number >= real->minimum() && number <= real->maximum();
            if (ok)
                real->setValue(number);
        } else if (auto* slider = qobject_cast<QSlider*>(widget)) {
            const int number = value.toInt(&ok);
            ok = ok && number >= slider->minimum() && number <= slider->maximum();
            if (ok)
                slider->setValue(number);
        } else if (auto* tabs = qobject_cast<QTabWidget*>(widget)) {
            const int index = value.toInt(&ok);
            ok = ok && index >= 0 && index < tabs->count();
            if (ok)
                tabs->setCurrentIndex(index);
        }
        if (ok) {
            ++count;
            if (applied)
                applied->insert(found->first);
        }
    });
    return count;
}
