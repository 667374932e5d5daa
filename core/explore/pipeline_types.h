#pragma once
// The pipeline view's data: the loaded model as its stages, in the order a forward pass runs
// them, each with the tensor it hands on for the current inputs, N and keys, and the share of
// the forward time it takes on the current device. Plain data (no torch, no Qt).
#include <cstdint>
#include <string>
#include <vector>

namespace mimo {

struct PipelineStage {
    std::string id;          // "stem", "binding", "layer1.attention", ... (stable, for tests and links)
    std::string title;       // "Stem", "Binding", "Attention in superposition"
    std::string operation;   // what it computes, with this model's sizes
    std::string group;       // the part of the network it belongs to: "" or "Layer 1" (MIMOFormer)
    // What flows out: `copies` tensors of `shape` each (n per input, 1 for one superposition).
    int copies = 1;
    std::vector<int64_t> shape;
    std::string shapeMeaning; // the axes, e.g. "channels x height x width"
    // Whether its output is one superposition of the inputs (drawn as one merged box).
    bool superposed = false;
    int timing = -1;         // index into PipelineReport::timings; -1 for a stage that computes nothing
    // Where to see its tensor: "activations:<layer>[:<view>]", "attention:<layer index>",
    // "interference" or "" for none.
    std::string opens;
};

// The measured time of one or more consecutive stages that a forward pass runs as one step
// (a MIMOConv binds and sums in one product; FAVOR+ binds, attends and unbinds in one kernel).
struct PipelineTiming {
    int firstStage = 0, lastStage = 0;
    std::vector<std::string> laps;    // the stage names `mimo bench --breakdown` prints
    double milliseconds = 0.0;        // median per forward pass
    // Of the pass: median time over the sum of every timing's median (the shares add up to 1),
    // and the lowest and highest share in a single round.
    double share = 0.0, shareLow = 0.0, shareHigh = 0.0;
};

struct PipelineReport {
    std::string model;                // the model's description
    std::string family;               // "MIMOConv", "MIMOFormer", ...
    int n = 1;
    std::string grid;                 // "N_cap=4" or "2 x 2 grid"
    std::string keys;                 // the keys bound with
    std::string device;
    std::vector<std::string> inputs;  // per slot, the input's name
    std::vector<PipelineStage> stages;
    std::vector<PipelineTiming> timings;
    int rounds = 0;                   // timed passes (after one warm-up pass)
    double passMilliseconds = 0.0, passLow = 0.0, passHigh = 0.0; // a whole pass, synchronised per stage
};

} // namespace mimo
