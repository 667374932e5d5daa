#include "cli/arguments.h"

#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace mimo::cli {
namespace {

int64_t parseInteger(const std::string& name, const std::string& text)
{
    char* end = nullptr;
    errno = 0;
    const long long value = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno != 0)
        throw UsageError("--" + name + " expects an integer, got '" + text + "'");
    return value;
}

} // namespace

Arguments::Arguments(const std::vector<std::string>& words, const std::set<std::string>& flags)
{
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& word = words[i];
        if (word.rfind("--", 0) != 0 || word == "--") {
            positionals_.push_back(word);
            continue;
        }
        std::string name = word.substr(2);
        const auto equals = name.find('=');
        if (equals != std::string::npos) {
            options_[name.substr(0, equals)] = name.substr(equals + 1);
        } else if (flags.count(name)) {
            options_[name] = "";
        } else {
            if (i + 1 >= words.size())
                throw UsageError("option --" + name + " needs a value");
            options_[name] = words[++i];
        }
    }
}

std::string Arguments::positional(std::size_t index, const std::string& what) const
{
    if (index >= positionals_.size())
        throw UsageError("missing " + what);
    return positionals_[index];
}

bool Arguments::has(const std::string& name) const { return options_.count(name) != 0; }

std::string Arguments::text(const std::string& name, const std::string& fallback) const
{
    const auto it = options_.find(name);
    return it == options_.end() ? fallback : it->second;
}

int64_t Arguments::integer(const std::string& name, int64_t fallback) const
{
    const auto it = options_.find(name);
    return it == options_.end() ? fallback : parseInteger(name, it->second);
}

double Arguments::number(const std::string& name, double fallback) const
{
    const auto it = options_.find(name);
    if (it == options_.end())
        return fallback;
    char* end = nullptr;
    const double value = std::strtod(it->second.c_str(), &end);
    if (it->second.empty() || *end != '\0')
        throw UsageError("--" + name + " expects a number, got '" + it->second + "'");
    return value;
}

std::vector<int64_t> Arguments::integerList(const std::string& name, const std::vector<int64_t>& fallback) const
{
    const auto it = options_.find(name);
    if (it == options_.end())
        return fallback;
    std::vector<int64_t> values;
    std::stringstream stream(it->second);
    std::string item;
    while (std::getline(stream, item, ','))
        values.push_back(parseInteger(name, item));
    if (values.empty())
        throw UsageError("--" + name + " expects a comma-separated list of integers");
    return values;
}

void Arguments::allowOnly(const std::set<std::string>& known) const
{
    for (const auto& [name, value] : options_)
        if (!known.count(name))
            throw UsageError("unknown option --" + name);
}

} // namespace mimo::cli
