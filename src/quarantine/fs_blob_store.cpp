#include "quarantine/fs_blob_store.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <ctime>
#include <optional>

#include "core/mail_filter.hpp"

namespace rqwatch::quarantine {
namespace {

Error Unsafe(std::string detail) {
    return Error{ErrorCode::kInvalidArgument, "unsafe quarantine path", std::move(detail)};
}

// A quarantine path comes from a database row: it must name a file below the
// root, whatever the row says.
Result<void> CheckRelative(const std::string& relative) {
    if (relative.empty()) return std::unexpected(Unsafe("empty path"));
    if (relative.front() == '/') return std::unexpected(Unsafe(relative + " is absolute"));
    if (relative.back() == '/') return std::unexpected(Unsafe(relative + " names no file"));
    if (relative.find('\0') != std::string::npos) {
        return std::unexpected(Unsafe("path with a NUL byte"));
    }
    std::size_t start = 0;
    while (start <= relative.size()) {
        std::size_t end = relative.find('/', start);
        if (end == std::string::npos) end = relative.size();
        const std::string_view part(relative.data() + start, end - start);
        if (part == "..") return std::unexpected(Unsafe(relative + " has a \"..\" component"));
        if (end == relative.size() && part == ".")
            return std::unexpected(Unsafe(relative + " names no file"));
        start = end + 1;
    }
    return {};
}

const char* TypeName(mode_t mode) {
    if (S_ISDIR(mode)) return "directory";
    if (S_ISFIFO(mode)) return "fifo";
    if (S_ISSOCK(mode)) return "socket";
    if (S_ISCHR(mode)) return "character device";
    if (S_ISBLK(mode)) return "block device";
    return "special file";
}

std::optional<std::string> RealPath(const std::string& path, int& err) {
    char* resolved = ::realpath(path.c_str(), nullptr);
    if (resolved == nullptr) {
        err = errno;
        return std::nullopt;
    }
    std::string out(resolved);
    std::free(resolved);
    return out;
}

// A directory stream that closes itself.
struct DirCloser {
    void operator()(DIR* d) const { ::closedir(d); }
};
using DirPtr = std::unique_ptr<DIR, DirCloser>;

// True when the directory `name` under `parent_fd` has no entries.
Result<bool> IsEmptyDir(int parent_fd, const char* name) {
    const int fd = ::openat(parent_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return std::unexpected(util::IoError(std::string("open ") + name, errno));
    DirPtr dir(::fdopendir(fd));
    if (!dir) {
        const int err = errno;
        ::close(fd);
        return std::unexpected(util::IoError(std::string("read ") + name, err));
    }
    while (const dirent* e = ::readdir(dir.get())) {
        const std::string_view n(e->d_name);
        if (n != "." && n != "..") return false;
    }
    return true;
}

}  // namespace

Result<std::unique_ptr<FsBlobStore>> FsBlobStore::Open(const std::string& root, bool fsync) {
    if (auto r = util::MakeDirs(root); !r) return std::unexpected(r.error());
    std::unique_ptr<FsBlobStore> store(new FsBlobStore(root, fsync));
    store->root_fd_.Reset(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!store->root_fd_.Valid())
        return std::unexpected(util::IoError("open quarantine " + root, errno));
    int err = 0;
    auto real = RealPath(root, err);
    if (!real) return std::unexpected(util::IoError("resolve quarantine " + root, err));
    store->real_root_ = std::move(*real);
    return store;
}

std::string FsBlobStore::RelativePath(const std::string& spool_id,
                                      std::int64_t received_at_ms) const {
    const std::time_t t = static_cast<std::time_t>(received_at_ms / 1000);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char day[16];
    std::strftime(day, sizeof day, "%Y-%m-%d", &tm);
    return std::string(day) + "/" + spool_id + ".eml";
}

std::string FsBlobStore::AbsolutePath(const std::string& relative) const {
    return root_ + "/" + relative;
}

Result<void> FsBlobStore::Put(const std::string& relative, std::string_view bytes) {
    const std::string target = AbsolutePath(relative);
    const std::string dir = target.substr(0, target.rfind('/'));
    {
        std::lock_guard lock(mu_);
        if (!known_dirs_.contains(dir)) {
            const bool existed = ::access(dir.c_str(), F_OK) == 0;
            if (auto r = util::MakeDirs(dir); !r) return r;
            known_dirs_.insert(dir);
            if (!existed) new_dirs_.insert(dir);
        }
    }
    // Written in place (no temp file): a replay rewrites identical bytes, and
    // no row points at the file before Sync() and the database commit.
    util::UniqueFd fd(::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640));
    if (!fd.Valid() && errno == ENOENT) {
        // `rqwatch purge` (another process) pruned the day directory while it
        // was empty, behind the cache: create it again, once.
        if (auto r = util::MakeDirs(dir); !r) return r;
        {
            std::lock_guard lock(mu_);
            known_dirs_.insert(dir);
            new_dirs_.insert(dir);
        }
        fd.Reset(::open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640));
    }
    if (!fd.Valid()) return std::unexpected(util::IoError("create " + target, errno));
    if (auto r = util::WriteAll(fd.Get(), bytes); !r) return r;
    std::lock_guard lock(mu_);
    dirty_ = true;
    return {};
}

Result<void> FsBlobStore::Sync() {
    std::set<std::string> dirs;
    bool dirty = false;
    {
        std::lock_guard lock(mu_);
        dirs.swap(new_dirs_);
        std::swap(dirty, dirty_);
    }
    if (!fsync_ || !dirty) return {};
    if (auto r = util::SyncFilesystem(root_fd_.Get()); !r) return r;
    // A new day directory must itself be recorded in its parent.
    if (!dirs.empty()) {
        if (auto r = util::FsyncPath(root_); !r) return r;
    }
    return {};
}

Result<app::BlobRemoval> FsBlobStore::Remove(const std::string& relative) {
    return SafeDelete(relative, /*remove=*/true);
}

Result<app::BlobRemoval> FsBlobStore::CheckRemove(const std::string& relative) const {
    return SafeDelete(relative, /*remove=*/false);
}

Result<std::optional<FsBlobStore::DayEntry>> FsBlobStore::OpenEntry(
    const std::string& relative) const {
    if (auto r = CheckRelative(relative); !r) return std::unexpected(r.error());
    DayEntry entry;
    entry.target = AbsolutePath(relative);
    const std::size_t slash = entry.target.rfind('/');
    const std::string dir = entry.target.substr(0, slash);
    entry.name = entry.target.substr(slash + 1);
    // The directory, symlinks resolved, must be below the root (never the
    // root itself): a day directory that is a link to elsewhere is refused.
    int err = 0;
    const auto real_dir = RealPath(dir, err);
    if (!real_dir) {
        if (err == ENOENT || err == ENOTDIR) return std::nullopt;
        return std::unexpected(util::IoError("resolve " + dir, err));
    }
    if (!real_dir->starts_with(real_root_ + "/")) {
        return Fail(ErrorCode::kInternal, "refusing a path outside the quarantine",
                    entry.target + ": its directory resolves to " + *real_dir + ", outside " +
                        real_root_);
    }
    // From here on relative to the resolved directory, so that the checks
    // and the action are about the same file even if a path component is
    // swapped meanwhile.
    entry.dir.Reset(::open(real_dir->c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!entry.dir.Valid()) {
        if (errno == ENOENT) return std::nullopt;
        return std::unexpected(util::IoError("open " + *real_dir, errno));
    }
    return entry;
}

Result<std::string> FsBlobStore::Read(const std::string& relative,
                                      std::uint64_t max_bytes) const {
    auto entry = OpenEntry(relative);
    if (!entry) return std::unexpected(entry.error());
    if (!*entry) return Fail(ErrorCode::kNotFound, "the quarantined mail file is missing");
    const std::string& target = (*entry)->target;
    util::UniqueFd fd(::openat((*entry)->dir.Get(), (*entry)->name.c_str(),
                               O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (!fd.Valid()) {
        if (errno == ENOENT) return Fail(ErrorCode::kNotFound, "the quarantined mail file is missing");
        if (errno == ELOOP) {
            return Fail(ErrorCode::kInternal, "refusing to read a symbolic link in the quarantine",
                        target + " is a symbolic link, not a mail file");
        }
        return std::unexpected(util::IoError("open " + target, errno));
    }
    struct stat st {};
    if (::fstat(fd.Get(), &st) != 0) return std::unexpected(util::IoError("stat " + target, errno));
    if (!S_ISREG(st.st_mode)) {
        return Fail(ErrorCode::kInternal,
                    std::string("refusing to read a ") + TypeName(st.st_mode) + " in the quarantine",
                    target + " is a " + TypeName(st.st_mode) + ", not a mail file");
    }
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
        return Fail(ErrorCode::kTooLarge, "the quarantined mail is too large to show",
                    target + ": " + std::to_string(st.st_size) + " bytes");
    }
    return util::ReadAll(fd.Get(), target);
}

Result<app::BlobRemoval> FsBlobStore::SafeDelete(const std::string& relative, bool remove) const {
    using Kind = app::BlobRemoval::Kind;
    auto entry = OpenEntry(relative);
    if (!entry) return std::unexpected(entry.error());
    if (!*entry) return app::BlobRemoval{Kind::kMissing, 0};
    const util::UniqueFd& dir_fd = (*entry)->dir;
    const std::string& name = (*entry)->name;
    const std::string& target = (*entry)->target;
    struct stat st {};
    if (::fstatat(dir_fd.Get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
        if (errno == ENOENT) return app::BlobRemoval{Kind::kMissing, 0};
        return std::unexpected(util::IoError("stat " + target, errno));
    }
    app::BlobRemoval removal;
    if (S_ISLNK(st.st_mode)) {
        removal.kind = Kind::kSymlink;
    } else if (S_ISREG(st.st_mode)) {
        removal.kind = Kind::kFile;
        removal.bytes = static_cast<std::uint64_t>(st.st_size);
    } else {
        return Fail(
            ErrorCode::kInternal,
            std::string("refusing to delete a ") + TypeName(st.st_mode) + " in the quarantine",
            target + " is a " + TypeName(st.st_mode) + ", not a mail file");
    }
    if (remove && ::unlinkat(dir_fd.Get(), name.c_str(), 0) != 0) {
        if (errno == ENOENT) return app::BlobRemoval{Kind::kMissing, 0};
        return std::unexpected(util::IoError("delete " + target, errno));
    }
    return removal;
}

Result<std::size_t> FsBlobStore::PruneEmptyDays(std::string_view before_day) {
    auto removed = EmptyDays(before_day, /*remove=*/true);
    if (!removed) return std::unexpected(removed.error());
    std::lock_guard lock(mu_);
    for (const std::string& name : *removed) known_dirs_.erase(root_ + "/" + name);
    return removed->size();
}

Result<std::size_t> FsBlobStore::CountEmptyDays(std::string_view before_day) const {
    auto empty = EmptyDays(before_day, /*remove=*/false);
    if (!empty) return std::unexpected(empty.error());
    return empty->size();
}

Result<std::vector<std::string>> FsBlobStore::EmptyDays(std::string_view before_day,
                                                        bool remove) const {
    const auto before_ms = ParseDay(before_day);
    if (!before_ms) return std::unexpected(before_ms.error());
    const int fd = ::open(root_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return std::unexpected(util::IoError("open quarantine " + root_, errno));
    DirPtr dir(::fdopendir(fd));
    if (!dir) {
        const int err = errno;
        ::close(fd);
        return std::unexpected(util::IoError("read quarantine " + root_, err));
    }
    std::vector<std::string> out;
    while (const dirent* e = ::readdir(dir.get())) {
        const std::string name(e->d_name);
        // Only what the quarantine itself creates: lost+found, a mount point
        // or anything an administrator put there is left alone.
        const auto day_ms = ParseDay(name);
        if (!day_ms || *day_ms >= *before_ms) continue;
        struct stat st {};
        if (::fstatat(fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode)) {
            continue;
        }
        if (!remove) {
            auto empty = IsEmptyDir(fd, name.c_str());
            if (!empty) return std::unexpected(empty.error());
            if (*empty) out.push_back(name);
            continue;
        }
        // rmdir itself is the emptiness check, so a mail written meanwhile
        // is never lost.
        if (::unlinkat(fd, name.c_str(), AT_REMOVEDIR) == 0) {
            out.push_back(name);
        } else if (errno != ENOTEMPTY && errno != EEXIST && errno != ENOENT) {
            return std::unexpected(util::IoError("remove directory " + root_ + "/" + name, errno));
        }
    }
    return out;
}

}  // namespace rqwatch::quarantine
