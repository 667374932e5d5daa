#include "ui/window/help_dialogs.h"

#include "core/runtime.h"
#include "ui/controller/explorer_controller.h"

#include <QAction>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>

void showShortcutHelp(QWidget* parent, QMenuBar* menus)
{
    QString rows;
    for (QAction* menu : menus->actions())
        for (QAction* action : menu->menu()->actions())
            if (!action->shortcut().isEmpty())
                rows += QStringLiteral("<tr><td>%1</td><td><b>%2</b></td></tr>")
                            .arg(action->text().remove('&').toHtmlEscaped(),
                                 action->shortcut().toString(QKeySequence::NativeText).toHtmlEscaped());
    QMessageBox box(QMessageBox::NoIcon, QObject::tr("Keyboard Shortcuts"),
                    QObject::tr("<table cellpadding=3>%1</table><p>In the guided tour: arrow keys or Space step, Esc leaves "
                       "presentation mode.</p>")
                        .arg(rows),
                    QMessageBox::Close, parent);
    box.exec();
}

void showAboutBox(QWidget* parent, const ExplorerController& controller)
{
    const QString model = controller.hasModel()
                              ? QObject::tr("<p>Model: %1<br>%2</p>")
                                    .arg(QString::fromStdString(controller.model().path).toHtmlEscaped(),
                                         QString::fromStdString(controller.model().info.card.trainingCommand).toHtmlEscaped())
                              : QString();
    QMessageBox::about(parent, QObject::tr("About MIMO Explorer"),
                       QObject::tr("<h3>MIMO Explorer %1</h3>"
                          "<p>Explore multiple-input multiple-output neural networks (MIMONets, Menet et al., "
                          "NeurIPS 2023): several inputs bound to keys, computed on in superposition, and "
                          "unbound into one result each.</p><p>%2</p>%3")
                           .arg(QString::fromStdString(mimo::projectVersion()),
                                QString::fromStdString(mimo::computeBackendSummary()).toHtmlEscaped(), model));
}
