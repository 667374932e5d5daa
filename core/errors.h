#pragma once
// Error types shared by every part of core. Messages always name the file (or the
// input) and what is wrong with it, so the GUI and the CLI can show them as they are.
#include <cstddef>
#include <exception>
#include <stdexcept>
#include <string>

namespace mimo {

// `text` safe to print on a terminal or in a label: control characters (other than newline and
// tab), C1 controls and bytes that are not UTF-8 become \xNN escapes, and text longer than
// maxBytes is cut with "...". Messages quote bytes of the files they are about, and raw bytes of a
// binary file could otherwise move the cursor or change the colours of the user's terminal.
std::string printableText(const std::string& text, std::size_t maxBytes = 2000);

// A message of a library (LibTorch, OpenCV, nlohmann::json) as a user can read it: allocation
// failures ("[enforce fail at alloc_cpu.cpp:75]") become "not enough memory", internal assertions
// and their "Could this error message be improved?" a short note; otherwise the first line,
// without nlohmann::json's "[json.exception...]" identifier.
std::string libraryErrorText(const std::string& message);

// What a person reads for an exception that ends a step, wherever it is shown (terminal,
// window, report): our own messages (they name the file and the problem) as they are, made
// printable; running out of memory as such, never "std::bad_alloc"; a library's text through
// libraryErrorText, never its internal assertion or backtrace.
std::string userErrorText(const std::exception& error);

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A file or in-memory input that cannot be used: wrong format, truncated, inconsistent.
class DataError : public Error {
public:
    DataError(std::string source, std::string problem)
        : Error(printableText(source, 4096) + ": " + printableText(problem)), source_(std::move(source)),
          problem_(printableText(problem))
    {
    }
    const std::string& source() const { return source_; }
    const std::string& problem() const { return problem_; }

private:
    std::string source_;
    std::string problem_;
};

} // namespace mimo
