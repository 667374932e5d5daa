// `mimo launch`: K ranks of a command on this machine, each with the torchrun-style environment
// (RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT, OMP_NUM_THREADS). When one rank fails,
// the others are told to stop (TERM) and killed after a grace period: a group never outlives
// one of its ranks. POSIX processes, no torch.
#include "cli/commands.h"
#include "core/errors.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace mimo::cli {
namespace {

volatile sig_atomic_t forwardedSignal = 0;

// A port the kernel says is free now (rank 0 binds it a moment later).
int freePort()
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        throw Error(std::string("launch: cannot open a socket to find a free port: ") + std::strerror(errno));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    const bool found = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                       ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    ::close(fd);
    if (!found)
        throw Error("launch: found no free port on this machine; give one with --master-port");
    return ntohs(address.sin_port);
}

// `mimo` is this very program, so a launch works without mimo on the PATH.
std::string programPath(const std::string& name)
{
    if (name != "mimo")
        return name;
    std::vector<char> buffer(4096);
    const ssize_t length = ::readlink("/proc/self/exe", buffer.data(), buffer.size() - 1);
    return length > 0 ? std::string(buffer.data(), std::size_t(length)) : name;
}

std::string endText(int status)
{
    if (WIFSIGNALED(status))
        return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
    return "ended with exit status " + std::to_string(WEXITSTATUS(status));
}

int exitCode(int status) { return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status); }

struct Rank {
    int rank = 0;
    pid_t pid = -1;
    bool running = false;
    int status = 0;
};

// What one rank runs: its arguments and environment, made before fork() so that the child only
// calls execvpe (a forked child of a program with threads may do little else).
struct RankCommand {
    std::vector<std::string> words, environment;
    std::vector<char*> argv, envp;

    RankCommand(const LaunchOptions& options, int localRank, int worldSize, int port, int threads)
        : words(options.command)
    {
        words.front() = programPath(words.front());
        const int rank = options.nodeRank * options.processes + localRank;
        const std::vector<std::pair<std::string, std::string>> set{
            {"RANK", std::to_string(rank)},
            {"LOCAL_RANK", std::to_string(localRank)},
            {"WORLD_SIZE", std::to_string(worldSize)},
            {"LOCAL_WORLD_SIZE", std::to_string(options.processes)},
            {"MASTER_ADDR", options.masterAddr},
            {"MASTER_PORT", std::to_string(port)},
            {"OMP_NUM_THREADS", std::to_string(threads)}};
        for (char** variable = environ; *variable; ++variable) {
            const std::string entry = *variable;
            const std::string name = entry.substr(0, entry.find('='));
            if (std::none_of(set.begin(), set.end(), [&](const auto& pair) { return pair.first == name; }))
                environment.push_back(entry);
        }
        for (const auto& [name, value] : set)
            environment.push_back(name + "=" + value);
        for (auto& word : words)
            argv.push_back(word.data());
        argv.push_back(nullptr);
        for (auto& entry : environment)
            envp.push_back(entry.data());
        envp.push_back(nullptr);
    }
};

void signalRunning(std::vector<Rank>& ranks, int signal)
{
    for (const Rank& r : ranks)
        if (r.running)
            ::kill(r.pid, signal);
}

} // namespace

int runLaunch(const LaunchOptions& options)
{
    if (options.command.empty())
        throw UsageError("launch: give the command after --, e.g. mimo launch --nproc 2 -- mimo eval --model m.pt");
    if (options.nodeRank < 0 || options.nodeRank >= options.nodes)
        throw UsageError("launch: --node-rank must be 0 to " + std::to_string(options.nodes - 1));
    if (options.nodes > 1 && (options.masterPort == 0 || isLoopbackAddress(options.masterAddr)))
        throw UsageError("launch: a group over several machines needs node 0's --master-addr (an address the other "
                         "machines reach, not the loopback) and --master-port");
    const int worldSize = options.nodes * options.processes;
    const int port = options.masterPort ? options.masterPort : freePort();
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    const int threads = options.threads > 0 ? options.threads : std::max(1, int(cores) / options.processes);
    std::fprintf(stderr, "mimo launch: ranks %d-%d of %d at %s:%d, %d thread%s each\n",
                 options.nodeRank * options.processes, (options.nodeRank + 1) * options.processes - 1, worldSize,
                 options.masterAddr.c_str(), port, threads, threads == 1 ? "" : "s");

    struct sigaction forward {};
    forward.sa_handler = [](int signal) { forwardedSignal = signal; };
    sigemptyset(&forward.sa_mask);
    ::sigaction(SIGINT, &forward, nullptr);
    ::sigaction(SIGTERM, &forward, nullptr);

    std::vector<RankCommand> commands;
    commands.reserve(std::size_t(options.processes)); // never moved: argv and envp point into them
    for (int local = 0; local < options.processes; ++local)
        commands.emplace_back(options, local, worldSize, port, threads);
    std::fflush(nullptr);
    std::vector<Rank> ranks;
    for (int local = 0; local < options.processes; ++local) {
        RankCommand& command = commands[std::size_t(local)];
        const pid_t pid = ::fork();
        if (pid < 0) {
            const std::string reason = std::strerror(errno);
            signalRunning(ranks, SIGTERM);
            throw Error("launch: cannot start rank " + std::to_string(local) + ": " + reason);
        }
        if (pid == 0) {
            ::execvpe(command.argv.front(), command.argv.data(), command.envp.data());
            const char* reason = std::strerror(errno);
            const std::string message = "mimo launch: rank " + std::to_string(options.nodeRank * options.processes + local) +
                                        ": cannot run " + options.command.front() + ": " + reason + "\n";
            [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, message.data(), message.size());
            ::_exit(127);
        }
        ranks.push_back({options.nodeRank * options.processes + local, pid, true, 0});
        std::fprintf(stderr, "mimo launch: rank %d is pid %d\n", ranks.back().rank, int(pid));
    }

    using Clock = std::chrono::steady_clock;
    const Rank* failed = nullptr;
    Clock::time_point killAt = Clock::time_point::max();
    std::size_t running = ranks.size();
    bool interrupted = false;
    while (running > 0) {
        if (const int signal = forwardedSignal) { // Ctrl-C or a TERM: every rank stops after saving
            forwardedSignal = 0;
            interrupted = true;
            signalRunning(ranks, signal);
            // A rank that cannot stop (stuck meeting the others) is killed after a while.
            killAt = std::min(killAt, Clock::now() + std::chrono::milliseconds(int64_t(6 * options.graceSeconds * 1000)));
        }
        if (Clock::now() >= killAt) {
            signalRunning(ranks, SIGKILL);
            killAt = Clock::time_point::max();
        }
        int status = 0;
        const pid_t pid = ::waitpid(-1, &status, WNOHANG);
        if (pid <= 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            continue;
        }
        for (Rank& r : ranks) {
            if (r.pid != pid)
                continue;
            r.running = false;
            r.status = status;
            --running;
            // A rank stopped by the launcher's Ctrl-C or TERM ends with 130 by its own choice.
            const bool stoppedAsTold = interrupted && WIFEXITED(status) && WEXITSTATUS(status) == 130;
            const bool bad = !(WIFEXITED(status) && WEXITSTATUS(status) == 0) && !stoppedAsTold;
            if (bad && !failed) {
                failed = &r;
                std::fprintf(stderr, "mimo launch: rank %d (pid %d) %s; stopping the other ranks\n", r.rank, int(pid),
                             endText(status).c_str());
                signalRunning(ranks, SIGTERM);
                killAt = Clock::now() + std::chrono::milliseconds(int64_t(options.graceSeconds * 1000));
            } else if (failed) {
                std::fprintf(stderr, "mimo launch: rank %d %s\n", r.rank, endText(status).c_str());
            }
        }
    }
    if (failed)
        return exitCode(failed->status);
    return interrupted ? 130 : 0;
}

} // namespace mimo::cli
