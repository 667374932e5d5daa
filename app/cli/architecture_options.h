#pragma once
#include "cli/arguments.h"
#include "core/model/conv_config.h"
#include "core/model/former_config.h"

#include <set>
#include <string>

namespace mimo::cli {

// --arch PRESET plus overrides: --depth --width --stem --capacity --binding --activation
// --channels --size --classes.
MimoConvConfig architectureFromArguments(const Arguments& args, const std::string& defaultPreset);
const std::set<std::string>& architectureOptionNames();
extern const char* const kArchitectureUsage;

// --arch PRESET plus overrides: --attention --grid-m --grid-n --dim --ff --heads --head-dim
// --layers --features --length --dropout --buffer-seed.
MimoFormerConfig formerArchitectureFromArguments(const Arguments& args, const std::string& defaultPreset);
const std::set<std::string>& formerArchitectureOptionNames();
extern const char* const kFormerArchitectureUsage;

} // namespace mimo::cli
