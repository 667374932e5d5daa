#include "core/model/torch_save_reader.h"

#include "core/data/binary_file.h"
#include "core/errors.h"

#include <ATen/ATen.h>
#include <caffe2/serialize/inline_container.h>

#include <cstring>
#include <fstream>
#include <memory>
#include <vector>

namespace mimo {
namespace {

struct Value;
using ValuePtr = std::shared_ptr<Value>;

struct Value {
    enum class Kind { None, Bool, Int, Float, Text, Tuple, List, Dict, Tensor, Global, Opaque } kind = Kind::None;
    int64_t integer = 0;
    double number = 0.0;
    std::string text;                                  // Text; Global as "module.name"
    std::vector<ValuePtr> items;                       // Tuple, List
    std::vector<std::pair<ValuePtr, ValuePtr>> entries; // Dict
    at::Tensor tensor;
};

ValuePtr make(Value::Kind kind)
{
    auto v = std::make_shared<Value>();
    v->kind = kind;
    return v;
}

at::ScalarType storageType(const std::string& global, const std::string& path)
{
    static const std::map<std::string, at::ScalarType> types{
        {"torch.FloatStorage", at::kFloat},  {"torch.DoubleStorage", at::kDouble}, {"torch.HalfStorage", at::kHalf},
        {"torch.BFloat16Storage", at::kBFloat16}, {"torch.LongStorage", at::kLong}, {"torch.IntStorage", at::kInt},
        {"torch.ShortStorage", at::kShort},  {"torch.CharStorage", at::kChar},    {"torch.ByteStorage", at::kByte},
        {"torch.BoolStorage", at::kBool}};
    const auto it = types.find(global);
    if (it == types.end())
        throw DataError(path, "unsupported tensor storage type '" + global + "'");
    return it->second;
}

class Unpickler {
public:
    Unpickler(caffe2::serialize::PyTorchStreamReader& archive, std::string path, const char* data, size_t size)
        : archive_(archive), path_(std::move(path)), data_(data), size_(size)
    {
    }

    ValuePtr run()
    {
        for (;;) {
            const uint8_t op = byte();
            switch (op) {
            case 0x80: byte(); break;                         // PROTO
            case 0x95: skip(8); break;                        // FRAME
            case '}': push(make(Value::Kind::Dict)); break;
            case ']': push(make(Value::Kind::List)); break;
            case ')': push(make(Value::Kind::Tuple)); break;
            case '(': marks_.push_back(stack_.size()); break;
            case 'q': memo(byte()); break;
            case 'r': memo(uint32()); break;
            case 0x94: memo(memo_.size()); break;             // MEMOIZE
            case 'h': push(recall(byte())); break;
            case 'j': push(recall(uint32())); break;
            case 'X': push(text(uint32())); break;
            case 0x8c: push(text(byte())); break;             // SHORT_BINUNICODE
            case 'T': push(text(uint32())); break;            // BINSTRING
            case 'U': push(text(byte())); break;              // SHORT_BINSTRING
            case 'B': push(text(uint32())); break;            // BINBYTES
            case 'C': push(text(byte())); break;              // SHORT_BINBYTES
            case 'K': push(integer(byte())); break;
            case 'M': push(integer(uint16())); break;
            case 'J': push(integer(int32_t(uint32()))); break;
            case 0x8a: push(long1()); break;
            case 'G': push(binfloat()); break;
            case 'N': push(make(Value::Kind::None)); break;
            case 0x88: push(boolean(true)); break;
            case 0x89: push(boolean(false)); break;
            case 't': push(tupleFrom(popMark())); break;
            case 0x85: push(tupleFrom(popN(1))); break;
            case 0x86: push(tupleFrom(popN(2))); break;
            case 0x87: push(tupleFrom(popN(3))); break;
            case 'c': {
                const std::string module = line(); // two statements: argument order is unspecified
                const std::string name = line();
                push(global(module, name));
                break;
            }
            case 0x93: {                                      // STACK_GLOBAL
                const auto name = pop();
                const auto module = pop();
                push(global(module->text, name->text));
                break;
            }
            case 'R': {
                const auto args = pop();
                const auto callable = pop();
                push(reduce(callable, args));
                break;
            }
            case 0x81: {                                      // NEWOBJ
                pop();
                pop();
                push(make(Value::Kind::Opaque));
                break;
            }
            case 'Q': push(persistentLoad(pop())); break;
            case 'b': pop(); break; // BUILD: the state of an OrderedDict or object, not needed
            case 's': {
                const auto value = pop();
                const auto key = pop();
                top()->entries.emplace_back(key, value);
                break;
            }
            case 'u': {
                const auto items = popMark();
                for (size_t i = 0; i + 1 < items.size(); i += 2)
                    top()->entries.emplace_back(items[i], items[i + 1]);
                break;
            }
            case 'a': {
                const auto value = pop();
                top()->items.push_back(value);
                break;
            }
            case 'e': {
                const auto items = popMark();
                top()->items.insert(top()->items.end(), items.begin(), items.end());
                break;
            }
            case '.': return pop();
            default: {
                char buffer[80];
                std::snprintf(buffer, sizeof buffer, "unsupported pickle opcode 0x%02x at byte %zu", op, position_ - 1);
                throw DataError(path_, buffer);
            }
            }
        }
    }

private:
    void need(size_t count)
    {
        if (position_ + count > size_)
            throw DataError(path_, "the checkpoint's data.pkl is truncated");
    }
    uint8_t byte()
    {
        need(1);
        return static_cast<uint8_t>(data_[position_++]);
    }
    void skip(size_t count)
    {
        need(count);
        position_ += count;
    }
    uint64_t littleEndian(size_t count)
    {
        need(count);
        uint64_t value = 0;
        for (size_t i = 0; i < count; ++i)
            value |= uint64_t(static_cast<uint8_t>(data_[position_ + i])) << (8 * i);
        position_ += count;
        return value;
    }
    uint16_t uint16() { return static_cast<uint16_t>(littleEndian(2)); }
    uint32_t uint32() { return static_cast<uint32_t>(littleEndian(4)); }
    std::string line()
    {
        std::string out;
        for (char c = static_cast<char>(byte()); c != '\n'; c = static_cast<char>(byte()))
            out += c;
        return out;
    }
    ValuePtr text(size_t length)
    {
        need(length);
        auto v = make(Value::Kind::Text);
        v->text.assign(data_ + position_, length);
        position_ += length;
        return v;
    }
    ValuePtr integer(int64_t value)
    {
        auto v = make(Value::Kind::Int);
        v->integer = value;
        return v;
    }
    ValuePtr boolean(bool value)
    {
        auto v = make(Value::Kind::Bool);
        v->integer = value;
        return v;
    }
    ValuePtr long1()
    {
        const size_t count = byte();
        if (count > 8)
            throw DataError(path_, "an integer in the checkpoint is wider than 64 bits");
        uint64_t raw = count ? littleEndian(count) : 0;
        if (count && count < 8 && (raw >> (8 * count - 1)) & 1) // sign-extend
            raw |= ~uint64_t(0) << (8 * count);
        return integer(static_cast<int64_t>(raw));
    }
    ValuePtr binfloat()
    {
        need(8);
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i)
            bits = (bits << 8) | static_cast<uint8_t>(data_[position_ + size_t(i)]); // big-endian
        position_ += 8;
        auto v = make(Value::Kind::Float);
        std::memcpy(&v->number, &bits, sizeof bits);
        return v;
    }
    ValuePtr global(const std::string& module, const std::string& name)
    {
        auto v = make(Value::Kind::Global);
        v->text = module + "." + name;
        return v;
    }
    ValuePtr tupleFrom(std::vector<ValuePtr> items)
    {
        auto v = make(Value::Kind::Tuple);
        v->items = std::move(items);
        return v;
    }

    ValuePtr reduce(const ValuePtr& callable, const ValuePtr& args)
    {
        const std::string& name = callable->text;
        if (name == "collections.OrderedDict" || name == "builtins.dict")
            return make(Value::Kind::Dict);
        if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor") {
            if (args->items.size() < 4 || args->items[0]->kind != Value::Kind::Tensor)
                throw DataError(path_, "a tensor in the checkpoint has an unexpected layout");
            std::vector<int64_t> sizes, strides;
            for (const auto& s : args->items[2]->items)
                sizes.push_back(s->integer);
            for (const auto& s : args->items[3]->items)
                strides.push_back(s->integer);
            auto v = make(Value::Kind::Tensor);
            v->tensor = args->items[0]->tensor.as_strided(sizes, strides, args->items[1]->integer).clone();
            return v;
        }
        if (name == "torch._utils._rebuild_parameter" || name == "torch._utils._rebuild_parameter_with_state") {
            if (args->items.empty() || args->items[0]->kind != Value::Kind::Tensor)
                throw DataError(path_, "a parameter in the checkpoint holds no tensor");
            return args->items[0];
        }
        return make(Value::Kind::Opaque); // optimizer internals and the like: not needed
    }

    ValuePtr persistentLoad(const ValuePtr& id)
    {
        // ('storage', storage_type, key, location, numel)
        if (id->kind != Value::Kind::Tuple || id->items.size() < 5 || id->items[0]->text != "storage")
            throw DataError(path_, "unsupported persistent object in the checkpoint");
        const std::string key = id->items[2]->text;
        auto& cached = storages_[key];
        if (!cached.defined()) {
            const auto type = storageType(id->items[1]->text, path_);
            const int64_t numel = id->items[4]->integer;
            const std::string record = "data/" + key;
            if (!archive_.hasRecord(record))
                throw DataError(path_, "the checkpoint lacks the storage record " + record + " (truncated?)");
            auto [bytes, size] = archive_.getRecord(record);
            cached = at::empty({numel}, at::TensorOptions().dtype(type));
            const size_t expected = size_t(numel) * size_t(cached.element_size());
            if (size < expected)
                throw DataError(path_, "storage " + record + " holds " + std::to_string(size) + " bytes, expected " +
                                           std::to_string(expected));
            std::memcpy(cached.data_ptr(), bytes.get(), expected);
        }
        auto v = make(Value::Kind::Tensor);
        v->tensor = cached;
        return v;
    }

    void push(ValuePtr v) { stack_.push_back(std::move(v)); }
    ValuePtr top()
    {
        if (stack_.empty())
            throw DataError(path_, "malformed pickle data (empty stack)");
        return stack_.back();
    }
    ValuePtr pop()
    {
        auto v = top();
        stack_.pop_back();
        return v;
    }
    std::vector<ValuePtr> popN(size_t count)
    {
        if (stack_.size() < count)
            throw DataError(path_, "malformed pickle data (stack underflow)");
        std::vector<ValuePtr> items(stack_.end() - long(count), stack_.end());
        stack_.resize(stack_.size() - count);
        return items;
    }
    std::vector<ValuePtr> popMark()
    {
        if (marks_.empty())
            throw DataError(path_, "malformed pickle data (no mark)");
        const size_t mark = marks_.back();
        marks_.pop_back();
        return popN(stack_.size() - mark);
    }
    void memo(size_t index)
    {
        if (memo_.size() <= index)
            memo_.resize(index + 1);
        memo_[index] = top();
    }
    ValuePtr recall(size_t index)
    {
        if (index >= memo_.size() || !memo_[index])
            throw DataError(path_, "malformed pickle data (unknown memo entry)");
        return memo_[index];
    }

    caffe2::serialize::PyTorchStreamReader& archive_;
    std::string path_;
    const char* data_;
    size_t size_;
    size_t position_ = 0;
    std::vector<ValuePtr> stack_;
    std::vector<size_t> marks_;
    std::vector<ValuePtr> memo_;
    std::map<std::string, at::Tensor> storages_;
};

void collect(const ValuePtr& dict, const std::string& prefix, std::map<std::string, at::Tensor>& out, int depth)
{
    if (depth > 4)
        return;
    for (const auto& [key, value] : dict->entries) {
        if (key->kind != Value::Kind::Text)
            continue;
        const std::string name = prefix.empty() ? key->text : prefix + "/" + key->text;
        if (value->kind == Value::Kind::Tensor)
            out[name] = value->tensor;
        else if (value->kind == Value::Kind::Dict)
            collect(value, name, out, depth + 1);
    }
}

} // namespace

std::map<std::string, at::Tensor> readTorchSaveTensors(const std::string& path)
{
    {
        refuseSpecialFile(path);
        std::ifstream probe(path, std::ios::binary);
        if (!probe)
            throw DataError(path, "cannot open the checkpoint (missing or unreadable)");
        char magic[2] = {0, 0};
        probe.read(magic, 2);
        if (probe.gcount() == 0)
            throw DataError(path, "the checkpoint is empty");
        if (magic[0] != 'P' || magic[1] != 'K')
            throw DataError(path, "not a torch.save zip archive (files from PyTorch < 1.6 must be re-saved with "
                                  "a newer PyTorch)");
    }
    try {
        caffe2::serialize::PyTorchStreamReader archive(path);
        auto [bytes, size] = archive.getRecord("data.pkl");
        Unpickler unpickler(archive, path, static_cast<const char*>(bytes.get()), size);
        const ValuePtr root = unpickler.run();
        std::map<std::string, at::Tensor> tensors;
        if (root->kind == Value::Kind::Dict)
            collect(root, "", tensors, 0);
        else
            throw DataError(path, "the checkpoint does not hold a dictionary");
        return tensors;
    } catch (const c10::Error& error) {
        throw DataError(path, "not a readable torch.save archive (truncated or corrupt): " +
                                  std::string(error.what_without_backtrace()).substr(0, 160));
    }
}

} // namespace mimo
