#pragma once
// The subset of Python's pickle protocol that torch.save and torch::pickle_save write, read
// without recursion and without running anything: globals are names, calls build only
// dictionaries and tensors. Built for hostile input (docs/file-safety.md):
//   - an explicit stack; nesting deeper than kMaxPickleDepth is refused, so neither reading
//     nor destroying the values can overflow the call stack;
//   - a container cannot be changed once it is inside another, so values form no cycles;
//   - every length is checked against the bytes present, and the number of values against
//     kMaxPickleValues, before anything is allocated;
//   - a tensor's offset, sizes and strides are checked against its storage before a view of
//     it is made (tensor_layout.h).
// torch header: core .cpp files only.
#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mimo {

inline constexpr uint32_t kMaxPickleDepth = 100;
inline constexpr uint64_t kMaxPickleValues = 1'000'000;

struct PickleValue;
using PickleValuePtr = std::shared_ptr<PickleValue>;

struct PickleValue {
    enum class Kind { None, Bool, Int, Float, Text, Tuple, List, Dict, Set, Global, Storage, Tensor, Opaque };
    Kind kind = Kind::None;
    int64_t integer = 0;                                      // Int, Bool
    double number = 0.0;                                      // Float
    std::string text;                                         // Text (and bytes); Global as "module.name"
    std::vector<PickleValuePtr> items;                        // Tuple, List, Set
    std::vector<std::pair<PickleValuePtr, PickleValuePtr>> entries; // Dict
    // Storage: a 1-D tensor of `storageNumel` elements; Tensor: a checked view of one. Either
    // is undefined when the caller reads the layout only (no weights).
    at::Tensor tensor;
    at::ScalarType dtype = at::kFloat;                        // Storage, Tensor
    int64_t storageNumel = 0;                                 // Storage
    std::vector<int64_t> sizes;                               // Tensor
    uint32_t depth = 0;   // longest chain of containers below this one
    bool sealed = false;  // inside another container, so no longer changed

    bool is(Kind k) const { return kind == k; }
    // The value under a text key of a Dict, or nullptr.
    PickleValuePtr find(const std::string& key) const;
};

// The storage that a persistent id ('storage', type, key, location, numel) names: a 1-D tensor
// of `numel` elements of `dtype` read from the archive, or an undefined tensor when only the
// layout is wanted. Throws DataError when the archive's record does not hold exactly that.
using StorageLoader = std::function<at::Tensor(const std::string& key, at::ScalarType dtype, int64_t numel)>;

// Reads one pickle; throws DataError(source, ...) naming the problem and its byte offset.
PickleValuePtr readPickle(const uint8_t* data, std::size_t size, const std::string& source,
                          const StorageLoader& loadStorage);

} // namespace mimo
