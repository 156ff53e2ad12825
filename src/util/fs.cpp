#include "util/fs.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rqwatch::util {

UniqueFd& UniqueFd::operator=(UniqueFd&& o) noexcept {
    if (this != &o) Reset(o.Release());
    return *this;
}

void UniqueFd::Reset(int fd) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
}

std::string ErrnoText(std::string_view what, int err) {
    std::string out(what);
    out += ": ";
    out += std::strerror(err);
    return out;
}

Error IoError(std::string_view what, int err) {
    const bool temporary = err == ENOSPC || err == EDQUOT || err == EROFS || err == EIO ||
                           err == EACCES || err == EPERM;
    return Error{temporary ? ErrorCode::kUnavailable : ErrorCode::kInternal,
                 temporary ? "storage temporarily unavailable" : "internal storage error",
                 ErrnoText(what, err)};
}

Result<void> MakeDirs(const std::string& path, unsigned mode) {
    if (path.empty()) return {};
    std::string partial;
    partial.reserve(path.size());
    for (std::size_t i = 0; i <= path.size(); ++i) {
        if (i == path.size() || (path[i] == '/' && i > 0)) {
            partial = path.substr(0, i);
            if (::mkdir(partial.c_str(), mode) != 0 && errno != EEXIST) {
                return std::unexpected(IoError("cannot create directory " + partial, errno));
            }
        }
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        return Fail(ErrorCode::kInternal, "internal storage error", path + " is not a directory");
    }
    return {};
}

Result<void> WriteAll(int fd, std::string_view data) {
    while (!data.empty()) {
        ssize_t n = ::write(fd, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            return std::unexpected(IoError("write", errno));
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return {};
}

Result<void> FsyncPath(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.Valid()) return std::unexpected(IoError("open " + path, errno));
    if (::fsync(fd.Get()) != 0) return std::unexpected(IoError("fsync " + path, errno));
    return {};
}

Result<void> SyncFilesystem(int any_fd_on_fs) {
    if (::syncfs(any_fd_on_fs) != 0) return std::unexpected(IoError("syncfs", errno));
    return {};
}

Result<std::string> ReadFile(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.Valid()) return std::unexpected(IoError("open " + path, errno));
    return ReadAll(fd.Get(), path);
}

Result<std::string> ReadAll(int fd, const std::string& path) {
    struct stat st {};
    if (::fstat(fd, &st) != 0) return std::unexpected(IoError("stat " + path, errno));
    std::string out;
    out.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < out.size()) {
        ssize_t n = ::read(fd, out.data() + got, out.size() - got);
        if (n < 0) {
            if (errno == EINTR) continue;
            return std::unexpected(IoError("read " + path, errno));
        }
        if (n == 0) break;
        got += static_cast<std::size_t>(n);
    }
    out.resize(got);
    return out;
}

Result<void> AtomicWriteFile(const std::string& path, std::string_view data, unsigned mode) {
    const std::string tmp = path + ".tmp";
    UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode));
    if (!fd.Valid()) return std::unexpected(IoError("create " + tmp, errno));
    if (auto r = WriteAll(fd.Get(), data); !r) {
        ::unlink(tmp.c_str());
        return r;
    }
    if (::fsync(fd.Get()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return std::unexpected(IoError("fsync " + tmp, err));
    }
    fd.Reset();
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return std::unexpected(IoError("rename " + tmp, err));
    }
    const auto slash = path.rfind('/');
    return FsyncPath(slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash));
}

Result<std::uint64_t> FreeBytes(const std::string& path) {
    struct statvfs st {};
    if (::statvfs(path.c_str(), &st) != 0)
        return std::unexpected(IoError("statvfs " + path, errno));
    return static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
}

}  // namespace rqwatch::util
