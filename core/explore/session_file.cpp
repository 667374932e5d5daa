#include "core/explore/session_file.h"

#include "core/data/binary_file.h"
#include "core/errors.h"
#include "core/explore/json_forms.h"

#include <filesystem>

namespace mimo {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kFormatVersion = 1;
constexpr const char* kFormatName = "mimo-explorer-session";

fs::path folderOf(const std::string& sessionPath)
{
    const fs::path absolute = fs::absolute(fs::path(sessionPath));
    return absolute.parent_path();
}

json pathEntry(const std::string& path, const fs::path& base)
{
    if (path.empty())
        return json();
    const fs::path absolute = fs::absolute(fs::path(path)).lexically_normal();
    json out{{"path", absolute.string()}};
    const fs::path relative = absolute.lexically_relative(base);
    if (!relative.empty())
        out["relative"] = relative.string();
    return out;
}

// The relative form wins when it exists (the folder was moved), else the absolute one.
std::string resolvePath(const json& entry, const fs::path& base, const std::string& source, const std::string& field)
{
    if (entry.is_null())
        return {};
    if (entry.is_string())
        return fs::path(entry.get<std::string>()).is_relative() ? (base / entry.get<std::string>()).lexically_normal().string()
                                                               : entry.get<std::string>();
    if (!entry.is_object() || !entry.contains("path") || !entry["path"].is_string())
        throw DataError(source, field + ": must name a file");
    std::string absolute = entry["path"].get<std::string>();
    if (fs::path(absolute).is_relative()) // written by hand: relative to the session, like the string form
        absolute = (base / absolute).lexically_normal().string();
    if (entry.contains("relative") && entry["relative"].is_string()) {
        const fs::path moved = (base / entry["relative"].get<std::string>()).lexically_normal();
        std::error_code error;
        if (!fs::exists(absolute, error) && fs::exists(moved, error))
            return moved.string();
    }
    return absolute;
}

} // namespace

bool sameInput(const InputSource& a, const InputSource& b)
{
    return a.origin == b.origin && a.path == b.path && a.bytes == b.bytes && a.width == b.width && a.height == b.height &&
           a.channels == b.channels && a.text == b.text && a.dataset == b.dataset && a.index == b.index && a.name == b.name;
}

bool SessionData::operator==(const SessionData& other) const
{
    if (modelPath != other.modelPath || device != other.device || n != other.n || keys != other.keys ||
        view != other.view || inputs.size() != other.inputs.size() || batch.has_value() != other.batch.has_value())
        return false;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (inputs[i].has_value() != other.inputs[i].has_value())
            return false;
        if (inputs[i] && !sameInput(*inputs[i], *other.inputs[i]))
            return false;
    }
    return !batch || jsonforms::resultToJson(*batch) == jsonforms::resultToJson(*other.batch);
}

std::string sessionToJson(const SessionData& session, const std::string& sessionPath)
{
    const fs::path base = folderOf(sessionPath);
    json inputs = json::array();
    for (const auto& input : session.inputs) {
        if (!input) {
            inputs.push_back(nullptr);
            continue;
        }
        json entry = jsonforms::inputToJson(*input);
        if (input->origin == InputSource::Origin::File) {
            const json where = pathEntry(input->path, base);
            entry["path"] = where["path"];
            if (where.contains("relative"))
                entry["relative"] = where["relative"];
        }
        inputs.push_back(entry);
    }
    json out{{"format", kFormatName},
             {"version", kFormatVersion},
             {"model", pathEntry(session.modelPath, base)},
             {"device", session.device},
             {"n", session.n},
             {"keys", jsonforms::keysToJson(session.keys)},
             {"inputs", inputs},
             {"view", session.view}};
    if (session.batch)
        out["batch"] = jsonforms::resultToJson(*session.batch);
    return out.dump(2) + "\n";
}

SessionData sessionFromJson(const std::string& text, const std::string& sessionPath)
{
    const std::string& source = sessionPath;
    json value;
    try {
        value = json::parse(text);
    } catch (const json::exception& error) { // parse errors and numbers out of range alike
        throw DataError(source, std::string("not a session file: invalid JSON (") + error.what() + ")");
    }
    if (!value.is_object() || !value.contains("format") || !value["format"].is_string() ||
        value["format"].get<std::string>() != kFormatName)
        throw DataError(source, "not a MIMO Explorer session file (no \"format\": \"mimo-explorer-session\")");
    if (!value.contains("version") || !value["version"].is_number_integer() || value["version"].get<int>() < 1)
        throw DataError(source, "version: must be a whole number (this MIMO Explorer writes " +
                                    std::to_string(kFormatVersion) + ")");
    if (value["version"].get<int>() > kFormatVersion)
        throw DataError(source, "written by a newer MIMO Explorer (format version " + value["version"].dump() +
                                    "; this one reads " + std::to_string(kFormatVersion) + ")");
    const fs::path base = folderOf(sessionPath);
    SessionData session;
    try {
        session.modelPath = resolvePath(value.value("model", json()), base, source, "model");
        if (value.contains("device") && !value["device"].is_string())
            throw DataError(source, "device: must be a text such as \"cpu\"");
        session.device = value.value("device", std::string("auto"));
        if (value.contains("n") && !value["n"].is_number_integer())
            throw DataError(source, "n: must be a whole number");
        session.n = value.value("n", 1);
        if (session.n < 1)
            throw DataError(source, "n: must be at least 1");
        session.keys = jsonforms::keysFromJson(value.value("keys", json()), source);
        const json inputs = value.value("inputs", json::array());
        if (!inputs.is_array())
            throw DataError(source, "inputs: must be a list");
        for (const auto& entry : inputs) {
            if (entry.is_null()) {
                session.inputs.emplace_back();
                continue;
            }
            InputSource input = jsonforms::inputFromJson(entry, source);
            if (input.origin == InputSource::Origin::File)
                input.path = resolvePath(entry, base, source, "inputs[].path");
            session.inputs.emplace_back(std::move(input));
        }
        const json view = value.value("view", json::object());
        if (!view.is_object())
            throw DataError(source, "view: must be an object");
        for (const auto& item : view.items())
            session.view[item.key()] = item.value().is_string() ? item.value().get<std::string>() : item.value().dump();
        if (value.contains("batch") && !value["batch"].is_null())
            session.batch = jsonforms::resultFromJson(value["batch"], source);
    } catch (const json::exception& error) {
        throw DataError(source, std::string("a field has the wrong type (") + error.what() + ")");
    }
    return session;
}

SessionData readSessionFile(const std::string& path)
{
    const std::vector<uint8_t> bytes = readWholeFile(path, kMaxSessionFileBytes);
    return sessionFromJson(std::string(bytes.begin(), bytes.end()), path);
}

void writeSessionFile(const std::string& path, const SessionData& session)
{
    writeFileAtomically(path, sessionToJson(session, path));
}

} // namespace mimo
