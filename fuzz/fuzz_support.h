#pragma once
// Shared by the libFuzzer harnesses: an input written to a file of a given name (most loaders
// take paths), and the rule every loader must keep: bad input ends in mimo::Error, whose message
// names the file. Any other exception (std::bad_alloc, a LibTorch or OpenCV error, a parse
// error of a library) reaching the caller is a finding: the harness aborts so libFuzzer keeps it.
#include "core/errors.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <typeinfo>
#include <unistd.h>

namespace fuzzing {

// A folder of this process's own, so parallel fuzzing jobs never share files. Its files stay
// when the harness ends (libFuzzer exits without unwinding); a few kilobytes per run.
inline const std::filesystem::path& folder()
{
    static const std::filesystem::path path = [] {
        // In memory where there is a tmpfs: writing each input to disk took a third of the time.
        std::error_code ec;
        const auto base = std::filesystem::is_directory("/dev/shm", ec) ? std::filesystem::path("/dev/shm")
                                                                         : std::filesystem::temp_directory_path();
        auto made = base / ("mimo-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(made);
        return made;
    }();
    return path;
}

inline std::string writeInput(const uint8_t* data, size_t size, const std::string& name)
{
    const auto path = folder() / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
    return path.string();
}

template <class Load>
void expectCleanRefusal(Load&& load)
{
    try {
        load();
    } catch (const mimo::Error&) {
        // the one acceptable way to refuse
    } catch (const std::exception& error) {
        std::fprintf(stderr, "FINDING: %s escaped a loader: %s\n", typeid(error).name(), error.what());
        std::abort();
    }
}

} // namespace fuzzing
