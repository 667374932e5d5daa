#include "core/distributed/distributed_settings.h"

#include "core/errors.h"
#include "core/model/device.h"

#include <cerrno>
#include <cstdlib>
#include <limits>

namespace mimo {
namespace {

// An integer environment variable, or `fallback` when it is unset or empty.
long environmentInteger(const char* name, long fallback)
{
    const char* text = std::getenv(name);
    if (!text || !*text)
        return fallback;
    errno = 0;
    char* end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max())
        throw Error(std::string("the environment variable ") + name + "='" + printableText(text, 64) +
                    "' is not a whole number");
    return value;
}

} // namespace

DistributedSettings resolveDistributed(DistributedSettings s)
{
    if (s.worldSize == 0)
        s.worldSize = int(environmentInteger("WORLD_SIZE", 1));
    if (s.rank < 0)
        s.rank = int(environmentInteger("RANK", 0));
    if (s.localRank < 0)
        s.localRank = int(environmentInteger("LOCAL_RANK", s.rank));
    if (s.masterAddr.empty()) {
        const char* address = std::getenv("MASTER_ADDR");
        s.masterAddr = address && *address ? address : "127.0.0.1";
    }
    if (s.masterPort == 0)
        s.masterPort = int(environmentInteger("MASTER_PORT", 29500));
    if (s.worldSize < 1)
        throw Error("the group size (--world-size or WORLD_SIZE) must be at least 1, not " + std::to_string(s.worldSize));
    if (s.rank < 0 || s.rank >= s.worldSize)
        throw Error("the rank (--rank or RANK) must be 0 to " + std::to_string(s.worldSize - 1) + " in a group of " +
                    std::to_string(s.worldSize) + ", not " + std::to_string(s.rank));
    if (s.localRank < 0)
        throw Error("the local rank (LOCAL_RANK) must not be negative, not " + std::to_string(s.localRank));
    if (s.masterPort < 1 || s.masterPort > 65535)
        throw Error("the rank-0 port (--master-port or MASTER_PORT) must be 1 to 65535, not " +
                    std::to_string(s.masterPort));
    if (!(s.timeoutSeconds > 0))
        throw Error("the group's timeout must be positive");
    return s;
}

std::string rankDeviceName(const DistributedSettings& settings, const std::string& device)
{
    const std::string resolved = resolveDeviceName(device);
    return settings.active() && resolved == "cuda" ? "cuda:" + std::to_string(settings.localRank) : resolved;
}

bool isLoopbackAddress(const std::string& address)
{
    return address == "localhost" || address.rfind("127.", 0) == 0 || address == "::1";
}

} // namespace mimo
