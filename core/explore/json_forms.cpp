#include "core/explore/json_forms.h"

#include "core/explore/base64.h"
#include "core/explore/unreadable_json.h"

#include "core/errors.h"
#include "core/numbers.h"
#include "core/vsa/key_family.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace mimo::jsonforms {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& source, const std::string& field, const std::string& problem)
{
    throw DataError(source, field + ": " + problem);
}

template <class T>
struct IsVector : std::false_type {};
template <class T>
struct IsVector<std::vector<T>> : std::true_type {};

// get<T>() with whole numbers held to being whole and in range (core/numbers.h): nlohmann
// reads 1.5 as 1 and -1 as 18446744073709551615 for an unsigned field.
// Whole numbers: T itself, or the elements of a vector T.
template <class T>
constexpr bool holdsWholeNumbers()
{
    if constexpr (IsVector<T>::value)
        return holdsWholeNumbers<typename T::value_type>();
    else
        return std::is_integral_v<T> && !std::is_same_v<T, bool>;
}

template <class T>
constexpr bool holdsUnsigned()
{
    if constexpr (IsVector<T>::value)
        return holdsUnsigned<typename T::value_type>();
    else
        return std::is_unsigned_v<T>;
}

template <class T>
bool strictValue(const json& value, T& out)
{
    if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
        const auto whole = wholeNumber<T>(value);
        if (whole)
            out = *whole;
        return whole.has_value();
    } else if constexpr (IsVector<T>::value) {
        if (!value.is_array())
            return false;
        T items;
        for (const auto& item : value) {
            typename T::value_type v{};
            if (!strictValue(item, v))
                return false;
            items.push_back(std::move(v));
        }
        out = std::move(items);
        return true;
    } else {
        try {
            out = value.get<T>();
            return true;
        } catch (const json::exception&) {
            return false;
        }
    }
}

template <class T>
T field(const json& object, const char* name, const T& fallback, const std::string& source, const std::string& path)
{
    const auto it = object.find(name);
    if (it == object.end() || it->is_null())
        return fallback;
    T value{};
    if (strictValue(*it, value))
        return value;
    if (holdsWholeNumbers<T>() && (it->is_number() || it->is_array()))
        fail(source, path + name,
             "has the wrong type or is out of range (" + jsonValueText(*it) + "): expected " +
                 (IsVector<T>::value ? "a list of whole numbers" : "a whole number") +
                 (holdsUnsigned<T>() ? " of 0 or more" : ""));
    fail(source, path + name, "has the wrong type (" + std::string(it->type_name()) + ")");
}

const json& objectAt(const json& value, const std::string& source, const std::string& path)
{
    if (!value.is_object())
        fail(source, path.empty() ? "document" : path, "must be a JSON object");
    return value;
}

std::string kindName(KeyChoice::Kind kind)
{
    switch (kind) {
    case KeyChoice::Kind::Trained: return "trained";
    case KeyChoice::Kind::Family: return "family";
    case KeyChoice::Kind::Permutation: return "permutation";
    case KeyChoice::Kind::Values: return "values";
    }
    return "trained";
}

std::string originName(InputSource::Origin origin)
{
    switch (origin) {
    case InputSource::Origin::File: return "file";
    case InputSource::Origin::EncodedBytes: return "encoded";
    case InputSource::Origin::Pixels: return "pixels";
    case InputSource::Origin::Text: return "text";
    case InputSource::Origin::DatasetSample: return "dataset";
    }
    return "file";
}

json rowToJson(const EvalRow& row)
{
    return {{"n", row.n},
            {"count", row.count},
            {"correct", row.correct},
            {"accuracy", row.accuracy},
            {"ci95", {row.ciLow, row.ciHigh}},
            {"inputs_per_second", row.inputsPerSecond},
            {"inputs_per_second_range", {row.inputsPerSecondLow, row.inputsPerSecondHigh}},
            {"speedup", row.speedup},
            {"speedup_range", {row.speedupLow, row.speedupHigh}},
            {"rounds", row.rounds},
            {"per_class_accuracy", row.perClassAccuracy}};
}

EvalRow rowFromJson(const json& value, const std::string& source, const std::string& path)
{
    objectAt(value, source, path);
    EvalRow row;
    row.n = field<int>(value, "n", 0, source, path);
    row.count = field<std::size_t>(value, "count", 0, source, path);
    row.correct = field<std::size_t>(value, "correct", 0, source, path);
    row.accuracy = field<double>(value, "accuracy", 0.0, source, path);
    const auto interval = field<std::vector<double>>(value, "ci95", {}, source, path);
    if (interval.size() == 2) {
        row.ciLow = interval[0];
        row.ciHigh = interval[1];
    }
    row.inputsPerSecond = field<double>(value, "inputs_per_second", 0.0, source, path);
    row.speedup = field<double>(value, "speedup", 0.0, source, path);
    // Results saved before spreads were measured have none: their spread is the point itself.
    const auto range = [&](const char* key, double centre) {
        const auto pair = field<std::vector<double>>(value, key, {}, source, path);
        return pair.size() == 2 ? std::make_pair(pair[0], pair[1]) : std::make_pair(centre, centre);
    };
    std::tie(row.inputsPerSecondLow, row.inputsPerSecondHigh) = range("inputs_per_second_range", row.inputsPerSecond);
    std::tie(row.speedupLow, row.speedupHigh) = range("speedup_range", row.speedup);
    row.rounds = field<int>(value, "rounds", 0, source, path);
    row.perClassAccuracy = field<std::vector<double>>(value, "per_class_accuracy", {}, source, path);
    if (row.n < 1 || row.correct > row.count)
        fail(source, path + "n", "a result row needs N >= 1 and correct <= count");
    return row;
}

// The file or folder part of a dataset spec made relative to `baseDir` when it is relative.
std::string datasetSpecRelativeTo(const std::string& spec, const std::string& baseDir)
{
    const auto colon = spec.find(':');
    if (colon == std::string::npos)
        return spec;
    const std::string kind = spec.substr(0, colon), rest = spec.substr(colon + 1);
    if (kind == "pixels")
        return kind + ":" + datasetSpecRelativeTo(rest, baseDir);
    static const std::vector<std::string> withPath{"mnist", "cifar10", "cifar100", "images", "listops", "text"};
    if (std::find(withPath.begin(), withPath.end(), kind) == withPath.end() || rest.empty())
        return spec;
    // The path runs to a trailing ":train", ":test" or ":coarse" option, if any.
    std::string path = rest, options;
    for (bool stripped = true; stripped;) {
        stripped = false;
        for (const std::string option : {":train", ":test", ":coarse"})
            if (path.size() > option.size() && path.compare(path.size() - option.size(), option.size(), option) == 0) {
                options = option + options;
                path.resize(path.size() - option.size());
                stripped = true;
            }
    }
    if (path.empty() || std::filesystem::path(path).is_absolute())
        return spec;
    return kind + ":" + (std::filesystem::path(baseDir) / path).lexically_normal().string() + options;
}

} // namespace

json keysToJson(const KeyChoice& keys)
{
    json out{{"kind", kindName(keys.kind)}};
    switch (keys.kind) {
    case KeyChoice::Kind::Trained:
        break;
    case KeyChoice::Kind::Family:
        out["family"] = keyFamilyName(keys.family);
        out["seed"] = keys.seed;
        break;
    case KeyChoice::Kind::Permutation:
        out["permutation"] = keys.permutation;
        break;
    case KeyChoice::Kind::Values:
        out["rows"] = keys.rows;
        out["cols"] = keys.cols;
        out["values"] = keys.values;
        out["source"] = keys.sourceName;
        break;
    }
    return out;
}

KeyChoice keysFromJson(const json& value, const std::string& source)
{
    KeyChoice keys;
    if (value.is_null())
        return keys;
    objectAt(value, source, "keys");
    const std::string kind = field<std::string>(value, "kind", "trained", source, "keys.");
    if (kind == "trained") {
        keys.kind = KeyChoice::Kind::Trained;
    } else if (kind == "family") {
        keys.kind = KeyChoice::Kind::Family;
        const std::string family = field<std::string>(value, "family", "", source, "keys.");
        const auto parsed = parseKeyFamily(family);
        if (!parsed)
            fail(source, "keys.family", "unknown key family '" + family + "'");
        keys.family = *parsed;
        keys.seed = field<uint64_t>(value, "seed", 1, source, "keys.");
    } else if (kind == "permutation") {
        keys.kind = KeyChoice::Kind::Permutation;
        keys.permutation = field<std::vector<int>>(value, "permutation", {}, source, "keys.");
    } else if (kind == "values") {
        keys.kind = KeyChoice::Kind::Values;
        keys.rows = field<int>(value, "rows", 0, source, "keys.");
        keys.cols = field<int>(value, "cols", 0, source, "keys.");
        keys.values = field<std::vector<float>>(value, "values", {}, source, "keys.");
        keys.sourceName = field<std::string>(value, "source", "", source, "keys.");
        if (keys.rows < 1 || keys.cols < 1 || keys.values.size() != std::size_t(keys.rows) * std::size_t(keys.cols))
            fail(source, "keys.values", "must hold rows x cols numbers");
    } else {
        fail(source, "keys.kind", "must be trained, family, permutation or values (not '" + kind + "')");
    }
    return keys;
}

json inputToJson(const InputSource& input)
{
    json out{{"origin", originName(input.origin)}};
    if (!input.name.empty())
        out["name"] = input.name;
    switch (input.origin) {
    case InputSource::Origin::File:
        out["path"] = input.path;
        break;
    case InputSource::Origin::EncodedBytes:
        out["data"] = base64Encode(input.bytes);
        break;
    case InputSource::Origin::Pixels:
        out["width"] = input.width;
        out["height"] = input.height;
        out["channels"] = input.channels;
        out["data"] = base64Encode(input.bytes);
        break;
    case InputSource::Origin::Text:
        out["text"] = input.text;
        break;
    case InputSource::Origin::DatasetSample:
        out["dataset"] = input.dataset;
        out["index"] = input.index;
        break;
    }
    return out;
}

InputSource inputFromJson(const json& value, const std::string& source)
{
    objectAt(value, source, "inputs[]");
    InputSource input;
    const std::string origin = field<std::string>(value, "origin", "file", source, "inputs[].");
    input.name = field<std::string>(value, "name", "", source, "inputs[].");
    if (origin == "file") {
        input.origin = InputSource::Origin::File;
        input.path = field<std::string>(value, "path", "", source, "inputs[].");
        if (input.path.empty())
            fail(source, "inputs[].path", "is missing");
    } else if (origin == "encoded") {
        input.origin = InputSource::Origin::EncodedBytes;
        input.bytes = base64Decode(field<std::string>(value, "data", "", source, "inputs[]."), source);
    } else if (origin == "pixels") {
        input.origin = InputSource::Origin::Pixels;
        input.width = field<int>(value, "width", 0, source, "inputs[].");
        input.height = field<int>(value, "height", 0, source, "inputs[].");
        input.channels = field<int>(value, "channels", 0, source, "inputs[].");
        input.bytes = base64Decode(field<std::string>(value, "data", "", source, "inputs[]."), source);
        if (input.width < 1 || input.height < 1 || input.channels < 1 ||
            input.bytes.size() != std::size_t(input.width) * std::size_t(input.height) * std::size_t(input.channels))
            fail(source, "inputs[].data", "must hold width x height x channels bytes");
    } else if (origin == "text") {
        input.origin = InputSource::Origin::Text;
        input.text = field<std::string>(value, "text", "", source, "inputs[].");
    } else if (origin == "dataset") {
        input.origin = InputSource::Origin::DatasetSample;
        input.dataset = field<std::string>(value, "dataset", "", source, "inputs[].");
        input.index = field<int64_t>(value, "index", 0, source, "inputs[].");
    } else {
        fail(source, "inputs[].origin", "must be file, encoded, pixels, text or dataset (not '" + origin + "')");
    }
    return input;
}

json configToJson(const BatchConfig& config)
{
    return {{"models", config.models},
            {"dataset", config.dataset},
            {"data_dir", config.dataDir},
            {"n", config.ns},
            {"keys", keysToJson(config.keys)},
            {"bn", config.batchStatisticsBn ? "batch" : "running"},
            {"batch", config.batch},
            {"device", config.device},
            {"precision", precisionName(config.precision)},
            {"channels_last", config.channelsLast},
            {"limit", config.limit}};
}

BatchConfig configFromJson(const json& value, const std::string& source, const std::string& baseDir)
{
    objectAt(value, source, "");
    static const std::vector<std::string> known{"models", "model", "dataset", "data_dir",  "n",             "keys",
                                                "bn",     "batch", "device",  "precision", "channels_last", "limit"};
    for (const auto& item : value.items())
        if (std::find(known.begin(), known.end(), item.key()) == known.end())
            fail(source, item.key(), "is not a batch setting (known: models, dataset, data_dir, n, keys, bn, batch, device, "
                                     "precision, channels_last, limit)");
    BatchConfig config;
    if (value.contains("model"))
        config.models.push_back(field<std::string>(value, "model", "", source, ""));
    for (const auto& model : field<std::vector<std::string>>(value, "models", {}, source, ""))
        config.models.push_back(model);
    if (!baseDir.empty())
        for (auto& model : config.models)
            if (!model.empty() && std::filesystem::path(model).is_relative())
                model = (std::filesystem::path(baseDir) / model).lexically_normal().string();
    config.dataset = field<std::string>(value, "dataset", "", source, "");
    config.dataDir = field<std::string>(value, "data_dir", "", source, "");
    if (!baseDir.empty()) { // like the model paths: relative to the config file's folder
        config.dataset = datasetSpecRelativeTo(config.dataset, baseDir);
        if (!config.dataDir.empty() && std::filesystem::path(config.dataDir).is_relative())
            config.dataDir = (std::filesystem::path(baseDir) / config.dataDir).lexically_normal().string();
    }
    if (value.contains("n") && value["n"].is_number())
        config.ns = {field<int>(value, "n", 0, source, "")};
    else
        config.ns = field<std::vector<int>>(value, "n", {}, source, "");
    config.keys = keysFromJson(value.contains("keys") ? value["keys"] : json(), source);
    const std::string bn = field<std::string>(value, "bn", "running", source, "");
    if (bn != "running" && bn != "batch")
        fail(source, "bn", "must be running or batch (not '" + bn + "')");
    config.batchStatisticsBn = bn == "batch";
    config.batch = field<int>(value, "batch", config.batch, source, "");
    config.device = field<std::string>(value, "device", config.device, source, "");
    const std::string precision = field<std::string>(value, "precision", "fp32", source, "");
    try {
        config.precision = parsePrecision(precision);
    } catch (const Error& error) {
        fail(source, "precision", error.what());
    }
    config.channelsLast = field<bool>(value, "channels_last", false, source, "");
    const auto limit = field<int64_t>(value, "limit", 0, source, "");
    if (limit < 0)
        fail(source, "limit", "must be 0 (everything) or more");
    config.limit = std::size_t(limit);
    return config;
}

json resultToJson(const BatchResult& result)
{
    json models = json::array();
    for (const auto& model : result.models) {
        json rows = json::array();
        for (const auto& row : model.report.rows)
            rows.push_back(rowToJson(row));
        models.push_back({{"path", model.path},
                          {"name", model.name},
                          {"dataset", model.dataset},
                          {"device", model.report.device},
                          {"class_names", model.classNames},
                          {"skipped_n", model.skippedNs},
                          {"cancelled", model.report.cancelled},
                          {"other_processes_cores", model.report.otherProcessesCores},
                          {"error", model.error},
                          {"unreadable", unreadableToJson(model.report.unreadable)},
                          {"results", rows}});
    }
    return {{"config", configToJson(result.config)},
            {"started_at", result.startedAt},
            {"seconds", result.seconds},
            {"cancelled", result.cancelled},
            {"models", models}};
}

BatchResult resultFromJson(const json& value, const std::string& source)
{
    objectAt(value, source, "");
    BatchResult result;
    if (value.contains("config"))
        result.config = configFromJson(value["config"], source, "");
    result.startedAt = field<std::string>(value, "started_at", "", source, "");
    result.seconds = field<double>(value, "seconds", 0.0, source, "");
    result.cancelled = field<bool>(value, "cancelled", false, source, "");
    const auto models = value.find("models");
    if (models != value.end() && !models->is_array())
        fail(source, "models", "must be a list");
    if (models != value.end())
        for (const auto& item : *models) {
            objectAt(item, source, "models[]");
            BatchModelResult model;
            model.path = field<std::string>(item, "path", "", source, "models[].");
            model.name = field<std::string>(item, "name", "", source, "models[].");
            model.dataset = field<std::string>(item, "dataset", "", source, "models[].");
            model.report.device = field<std::string>(item, "device", "", source, "models[].");
            model.report.model = model.path;
            model.report.data = model.dataset;
            model.classNames = field<std::vector<std::string>>(item, "class_names", {}, source, "models[].");
            model.skippedNs = field<std::vector<int>>(item, "skipped_n", {}, source, "models[].");
            model.report.cancelled = field<bool>(item, "cancelled", false, source, "models[].");
            model.report.otherProcessesCores = field<double>(item, "other_processes_cores", -1.0, source, "models[].");
            model.error = field<std::string>(item, "error", "", source, "models[].");
            if (item.contains("unreadable"))
                model.report.unreadable = unreadableFromJson(item["unreadable"], source, "models[].unreadable");
            const auto rows = item.find("results");
            if (rows != item.end() && rows->is_array())
                for (const auto& row : *rows)
                    model.report.rows.push_back(rowFromJson(row, source, "models[].results[]."));
            result.models.push_back(std::move(model));
        }
    return result;
}

} // namespace mimo::jsonforms
