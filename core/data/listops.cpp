// ListOps generator, evaluator and tokenizer. TSV files and the Dataset are in listops_tsv.cpp.
#include "core/data/listops.h"

#include "core/errors.h"

#include <algorithm>
#include <random>
#include <string_view>
#include <unordered_set>

namespace mimo::listops {
namespace {

constexpr int32_t kOpenParen = -2;
constexpr int32_t kCloseParen = -3;
constexpr int32_t kUnknown = -1;

// Consecutive draws that may fail to give a new tree before we call the config hopeless.
// The LRA default keeps about one draw in 12, a (10, 100) window one in 20: very generous.
constexpr std::size_t kMaxAttemptsWithoutProgress = 2'000'000;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

int32_t idOf(std::string_view token) {
    if (token.size() == 1) {
        const char c = token[0];
        if (c >= '0' && c <= '9') return 1 + (c - '0');
        if (c == ']' || c == 'X') return kCloseId;
        if (c == '(') return kOpenParen;
        if (c == ')') return kCloseParen;
        return kUnknown;
    }
    if (token == "[MIN") return kMinId;
    if (token == "[MAX") return kMaxId;
    if (token == "[MED") return kMedId;
    if (token == "[SM") return kSumModId;
    return kUnknown;
}

std::string quoted(std::string_view token) {
    constexpr std::size_t kShown = 40; // a whole pasted document can be one "token"
    std::string text(token.substr(0, kShown));
    return "'" + text + (token.size() > kShown ? "...'" : "'");
}

// Ids of the non-parenthesis tokens, with their 1-based positions among all tokens so
// messages point at what the user sees.
struct Lexed {
    std::vector<int32_t> ids;
    std::vector<std::size_t> positions;
};

Lexed lex(const std::string& text, const std::string& sourceName, bool checkParens) {
    Lexed out;
    long openParens = 0;
    std::size_t position = 0;
    for (std::size_t i = 0; i < text.size();) {
        if (isSpace(text[i])) { ++i; continue; }
        const std::size_t start = i;
        while (i < text.size() && !isSpace(text[i])) ++i;
        const std::string_view token(text.data() + start, i - start);
        ++position;
        const int32_t id = idOf(token);
        if (id == kUnknown)
            throw DataError(sourceName, "unknown token " + quoted(token) + " at token " + std::to_string(position));
        if (id == kOpenParen) { ++openParens; continue; }
        if (id == kCloseParen) {
            if (checkParens && --openParens < 0)
                throw DataError(sourceName, "')' at token " + std::to_string(position) + " has no matching '('");
            continue;
        }
        out.ids.push_back(id);
        out.positions.push_back(position);
    }
    if (checkParens && openParens > 0)
        throw DataError(sourceName, std::to_string(openParens) + " '(' never closed");
    return out;
}

int apply(int32_t op, std::vector<int>& args) {
    switch (op) {
    case kMinId: return *std::min_element(args.begin(), args.end());
    case kMaxId: return *std::max_element(args.begin(), args.end());
    case kSumModId: {
        long long sum = 0;
        for (int v : args) sum += v;
        return static_cast<int>(sum % 10);
    }
    default: { // kMedId; values are non-negative, so integer division truncates like int()
        std::sort(args.begin(), args.end());
        const std::size_t n = args.size();
        return n % 2 ? args[n / 2] : (args[n / 2 - 1] + args[n / 2]) / 2;
    }
    }
}

// Evaluates prefix ids with an explicit stack, so deeply nested input cannot overflow the
// call stack. `positions` may be null (generator output, known to be well formed).
template <class Id>
int evaluateIds(const Id* ids, std::size_t count, const std::size_t* positions, const std::string& sourceName) {
    struct Frame {
        int32_t op = 0;
        std::size_t position = 0;
        std::vector<int> args;
    };
    std::vector<Frame> frames; // frames[0..depth) are open; kept to reuse their buffers
    std::size_t depth = 0;
    int result = -1;
    auto where = [&](std::size_t i) { return "token " + std::to_string(positions ? positions[i] : i + 1); };
    auto fail = [&](const std::string& problem) -> void { throw DataError(sourceName, problem); };
    auto deliver = [&](int value, std::size_t i) {
        if (depth > 0) { frames[depth - 1].args.push_back(value); return; }
        if (result >= 0) fail("unexpected " + quoted(vocabulary()[std::size_t(ids[i])]) + " at " + where(i) + " after the end of the expression");
        result = value;
    };
    for (std::size_t i = 0; i < count; ++i) {
        const int32_t id = ids[i];
        if (id >= 1 && id <= 10) {
            deliver(id - 1, i);
        } else if (id == kCloseId) {
            if (depth == 0) fail("']' at " + where(i) + " closes no operator");
            Frame& frame = frames[depth - 1];
            if (frame.args.empty())
                fail("operator " + vocabulary()[std::size_t(frame.op)] + " at token " + std::to_string(frame.position) + " has no arguments");
            const int value = apply(frame.op, frame.args);
            --depth;
            deliver(value, i);
        } else {
            if (depth == 0 && result >= 0)
                fail("unexpected " + quoted(vocabulary()[std::size_t(id)]) + " at " + where(i) + " after the end of the expression");
            if (depth == frames.size()) frames.emplace_back();
            Frame& frame = frames[depth++];
            frame.op = id;
            frame.position = positions ? positions[i] : i + 1;
            frame.args.clear();
        }
    }
    if (depth > 0)
        fail("operator " + vocabulary()[std::size_t(frames[depth - 1].op)] + " at token " +
             std::to_string(frames[depth - 1].position) + " is never closed with ']'");
    if (result < 0) fail("empty expression");
    return result;
}

// Longest tree the depth and arity limits allow, saturating well above any int.
long long longestPossibleTree(const GeneratorConfig& c) {
    constexpr long long kCap = 1LL << 40;
    long long length = 1; // at maxDepth every node is a leaf
    for (int depth = c.maxDepth - 1; depth >= 1 && length < kCap; --depth)
        length = std::min(kCap, 2 + static_cast<long long>(c.maxArgs) * length);
    return length;
}

// One LRA draw at a time. Trees are built as prefix ids (the op slot is filled after its
// children, because LRA draws the operator last) plus each operator's child count.
class TreeSampler {
public:
    explicit TreeSampler(const GeneratorConfig& config) : config_(config), rng_(config.seed) {}

    // False when the draw falls outside the length window. A draw is abandoned as soon as
    // it reaches maxLength: huge trees are rare but would dominate the running time.
    bool draw() {
        ids_.clear();
        childCounts_.clear();
        return grow(1) && static_cast<long long>(ids_.size()) > config_.minLength;
    }
    const std::string& ids() const { return ids_; } // one char per id, handy as a set key
    int label() const { return evaluateIds(ids_.data(), ids_.size(), nullptr, "<generator>"); }
    std::string source() const {
        std::string out;
        out.reserve(ids_.size() * 5);
        render(0, out);
        return out;
    }

private:
    // 53 random bits, as Python's random.random() uses.
    double uniform01() { return static_cast<double>(rng_() >> 11) * 0x1.0p-53; }
    // Unbiased integer in [lo, hi]: reject the short top slice of the 64-bit range.
    int randint(int lo, int hi) {
        const uint64_t span = static_cast<uint64_t>(hi - lo) + 1;
        const uint64_t threshold = (0 - span) % span; // 2^64 mod span
        uint64_t x;
        do { x = rng_(); } while (x < threshold);
        return lo + static_cast<int>(x % span);
    }
    bool push(int32_t id, int children) {
        ids_.push_back(static_cast<char>(id));
        childCounts_.push_back(children);
        return static_cast<long long>(ids_.size()) < config_.maxLength;
    }
    bool grow(int depth) {
        const double r = depth < config_.maxDepth ? uniform01() : 1.0;
        if (r > 0.25) return push(1 + randint(0, 9), 0);
        const std::size_t opAt = ids_.size();
        if (!push(0, 0)) return false;
        const int k = randint(2, config_.maxArgs);
        for (int i = 0; i < k; ++i)
            if (!grow(depth + 1)) return false;
        ids_[opAt] = static_cast<char>(kMinId + randint(0, 3));
        childCounts_[opAt] = k;
        return push(kCloseId, 0);
    }
    // LRA nests left: t = (op, c1), t = (t, ci)..., t = (t, ']'), each tuple "( a b )".
    std::size_t render(std::size_t at, std::string& out) const {
        const int32_t id = ids_[at];
        if (id <= 10) {
            out += static_cast<char>('0' + id - 1);
            return at + 1;
        }
        const int k = childCounts_[at];
        for (int i = 0; i <= k; ++i) out += "( ";
        out += vocabulary()[std::size_t(id)];
        std::size_t next = at + 1;
        for (int i = 0; i < k; ++i) {
            out += ' ';
            next = render(next, out);
            out += " )";
        }
        out += " ] )";
        return next + 1;
    }

    GeneratorConfig config_;
    std::mt19937_64 rng_;
    std::string ids_;
    std::vector<int> childCounts_;
};

} // namespace

void validate(const GeneratorConfig& c) {
    auto bad = [](const std::string& problem) { throw Error("ListOps generator: " + problem); };
    // Recursion depth follows maxDepth; beyond this the bound only risks the stack.
    if (c.maxDepth < 1 || c.maxDepth > 1000) bad("maxDepth must be in 1..1000, got " + std::to_string(c.maxDepth));
    if (c.maxArgs < 2) bad("maxArgs must be at least 2, got " + std::to_string(c.maxArgs));
    if (c.minLength < 0) bad("minLength must be non-negative, got " + std::to_string(c.minLength));
    if (c.minLength >= c.maxLength - 1)
        bad("the length window (" + std::to_string(c.minLength) + ", " + std::to_string(c.maxLength) +
            ") is exclusive and holds no length; need minLength < maxLength - 1");
}

std::vector<Example> generate(const GeneratorConfig& config, std::size_t count) {
    validate(config);
    const long long longest = longestPossibleTree(config);
    if (count > 0 && longest <= config.minLength)
        throw Error("ListOps generator: with maxDepth " + std::to_string(config.maxDepth) + " and maxArgs " +
                    std::to_string(config.maxArgs) + " no tree is longer than " + std::to_string(longest) +
                    " tokens, but minLength is " + std::to_string(config.minLength));
    std::vector<Example> out;
    out.reserve(count);
    // Keyed on the prefix ids: they determine the source string one to one, at a quarter the size.
    std::unordered_set<std::string> seen;
    TreeSampler sampler(config);
    std::size_t misses = 0;
    while (out.size() < count) {
        if (sampler.draw() && seen.insert(sampler.ids()).second) {
            out.push_back({sampler.source(), sampler.label()});
            misses = 0;
        } else if (++misses >= kMaxAttemptsWithoutProgress) {
            throw Error("ListOps generator: no new tree with length in (" + std::to_string(config.minLength) + ", " +
                        std::to_string(config.maxLength) + ") after " + std::to_string(misses) +
                        " consecutive attempts (" + std::to_string(out.size()) + " of " + std::to_string(count) +
                        " found); widen the length window or raise maxDepth/maxArgs");
        }
    }
    return out;
}

std::string compactForm(const std::string& source) {
    std::string out;
    out.reserve(source.size() / 2);
    for (std::size_t i = 0; i < source.size();) {
        if (isSpace(source[i])) { ++i; continue; }
        const std::size_t start = i;
        while (i < source.size() && !isSpace(source[i])) ++i;
        const std::string_view token(source.data() + start, i - start);
        if (token == "(" || token == ")") continue;
        if (!out.empty()) out += ' ';
        out += token;
    }
    return out;
}

std::string lraForm(const std::string& expression, const std::string& sourceName) {
    const Lexed lexed = lex(expression, sourceName, true);
    evaluateIds(lexed.ids.data(), lexed.ids.size(), lexed.positions.data(), sourceName); // validates
    // Each open operator accumulates "op c1 ) c2 ) ..."; its k + 1 leading "( " are only
    // known once it closes.
    struct Open {
        std::string body;
        int children = 0;
    };
    std::vector<Open> open;
    std::string result;
    for (const int32_t id : lexed.ids) {
        std::string done;
        if (id == kCloseId) {
            Open& top = open.back();
            for (int i = 0; i <= top.children; ++i) done += "( ";
            done += top.body;
            done += " ] )";
            open.pop_back();
        } else if (id <= 10) {
            done = vocabulary()[std::size_t(id)];
        } else {
            open.push_back({vocabulary()[std::size_t(id)], 0});
            continue;
        }
        if (open.empty()) {
            result = std::move(done);
        } else {
            open.back().body += ' ' + done + " )";
            ++open.back().children;
        }
    }
    return result;
}

int evaluate(const std::string& expression) { return evaluate(expression, "<expression>"); }

int evaluate(const std::string& expression, const std::string& sourceName) {
    const Lexed lexed = lex(expression, sourceName, true);
    return evaluateIds(lexed.ids.data(), lexed.ids.size(), lexed.positions.data(), sourceName);
}

std::vector<int32_t> tokenize(const std::string& source, const std::string& sourceName) {
    return lex(source, sourceName, false).ids;
}

std::string detokenize(const std::vector<int32_t>& ids) {
    const auto& names = vocabulary();
    std::string out;
    for (std::size_t i = 0; i < ids.size(); ++i) {
        const int32_t id = ids[i];
        if (id == kPadId) continue;
        if (id < 0 || id >= kVocabularySize)
            throw Error("ListOps detokenize: id " + std::to_string(id) + " at position " + std::to_string(i) +
                        " is outside the vocabulary 0.." + std::to_string(kVocabularySize - 1));
        if (!out.empty()) out += ' ';
        out += names[std::size_t(id)];
    }
    return out;
}

std::vector<int32_t> padOrTruncate(std::vector<int32_t> ids, std::size_t length) {
    ids.resize(length, kPadId);
    return ids;
}

int treeDepth(const std::vector<int32_t>& ids)
{
    int depth = 0, deepest = 0;
    for (int32_t id : ids) {
        if (id >= kMinId && id <= kSumModId)
            deepest = std::max(deepest, ++depth);
        else if (id == kCloseId && depth > 0)
            --depth;
    }
    return deepest;
}

const std::vector<std::string>& vocabulary() {
    static const std::vector<std::string> names = {"<pad>", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
                                                   "[MIN", "[MAX", "[MED", "[SM", "]"};
    return names;
}

} // namespace mimo::listops
