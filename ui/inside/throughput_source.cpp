#include "ui/inside/throughput_source.h"

#include "ui/widgets/n_list.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QListWidget>

#include <algorithm>

namespace throughput_source {

namespace {

QString tr(const char* text, int n = -1) { return QCoreApplication::translate("ThroughputView", text, nullptr, n); }

// "images:/home/me/data/shoes" as "images:shoes": the folder's name says which data it is, the
// whole path is in the tooltip (and a screenshot does not show where a machine keeps its files).
QString shortSpec(const std::string& spec)
{
    const QString text = QString::fromStdString(spec);
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    const QString path = colon < 0 ? text : text.mid(colon + 1);
    if (!QFileInfo(path).isAbsolute())
        return text;
    const QString name = QFileInfo(QDir::cleanPath(path)).fileName();
    return colon < 0 ? name : text.left(colon + 1) + name;
}

} // namespace

QString describe(Kind kind, const mimo::BatchConfig& plotted, bool hasPoints, bool controlsMatch)
{
    if (kind == Kind::None || !hasPoints)
        return tr("Plotted: nothing yet. Start evaluates the checked models here (live); Evaluate > Batch "
                  "Evaluation shows its results here too.");
    const QString what = tr("%n model(s), N = %1, on %2", int(plotted.models.size()))
                             .arg(formatNList(plotted.ns),
                                  plotted.dataset.empty() ? tr("each model's test split") : shortSpec(plotted.dataset));
    QString text = kind == Kind::Live ? tr("Plotted: the live run started here (%1).").arg(what)
                                      : tr("Plotted: the batch evaluation (Evaluate > Batch Evaluation) of %1; the "
                                           "controls show its settings.").arg(what);
    if (!controlsMatch)
        text += QLatin1Char(' ') + tr("The controls were changed since: Start evaluates what they show now.");
    return text;
}

bool sameRun(const mimo::BatchConfig& a, const mimo::BatchConfig& b)
{
    std::vector<std::string> first = a.models, second = b.models;
    std::sort(first.begin(), first.end());
    std::sort(second.begin(), second.end());
    return first == second && a.dataset == b.dataset && a.ns == b.ns && a.limit == b.limit && a.batch == b.batch;
}

void checkModels(QListWidget* list, const std::vector<std::string>& models)
{
    for (const std::string& model : models) {
        const QString path = QString::fromStdString(model);
        bool listed = false;
        for (int i = 0; i < list->count() && !listed; ++i)
            listed = list->item(i)->data(Qt::UserRole).toString() == path;
        if (!listed) {
            auto* item = new QListWidgetItem(QFileInfo(path).fileName(), list);
            item->setData(Qt::UserRole, path);
            item->setToolTip(path);
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        }
    }
    for (int i = 0; i < list->count(); ++i) {
        const std::string path = list->item(i)->data(Qt::UserRole).toString().toStdString();
        const bool run = std::find(models.begin(), models.end(), path) != models.end();
        list->item(i)->setCheckState(run ? Qt::Checked : Qt::Unchecked);
    }
}

} // namespace throughput_source
