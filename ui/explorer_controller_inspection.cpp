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
    inspectionGeneration_ = 0; // what is shown belongs to the previous view until the answer comes
    requestInspection();
}

void ExplorerController::setAttentionSelection(int slot, int layer, int head)
{
    attentionSlot_ = slot;
    attentionLayer_ = layer;
    attentionHead_ = head;
    if (inspection_ == Inspection::Attention) {
        inspectionGeneration_ = 0;
        requestInspection();
    }
}

void ExplorerController::requestInspection()
{
    // Only for a state whose run has finished: the inspection then shows the same inputs,
    // N and keys as the slots. A newer state asks again when its own run completes.
    if (inspection_ == Inspection::None || !resultIsCurrent())
        return;
    const RunRequest request = currentRequest();
    const quint64 generation = generation_;
    const auto accept = [this, generation]() { return generation == generation_; };
    switch (inspection_) {
    case Inspection::Activations:
        if (model_.info.family != ModelFamily::Conv) {
            activations_.reset();
            inspectionGeneration_ = generation;
            emit inspectionChanged();
            return;
        }
        submit<ActivationReport>(
            tr("Computing the activations"), [request](ExplorerEngine& engine) { return engine.activations(request); },
            [this, accept, generation](ActivationReport report) {
                if (!accept())
                    return;
                activations_ = std::move(report);
                inspectionGeneration_ = generation;
                emit inspectionChanged();
            },
            tr("Activations"));
        break;
    case Inspection::Interference:
        submit<InterferenceSummary>(
            tr("Measuring the interference"), [request](ExplorerEngine& engine) { return engine.interference(request); },
            [this, accept, generation](InterferenceSummary summary) {
                if (!accept())
                    return;
                interference_ = std::move(summary);
                inspectionGeneration_ = generation;
                emit inspectionChanged();
            },
            tr("Interference"));
        break;
    case Inspection::Attention: {
        if (model_.info.family != ModelFamily::Former) {
            attention_.reset();
            inspectionGeneration_ = generation;
            emit inspectionChanged();
            return;
        }
        const int slot = std::clamp(attentionSlot_, 0, n_ - 1), layer = attentionLayer_, head = attentionHead_;
        submit<AttentionMaps>(
            tr("Computing attention maps"),
            [request, slot, layer, head](ExplorerEngine& engine) { return engine.attention(request, slot, layer, head); },
            [this, accept, generation](AttentionMaps maps) {
                if (!accept())
                    return;
                attention_ = std::move(maps);
                inspectionGeneration_ = generation;
                emit inspectionChanged();
            },
            tr("Attention maps"));
        break;
    }
    case Inspection::None:
        break;
    }
}
