#include "core/model/pickle_reader.h"

#include "core/errors.h"
#include "core/model/tensor_layout.h"

#include <ATen/ATen.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <unordered_map>

namespace mimo {

PickleValuePtr PickleValue::find(const std::string& key) const
{
    for (const auto& [k, v] : entries)
        if (k->is(Kind::Text) && k->text == key)
            return v;
    return nullptr;
}

namespace {

using Kind = PickleValue::Kind;

class Reader {
public:
    Reader(const uint8_t* data, std::size_t size, const std::string& source, const StorageLoader& loadStorage)
        : data_(data), size_(size), source_(source), loadStorage_(loadStorage)
    {
    }

    PickleValuePtr run()
    {
        for (;;) {
            opcodeAt_ = position_;
            const uint8_t op = byte();
            switch (op) {
            case 0x80: byte(); break;                                // PROTO
            case 0x95: skip(8); break;                               // FRAME
            case '}': push(make(Kind::Dict)); break;
            case ']': push(make(Kind::List)); break;
            case ')': push(make(Kind::Tuple)); break;
            case 0x8f: push(make(Kind::Set)); break;                 // EMPTY_SET
            case '(': mark(); break;
            case 'q': memo(byte()); break;
            case 'r': memo(littleEndian(4)); break;
            case 0x94: memo(memo_.size()); break;                    // MEMOIZE
            case 'h': push(recall(byte())); break;
            case 'j': push(recall(littleEndian(4))); break;
            case 'X': case 'T': case 'B': push(text(littleEndian(4))); break;
            case 0x8c: case 'U': case 'C': push(text(byte())); break;
            case 0x8d: case 0x8e: case 0x96: push(text(littleEndian(8))); break; // 8-byte lengths
            case 'K': push(integer(byte())); break;
            case 'M': push(integer(int64_t(littleEndian(2)))); break;
            case 'J': push(integer(int32_t(uint32_t(littleEndian(4))))); break;
            case 0x8a: push(longInteger(byte())); break;             // LONG1
            case 0x8b: push(longInteger(littleEndian(4))); break;    // LONG4
            case 'G': push(binfloat()); break;
            case 'N': push(make(Kind::None)); break;
            case 0x88: push(boolean(true)); break;
            case 0x89: push(boolean(false)); break;
            case 't': push(container(Kind::Tuple, popMark())); break;
            case 0x85: case 0x86: case 0x87: push(container(Kind::Tuple, popN(op - 0x84u))); break;
            case 'l': push(container(Kind::List, popMark())); break;
            case 'd': push(dictFrom(popMark())); break;
            case 0x91: push(container(Kind::Set, popMark())); break; // FROZENSET
            case 'c': {
                const std::string module = line(); // two statements: argument order is unspecified
                push(global(module, line()));
                break;
            }
            case 0x93: {                                             // STACK_GLOBAL
                const auto name = pop(), module = pop();
                if (!name->is(Kind::Text) || !module->is(Kind::Text))
                    fail("a global is not named by two texts");
                push(global(module->text, name->text));
                break;
            }
            case 'R': {
                const auto args = pop(), callable = pop();
                push(reduce(*callable, *args));
                break;
            }
            case 0x81: pop(); pop(); push(make(Kind::Opaque)); break;         // NEWOBJ
            case 0x92: pop(); pop(); pop(); push(make(Kind::Opaque)); break;  // NEWOBJ_EX
            case 'Q': push(storage(*pop())); break;                  // BINPERSID
            case 'b': pop(); top(); break; // BUILD: the state of an object, not needed
            case 's': {
                const auto value = pop(), key = pop();
                setItems(top(), {key, value});
                break;
            }
            case 'u': {
                auto items = popMark();
                setItems(top(), std::move(items));
                break;
            }
            case 'a': {
                const auto value = pop();
                append(top(), {value});
                break;
            }
            case 'e': case 0x90: {                                   // APPENDS, ADDITEMS
                auto items = popMark();
                append(top(), std::move(items));
                break;
            }
            case '0': pop(); break;
            case '1': popMark(); break;
            case '2': push(top()); break;
            case '.': return pop();
            default: {
                char buffer[48];
                std::snprintf(buffer, sizeof buffer, "unsupported pickle opcode 0x%02x", op);
                fail(buffer);
            }
            }
        }
    }

private:
    [[noreturn]] void fail(const std::string& problem) const
    {
        throw DataError(source_, "malformed pickle data at byte " + std::to_string(opcodeAt_) + ": " + problem);
    }

    // Input, never read past its end.
    void need(uint64_t count) const
    {
        if (count > size_ - position_)
            fail("truncated (" + std::to_string(count) + " more bytes wanted, " + std::to_string(size_ - position_) +
                 " left)");
    }
    uint8_t byte()
    {
        need(1);
        return data_[position_++];
    }
    void skip(uint64_t count)
    {
        need(count);
        position_ += count;
    }
    uint64_t littleEndian(int count)
    {
        need(uint64_t(count));
        uint64_t value = 0;
        for (int i = count - 1; i >= 0; --i)
            value = (value << 8) | data_[position_ + std::size_t(i)];
        position_ += std::size_t(count);
        return value;
    }
    std::string line()
    {
        const auto* start = data_ + position_;
        const auto* end = static_cast<const uint8_t*>(std::memchr(start, '\n', size_ - position_));
        if (!end)
            fail("a global's name has no end");
        position_ += std::size_t(end - start) + 1;
        return std::string(reinterpret_cast<const char*>(start), std::size_t(end - start));
    }

    // Values: counted, so a small file cannot make millions of them.
    PickleValuePtr make(Kind kind)
    {
        if (++made_ > kMaxPickleValues)
            fail("holds more than " + std::to_string(kMaxPickleValues) + " values");
        auto v = std::make_shared<PickleValue>();
        v->kind = kind;
        return v;
    }
    PickleValuePtr text(uint64_t length)
    {
        need(length);
        auto v = make(Kind::Text);
        v->text.assign(reinterpret_cast<const char*>(data_ + position_), std::size_t(length));
        position_ += std::size_t(length);
        return v;
    }
    PickleValuePtr integer(int64_t value)
    {
        auto v = make(Kind::Int);
        v->integer = value;
        return v;
    }
    PickleValuePtr boolean(bool value)
    {
        auto v = make(Kind::Bool);
        v->integer = value;
        return v;
    }
    PickleValuePtr longInteger(uint64_t count)
    {
        if (count > 8)
            fail("an integer is wider than 64 bits");
        uint64_t raw = count ? littleEndian(int(count)) : 0;
        if (count && count < 8 && ((raw >> (8 * count - 1)) & 1)) // sign-extend
            raw |= ~uint64_t(0) << (8 * count);
        return integer(int64_t(raw));
    }
    PickleValuePtr binfloat()
    {
        need(8);
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i)
            bits = (bits << 8) | data_[position_ + std::size_t(i)]; // big-endian
        position_ += 8;
        auto v = make(Kind::Float);
        std::memcpy(&v->number, &bits, sizeof bits);
        return v;
    }
    PickleValuePtr global(const std::string& module, const std::string& name)
    {
        auto v = make(Kind::Global);
        v->text = module + "." + name;
        return v;
    }

    // Containers: a child is sealed as it goes in, and a sealed container is never changed,
    // so the values form a tree of shared leaves whose depth is known as it grows.
    void adopt(PickleValue& container, const PickleValuePtr& child)
    {
        if (container.sealed)
            fail("changes a container already placed in another (recursive structures are not read)");
        if (child.get() == &container)
            fail("puts a container into itself");
        child->sealed = true;
        container.depth = std::max(container.depth, child->depth + 1);
        if (container.depth > kMaxPickleDepth)
            fail("nested more than " + std::to_string(kMaxPickleDepth) + " levels deep");
    }
    PickleValuePtr container(Kind kind, std::vector<PickleValuePtr> items)
    {
        auto v = make(kind);
        for (const auto& item : items)
            adopt(*v, item);
        v->items = std::move(items);
        return v;
    }
    PickleValuePtr dictFrom(std::vector<PickleValuePtr> items)
    {
        auto v = make(Kind::Dict);
        setItems(v, std::move(items));
        return v;
    }
    void setItems(const PickleValuePtr& target, std::vector<PickleValuePtr> items)
    {
        if (items.size() % 2 != 0)
            fail("a dictionary gets a key without a value");
        const bool keep = target->is(Kind::Dict);
        if (!keep && !target->is(Kind::Opaque))
            fail("sets items of something that is not a dictionary");
        for (std::size_t i = 0; i < items.size(); i += 2) {
            adopt(*target, items[i]);
            adopt(*target, items[i + 1]);
            if (keep)
                target->entries.emplace_back(items[i], items[i + 1]);
        }
    }
    void append(const PickleValuePtr& target, std::vector<PickleValuePtr> items)
    {
        const bool keep = target->is(Kind::List) || target->is(Kind::Set);
        if (!keep && !target->is(Kind::Opaque))
            fail("appends to something that is not a list");
        for (const auto& item : items) {
            adopt(*target, item);
            if (keep)
                target->items.push_back(item);
        }
    }

    // Calls: only the ones that rebuild dictionaries and tensors mean anything; anything else
    // (optimizer internals, argparse namespaces) becomes an opaque value, never a call.
    PickleValuePtr reduce(const PickleValue& callable, const PickleValue& args)
    {
        if (!args.is(Kind::Tuple))
            fail("a call's arguments are not a tuple");
        const std::string name = callable.is(Kind::Global) ? callable.text : std::string();
        const auto& a = args.items;
        if (name == "collections.OrderedDict" || name == "builtins.dict" || name == "__builtin__.dict") {
            auto dict = make(Kind::Dict);
            if (!a.empty() && a[0]->is(Kind::List))
                for (const auto& pair : a[0]->items) {
                    if (!pair->is(Kind::Tuple) || pair->items.size() != 2)
                        fail("a dictionary is built from something that is not a list of pairs");
                    setItems(dict, pair->items);
                }
            return dict;
        }
        if (name == "torch.jit._pickle.restore_type_tag" || name == "torch.jit._pickle.build_intlist" ||
            name == "torch.jit._pickle.build_doublelist" || name == "torch.jit._pickle.build_boollist" ||
            name == "torch.jit._pickle.build_tensorlist" || name == "torch._utils._rebuild_parameter" ||
            name == "torch._utils._rebuild_parameter_with_state") {
            if (a.empty())
                fail(name + " has no argument");
            if (name.rfind("torch._utils._rebuild_parameter", 0) == 0 && !a[0]->is(Kind::Tensor))
                fail("a parameter holds no tensor");
            return a[0];
        }
        if (name == "torch._utils._rebuild_tensor_v2" || name == "torch._utils._rebuild_tensor")
            return tensor(a);
        return make(Kind::Opaque);
    }

    std::vector<int64_t> integers(const PickleValuePtr& value, const char* what)
    {
        if (!value->is(Kind::Tuple) && !value->is(Kind::List))
            fail(std::string("a tensor's ") + what + " are not a tuple");
        std::vector<int64_t> out;
        for (const auto& item : value->items) {
            if (!item->is(Kind::Int))
                fail(std::string("a tensor's ") + what + " are not all integers");
            out.push_back(item->integer);
        }
        return out;
    }

    PickleValuePtr tensor(const std::vector<PickleValuePtr>& a)
    {
        if (a.size() < 4 || !a[0]->is(Kind::Storage) || !a[1]->is(Kind::Int))
            fail("a tensor record does not name a storage and an offset");
        const PickleValue& storage = *a[0];
        const auto sizes = integers(a[2], "sizes"), strides = integers(a[3], "strides");
        checkTensorLayout(sizes, strides, a[1]->integer, storage.storageNumel, source_);
        auto v = make(Kind::Tensor);
        v->dtype = storage.dtype;
        v->sizes = sizes;
        if (storage.tensor.defined())
            v->tensor = storage.tensor.as_strided(sizes, strides, a[1]->integer);
        return v;
    }

    PickleValuePtr storage(const PickleValue& id)
    {
        const auto& i = id.items;
        if (!id.is(Kind::Tuple) || i.size() != 5 || !i[0]->is(Kind::Text) || i[0]->text != "storage" ||
            !i[1]->is(Kind::Global) || !i[2]->is(Kind::Text) || !i[4]->is(Kind::Int))
            fail("a persistent id is not ('storage', type, key, location, count)");
        const at::ScalarType dtype = storageScalarType(i[1]->text, source_);
        const int64_t numel = i[4]->integer;
        if (numel < 0)
            fail("storage '" + i[2]->text + "' has a negative element count");
        auto& cached = storages_[i[2]->text];
        if (cached) {
            if (cached->dtype != dtype || cached->storageNumel != numel)
                fail("storage '" + i[2]->text + "' is named twice with different types or sizes");
            return cached;
        }
        auto v = make(Kind::Storage);
        v->dtype = dtype;
        v->storageNumel = numel;
        v->tensor = loadStorage_(i[2]->text, dtype, numel);
        cached = v;
        return v;
    }

    // The stack, the marks and the memo.
    void push(PickleValuePtr v)
    {
        if (stack_.size() >= kMaxPickleValues)
            fail("stacks more than " + std::to_string(kMaxPickleValues) + " values");
        stack_.push_back(std::move(v));
    }
    const PickleValuePtr& top() const
    {
        if (stack_.size() <= (marks_.empty() ? 0 : marks_.back()))
            fail("takes a value from an empty stack");
        return stack_.back();
    }
    PickleValuePtr pop()
    {
        auto v = top();
        stack_.pop_back();
        return v;
    }
    std::vector<PickleValuePtr> popN(std::size_t count)
    {
        const std::size_t floor = marks_.empty() ? 0 : marks_.back();
        if (stack_.size() < floor + count)
            fail("takes more values than the stack holds");
        std::vector<PickleValuePtr> items(stack_.end() - std::ptrdiff_t(count), stack_.end());
        stack_.resize(stack_.size() - count);
        return items;
    }
    void mark()
    {
        if (marks_.size() >= kMaxPickleValues)
            fail("sets more than " + std::to_string(kMaxPickleValues) + " marks");
        marks_.push_back(stack_.size());
    }
    std::vector<PickleValuePtr> popMark()
    {
        if (marks_.empty())
            fail("closes a mark that was never set");
        const std::size_t mark = marks_.back();
        marks_.pop_back();
        std::vector<PickleValuePtr> items(stack_.begin() + std::ptrdiff_t(mark), stack_.end());
        stack_.resize(mark);
        return items;
    }
    void memo(uint64_t index)
    {
        if (memo_.size() >= kMaxPickleValues && !memo_.count(index))
            fail("memoizes more than " + std::to_string(kMaxPickleValues) + " values");
        memo_[index] = top();
    }
    PickleValuePtr recall(uint64_t index)
    {
        const auto it = memo_.find(index);
        if (it == memo_.end())
            fail("recalls memo entry " + std::to_string(index) + ", which was never stored");
        return it->second;
    }

    const uint8_t* data_;
    std::size_t size_;
    const std::string& source_;
    const StorageLoader& loadStorage_;
    std::size_t position_ = 0;
    std::size_t opcodeAt_ = 0;
    uint64_t made_ = 0;
    std::vector<PickleValuePtr> stack_;
    std::vector<std::size_t> marks_;
    std::unordered_map<uint64_t, PickleValuePtr> memo_;
    std::map<std::string, PickleValuePtr> storages_;
};

} // namespace

PickleValuePtr readPickle(const uint8_t* data, std::size_t size, const std::string& source,
                          const StorageLoader& loadStorage)
{
    return Reader(data, size, source, loadStorage).run();
}

} // namespace mimo
