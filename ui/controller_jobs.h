#pragma once
// How the controller sends a job to the compute thread: busy state, reply on the GUI thread,
// a problem reported (state unchanged) when it fails. Included by the controller's sources only.
#include "ui/compute_thread.h"
#include "ui/explorer_controller.h"

#include <QStringList>


template <class Result>
void ExplorerController::submit(const QString& what, std::function<Result(mimo::ExplorerEngine&)> job,
                                std::function<void(Result)> reply, const QString& failureTitle,
                                std::function<void(const QString&)> onFailure, quint64 onlyForGeneration)
{
    ++jobsInFlight_;
    setBusyMessage(what);
    compute_->submit<Result>(
        job, this,
        [this, reply](Result result) {
            --jobsInFlight_;
            reply(std::move(result));
            setBusyMessage({});
        },
        [this, failureTitle, onFailure, onlyForGeneration](const QString& message) {
            --jobsInFlight_;
            if (onFailure)
                onFailure(message);
            // A job asked for an older state fails quietly: its answer would not be shown either.
            if (onlyForGeneration == 0 || onlyForGeneration == generation_)
                emit problem(failureTitle, message);
            setBusyMessage({});
        });
}

namespace controller_jobs {

inline std::string text(const QString& value) { return value.toStdString(); }

// Prepares sources for a model, collecting one message per source that fails.
struct Prepared {
    std::vector<SlotInput> inputs;
    QStringList errors;
};

inline Prepared prepareAll(const std::vector<mimo::InputSource>& sources, const mimo::ModelInfo& model)
{
    Prepared out;
    const mimo::DataOptions options = mimo::dataOptionsForModel(model);
    for (const auto& source : sources) {
        try {
            out.inputs.push_back({source, mimo::prepareInput(source, model, options)});
        } catch (const std::exception& error) {
            out.errors << QString::fromStdString(error.what());
        }
    }
    return out;
}

} // namespace controller_jobs

struct ExplorerController::PrepareReply {
    controller_jobs::Prepared prepared;
    int offered = 0; // files found (a folder counts its files)
};

