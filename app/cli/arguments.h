#pragma once
// A small command-line parser: positionals, `--name value`, `--name=value` and flags.
// Every accessor names the option in its error, so a typo never passes silently.
#include <cstdint>
#include <stdexcept>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace mimo::cli {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class Arguments {
public:
    // `flags` are options that take no value; every other `--name` consumes the next word.
    Arguments(const std::vector<std::string>& words, const std::set<std::string>& flags);

    const std::vector<std::string>& positionals() const { return positionals_; }
    std::string positional(std::size_t index, const std::string& what) const;
    bool has(const std::string& name) const;
    bool flag(const std::string& name) const { return has(name); }
    std::string text(const std::string& name, const std::string& fallback) const;
    int64_t integer(const std::string& name, int64_t fallback) const;
    double number(const std::string& name, double fallback) const;
    std::vector<int64_t> integerList(const std::string& name, const std::vector<int64_t>& fallback) const;
    // Fails on any option not in `known`, naming it.
    void allowOnly(const std::set<std::string>& known) const;

private:
    std::vector<std::string> positionals_;
    std::map<std::string, std::string> options_;
};

} // namespace mimo::cli
