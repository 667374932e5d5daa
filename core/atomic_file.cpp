#include "core/atomic_file.h"

#include "core/errors.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace mimo {

namespace fs = std::filesystem;

void writeFileAtomically(const std::string& path, const char* bytes, std::size_t size)
{
    const fs::path target(path);
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code error;
    if (!fs::is_directory(folder, error))
        throw DataError(path, "its folder " + folder.string() + " does not exist");
    // A unique temporary beside the target (created exclusively, never through a symlink), so
    // the rename is atomic and two writers never share it.
    std::string temporary = (folder / ("." + target.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(temporary.data());
    if (fd < 0)
        throw DataError(path, "cannot be written (" + std::string(std::strerror(errno)) + ")");
    const auto fail = [&](const std::string& what) {
        const std::string reason = std::strerror(errno);
        ::close(fd);
        ::unlink(temporary.c_str());
        throw DataError(path, what + " (" + reason + ")");
    };
    struct stat existing {};
    if (::stat(path.c_str(), &existing) == 0)
        ::fchmod(fd, existing.st_mode & 07777); // a replaced file keeps its permissions
    else
        ::fchmod(fd, 0644);
    for (std::size_t written = 0; written < size;) {
        const ssize_t n = ::write(fd, bytes + written, size - written);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            fail("could not be written completely");
        written += std::size_t(n);
    }
    if (::fsync(fd) != 0)
        fail("could not be written to the disk");
    if (::close(fd) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(temporary.c_str());
        throw DataError(path, "could not be written completely (" + reason + ")");
    }
    if (::rename(temporary.c_str(), path.c_str()) != 0) {
        const std::string reason = std::strerror(errno);
        ::unlink(temporary.c_str());
        throw DataError(path, "cannot replace the file (" + reason + ")");
    }
}

void writeFileAtomically(const std::string& path, const std::string& bytes)
{
    writeFileAtomically(path, bytes.data(), bytes.size());
}

} // namespace mimo
