#pragma once
// Architecture of a Performer / MIMOFormer encoder (mimonets-spec.md 3.1-3.4) as plain data.
#include <cstdint>
#include <string>

namespace mimo {

enum class FormerAttention {
    Performer, // FAVOR+ with a ReLU kernel and fixed orthogonal random features (the baseline)
    Mimo,      // MIMOFormer "att.": attention computed in superposition on an M x N key grid
    MimoMlp,   // MIMOFormer "att.+MLP": also the residual stream and the MLP in superposition
};

struct MimoFormerConfig {
    int vocabularySize = 16;   // token ids in [0, vocab); 0 is padding and masked
    int maxLength = 512;       // longest sequence; the position table is rounded up to a power of two
    int dim = 64;              // d
    int ffDim = 128;           // d_ff of the MLP and the head
    int heads = 2;             // H
    int headDim = 32;          // D_h
    int layers = 2;
    int numClasses = 10;
    int features = 256;        // R, random features of FAVOR+
    FormerAttention attention = FormerAttention::Mimo;
    int gridM = 2;             // M: key bundles (queries are summed over M)
    int gridN = 2;             // N: query bundles (keys and values are summed over N)
    double dropout = 0.1;
    bool dualHead = false;     // two-document tasks (LRA Retrieval)
    uint64_t bufferSeed = 1234; // draws the fixed keys and random features once, at construction

    int positionRows() const;  // maxLength rounded up to a power of two
    int superposed() const { return attention == FormerAttention::Performer ? 1 : gridM * gridN; }
    void validate() const;     // throws mimo::Error naming the field
    std::string describe() const;
};

std::string formerAttentionName(FormerAttention attention);

std::string toJson(const MimoFormerConfig& config);
MimoFormerConfig formerConfigFromJson(const std::string& json);

} // namespace mimo
