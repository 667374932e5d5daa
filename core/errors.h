#pragma once
// Error types shared by every part of core. Messages always name the file (or the
// input) and what is wrong with it, so the GUI and the CLI can show them as they are.
#include <stdexcept>
#include <string>

namespace mimo {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A file or in-memory input that cannot be used: wrong format, truncated, inconsistent.
class DataError : public Error {
public:
    DataError(std::string source, std::string problem)
        : Error(source + ": " + problem), source_(std::move(source)), problem_(std::move(problem)) {}
    const std::string& source() const { return source_; }
    const std::string& problem() const { return problem_; }

private:
    std::string source_;
    std::string problem_;
};

} // namespace mimo
