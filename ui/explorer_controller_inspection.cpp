// The controller's "seeing inside" requests: only the view on screen asks, and only for a state
// whose run has finished, so the activations, interference and attention maps always belong
// to the inputs, N and keys shown in the slots.
#include "ui/controller_jobs.h"

#include <algorithm>

using namespace mimo;

void ExplorerController::setInspection(Inspection which)
{
    if (inspection_ == which)
        return;
    inspection_ = which;
    requestInspection();
}

void ExplorerController::setAttentionSelection(int slot, int layer, int head)
{
    if (slot == attentionSlot_ && layer == attentionLayer_ && head == attentionHead_)
        return;
    attentionSlot_ = slot;
    attentionLayer_ = layer;
    attentionHead_ = head;
    if (inspection_ == Inspection::Attention) {
        inspectionGeneration_ = 0; // the maps shown are another selection's until the answer comes
        requestInspection();
    }
}

void ExplorerController::requestInspection()
{
    // Only for a state whose run has finished: the inspection then shows the same inputs,
    // N and keys as the slots. One in flight, one waiting: a burst of changes costs one more.
    if (inspection_ == Inspection::None || !resultIsCurrent() || loading_)
        return;
    if (inspectionInFlight_) {
        inspectionPending_ = true;
        return;
    }
    inspectionPending_ = false;
    const RunRequest request = currentRequest();
    const quint64 generation = generation_;
    const Inspection kind = inspection_;
    const auto& info = model_.info;
    const bool former = info.family() == ModelFamily::Former;
    const int slot = std::clamp(attentionSlot_, 0, n_ - 1);
    const int layer = former ? std::clamp(attentionLayer_, 0, info.former().layers - 1) : 0;
    const int head = former ? std::clamp(attentionHead_, 0, info.former().heads - 1) : 0;
    // Shown only if nothing changed meanwhile: the state, the tab, the attention selection.
    const auto accept = [this, generation, kind, slot, layer, head]() {
        return generation == generation_ && kind == inspection_ &&
               (kind != Inspection::Attention ||
                (slot == std::clamp(attentionSlot_, 0, n_ - 1) && layer == attentionLayer_ && head == attentionHead_));
    };
    const auto done = [this, generation, kind](bool accepted) {
        inspectionInFlight_ = false;
        if (accepted) {
            inspectionGeneration_ = generation;
            inspectionKind_ = kind;
            emit inspectionChanged();
        }
        if (inspectionPending_ || !accepted)
            requestInspection();
    };
    const auto failed = [this](const QString&) {
        inspectionInFlight_ = false;
        if (inspectionPending_)
            requestInspection();
    };
    if ((kind == Inspection::Activations && former) || (kind == Inspection::Attention && !former)) {
        activations_.reset(); // nothing to compute: the view says why
        attention_.reset();
        inspectionGeneration_ = generation;
        inspectionKind_ = kind;
        emit inspectionChanged();
        return;
    }
    inspectionInFlight_ = true;
    switch (kind) {
    case Inspection::Activations:
        submit<ActivationReport>(
            tr("Computing the activations"), [request](ExplorerEngine& engine) { return engine.activations(request); },
            [this, accept, done](ActivationReport report) {
                const bool accepted = accept();
                if (accepted)
                    activations_ = std::move(report);
                done(accepted);
            },
            tr("Activations"), failed, generation);
        break;
    case Inspection::Interference:
        submit<InterferenceSummary>(
            tr("Measuring the interference"), [request](ExplorerEngine& engine) { return engine.interference(request); },
            [this, accept, done](InterferenceSummary summary) {
                const bool accepted = accept();
                if (accepted)
                    interference_ = std::move(summary);
                done(accepted);
            },
            tr("Interference"), failed, generation);
        break;
    case Inspection::Attention:
        submit<AttentionMaps>(
            tr("Computing attention maps"),
            [request, slot, layer, head](ExplorerEngine& engine) { return engine.attention(request, slot, layer, head); },
            [this, accept, done](AttentionMaps maps) {
                const bool accepted = accept();
                if (accepted)
                    attention_ = std::move(maps);
                done(accepted);
            },
            tr("Attention maps"), failed, generation);
        break;
    case Inspection::None:
        inspectionInFlight_ = false;
        break;
    }
}
