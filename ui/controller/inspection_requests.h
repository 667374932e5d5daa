#pragma once
// "Seeing inside" for the controller's current state: the pipeline, the activations, the
// interference or an attention map, whichever view is on screen. Only the view on screen asks,
// and only for a state whose run has finished, so what it shows always belongs to the inputs,
// N and keys of the slots; one request in flight and one waiting (latest request wins).
#include "core/explore/inspection_types.h"
#include "core/explore/pipeline_types.h"
#include "ui/controller/latest_request_wins.h"

#include <QObject>
#include <QString>

#include <optional>

namespace mimo {
class ExplorerEngine;
}
class ExplorerController;
class JobRunner;

class InspectionRequests : public QObject {
    Q_OBJECT
public:
    enum class Kind { None, Pipeline, Activations, Interference, Attention };

    InspectionRequests(ExplorerController& controller, JobRunner& jobs);

    // The view on screen (None when no inside view is).
    void setWanted(Kind kind);
    Kind wanted() const { return wanted_; }
    void setAttentionSelection(int slot, int layer, int head);

    const mimo::PipelineReport* pipeline() const { return pipeline_ ? &*pipeline_ : nullptr; }
    const mimo::ActivationReport* activations() const { return activations_ ? &*activations_ : nullptr; }
    const mimo::InterferenceSummary* interference() const { return interference_ ? &*interference_ : nullptr; }
    const mimo::AttentionMaps* attentionMaps() const { return attention_ ? &*attention_ : nullptr; }
    // Whether what is held belongs to the current state, view and attention selection.
    bool isCurrent() const;

    // Forgets what was computed for the previous model.
    void clear();
    // Asks for the wanted view's data when the controller has a current result.
    void request() { latest_.request(); }

Q_SIGNALS:
    void changed(); // pipeline(), activations(), interference() or attentionMaps() changed
    void problem(const QString& title, const QString& message);

private:
    // What an answer belongs to: the state, the view and (for attention) the selection.
    struct Stamp {
        quint64 generation = 0;
        Kind kind = Kind::None;
        int slot = 0, layer = 0, head = 0;
        bool operator==(const Stamp& other) const
        {
            return generation == other.generation && kind == other.kind && slot == other.slot &&
                   layer == other.layer && head == other.head;
        }
    };
    Stamp currentStamp() const;
    bool start(const Stamp& stamp);
    template <class Result>
    void ask(const Stamp& stamp, const QString& what, const QString& title,
             std::function<Result(mimo::ExplorerEngine&)> job, std::optional<Result>& into);

    ExplorerController& controller_;
    JobRunner& jobs_;
    LatestRequestWins<Stamp> latest_;
    Kind wanted_ = Kind::None;
    int attentionSlot_ = 0, attentionLayer_ = 0, attentionHead_ = 0;
    std::optional<Stamp> held_; // what the data below was computed for
    std::optional<mimo::PipelineReport> pipeline_;
    std::optional<mimo::ActivationReport> activations_;
    std::optional<mimo::InterferenceSummary> interference_;
    std::optional<mimo::AttentionMaps> attention_;
};
