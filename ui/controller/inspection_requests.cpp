#include "ui/controller/inspection_requests.h"

#include "ui/controller/explorer_controller.h"
#include "ui/controller/job_runner.h"

#include <algorithm>

using namespace mimo;

InspectionRequests::InspectionRequests(ExplorerController& controller, JobRunner& jobs)
    : QObject(&controller), controller_(controller), jobs_(jobs),
      latest_([this] { return currentStamp(); }, [this](const Stamp& stamp) { return start(stamp); })
{
}

void InspectionRequests::setWanted(Kind kind)
{
    if (wanted_ == kind)
        return;
    wanted_ = kind;
    request();
}

void InspectionRequests::setAttentionSelection(int slot, int layer, int head)
{
    if (slot == attentionSlot_ && layer == attentionLayer_ && head == attentionHead_)
        return;
    attentionSlot_ = slot;
    attentionLayer_ = layer;
    attentionHead_ = head;
    if (wanted_ == Kind::Attention)
        request();
}

bool InspectionRequests::isCurrent() const { return held_ && *held_ == currentStamp(); }

void InspectionRequests::clear()
{
    held_.reset();
    pipeline_.reset();
    activations_.reset();
    interference_.reset();
    attention_.reset();
}

InspectionRequests::Stamp InspectionRequests::currentStamp() const
{
    Stamp stamp;
    stamp.generation = controller_.stateGeneration();
    stamp.kind = wanted_;
    const auto& info = controller_.model().info;
    if (wanted_ == Kind::Attention && info.family() == ModelFamily::Former) {
        stamp.slot = std::clamp(attentionSlot_, 0, std::max(controller_.n() - 1, 0));
        stamp.layer = std::clamp(attentionLayer_, 0, std::max(info.former().layers - 1, 0));
        stamp.head = std::clamp(attentionHead_, 0, std::max(info.former().heads - 1, 0));
    }
    return stamp;
}

bool InspectionRequests::start(const Stamp& stamp)
{
    if (stamp.kind == Kind::None || !controller_.resultIsCurrent() || controller_.loading())
        return false;
    const bool former = controller_.model().info.family() == ModelFamily::Former;
    if ((stamp.kind == Kind::Activations && former) || (stamp.kind == Kind::Attention && !former)) {
        clear(); // nothing to compute for this family: the view says why
        held_ = stamp;
        Q_EMIT changed();
        return false;
    }
    const RunRequest request = controller_.runRequest();
    switch (stamp.kind) {
    case Kind::Pipeline:
        ask<PipelineReport>(stamp, tr("Timing the pipeline"), tr("Pipeline"),
                            [request](ExplorerEngine& engine) { return engine.pipeline(request); }, pipeline_);
        break;
    case Kind::Activations:
        ask<ActivationReport>(stamp, tr("Computing the activations"), tr("Activations"),
                              [request](ExplorerEngine& engine) { return engine.activations(request); }, activations_);
        break;
    case Kind::Interference:
        ask<InterferenceSummary>(stamp, tr("Measuring the interference"), tr("Interference"),
                                 [request](ExplorerEngine& engine) { return engine.interference(request); },
                                 interference_);
        break;
    case Kind::Attention:
        ask<AttentionMaps>(stamp, tr("Computing attention maps"), tr("Attention maps"),
                           [request, stamp](ExplorerEngine& engine) {
                               return engine.attention(request, stamp.slot, stamp.layer, stamp.head);
                           },
                           attention_);
        break;
    case Kind::None:
        return false;
    }
    return true;
}

template <class Result>
void InspectionRequests::ask(const Stamp& stamp, const QString& what, const QString& title,
                             std::function<Result(ExplorerEngine&)> job, std::optional<Result>& into)
{
    jobs_.submit<Result>(
        what, std::move(job),
        [this, stamp, &into](Result result) {
            latest_.deliver(stamp, [&] {
                into = std::move(result);
                held_ = stamp;
                Q_EMIT changed();
            });
        },
        [this, stamp, title](const QString& message) {
            latest_.fail(stamp, [&] { Q_EMIT problem(title, message); });
        });
}
