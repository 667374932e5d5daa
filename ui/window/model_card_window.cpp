#include "ui/window/model_card_window.h"

#include "core/model/model_card.h"
#include "ui/controller/explorer_controller.h"
#include "ui/window/single_window.h"

#include <QDialogButtonBox>
#include <QFileInfo>
#include <QGuiApplication>
#include <QScreen>
#include <QTextBlock>
#include <QTextBrowser>
#include <QTextCursor>
#include <QVBoxLayout>

#include <algorithm>

ModelCardWindow::ModelCardWindow(ExplorerController* controller, QWidget* parent)
    : QDialog(parent), controller_(controller)
{
    setObjectName(QStringLiteral("modelCardWindow"));
    setModal(false);
    browser_ = new QTextBrowser(this);
    browser_->setOpenExternalLinks(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(browser_, 1);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    connect(controller_, &ExplorerController::modelChanged, this, &ModelCardWindow::showModel);

    // Wide enough for the training command and the curve's rows, never wider than the screen.
    const QRect screen = (parent ? parent->screen() : QGuiApplication::primaryScreen())->availableGeometry();
    const int em = fontMetrics().averageCharWidth();
    resize(std::min(100 * em, screen.width() * 9 / 10), std::min(60 * fontMetrics().height(), screen.height() * 8 / 10));
    showModel();
}

ModelCardWindow* ModelCardWindow::showFor(QWidget* window, ExplorerController* controller)
{
    return showSingleWindow<ModelCardWindow>(window, [&] { return new ModelCardWindow(controller, window); });
}

void ModelCardWindow::showModel()
{
    if (!controller_->hasModel()) {
        setWindowTitle(tr("Model Card"));
        markdown_ = tr("No model loaded.");
    } else {
        const auto& model = controller_->model();
        const mimo::ModelCard& card = model.info.card;
        const QString file = QFileInfo(QString::fromStdString(model.path)).fileName();
        const QString name = card.name.empty() ? file : QString::fromStdString(card.name);
        setWindowTitle(tr("Model Card: %1").arg(name));
        if (card.trainingCommand.empty() && card.testAccuracy.empty() && card.curve.empty())
            markdown_ = tr("# %1\n\nThis model file's card says nothing of how the model was trained or how well "
                           "it does.\n\n- Architecture: %2\n")
                            .arg(name, QString::fromStdString(model.info.describe()));
        else
            markdown_ = QString::fromStdString(mimo::toMarkdown(card, model.info.describe()));
        // Where the file is, first in the card's list of facts.
        const qsizetype list = markdown_.indexOf(QStringLiteral("\n\n- "));
        if (list >= 0)
            markdown_.insert(list + 2, tr("- File: %1\n").arg(QString::fromStdString(model.path)));
    }
    browser_->setMarkdown(markdown_);
    // The training command is a code block, which the Markdown reader keeps on one line: wrapped
    // here, the card reads without scrolling sideways (copying it still gives one line).
    for (QTextBlock block = browser_->document()->begin(); block.isValid(); block = block.next()) {
        QTextBlockFormat format = block.blockFormat();
        if (format.nonBreakableLines()) {
            format.setNonBreakableLines(false);
            QTextCursor(block).setBlockFormat(format);
        }
    }
}
