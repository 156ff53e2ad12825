#pragma once
// Filesystem helpers for durable writes. Every function reports errno text;
// none throws.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace rqwatch::util {

// RAII file descriptor.
class UniqueFd {
  public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : fd_(fd) {}
    UniqueFd(UniqueFd&& o) noexcept : fd_(o.Release()) {}
    UniqueFd& operator=(UniqueFd&& o) noexcept;
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() { Reset(); }

    [[nodiscard]] int Get() const { return fd_; }
    [[nodiscard]] bool Valid() const { return fd_ >= 0; }
    int Release() {
        int fd = fd_;
        fd_ = -1;
        return fd;
    }
    void Reset(int fd = -1);

  private:
    int fd_ = -1;
};

// "what: strerror(errno)" for log details.
[[nodiscard]] std::string ErrnoText(std::string_view what, int err);

// Disk-full and read-only file systems are temporary conditions (503); the rest is internal.
[[nodiscard]] Error IoError(std::string_view what, int err);

[[nodiscard]] Result<void> MakeDirs(const std::string& path, unsigned mode = 0750);
[[nodiscard]] Result<void> WriteAll(int fd, std::string_view data);
[[nodiscard]] Result<void> FsyncPath(const std::string& path);  // a file or a directory
[[nodiscard]] Result<void> SyncFilesystem(int any_fd_on_fs);    // syncfs(2)
[[nodiscard]] Result<std::string> ReadFile(const std::string& path);
// The bytes of an open file from its current offset, as long as fstat says
// it is (`path` names it in errors).
[[nodiscard]] Result<std::string> ReadAll(int fd, const std::string& path);
// Writes `data` to path.tmp, fsyncs it, renames it to path and fsyncs the directory.
[[nodiscard]] Result<void> AtomicWriteFile(const std::string& path, std::string_view data,
                                           unsigned mode = 0640);
[[nodiscard]] Result<std::uint64_t> FreeBytes(const std::string& path);

}  // namespace rqwatch::util
