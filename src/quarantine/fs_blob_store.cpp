#include "quarantine/fs_blob_store.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

namespace rqwatch::quarantine {

Result<std::unique_ptr<FsBlobStore>> FsBlobStore::Open(const std::string& root, bool fsync) {
    if (auto r = util::MakeDirs(root); !r) return std::unexpected(r.error());
    std::unique_ptr<FsBlobStore> store(new FsBlobStore(root, fsync));
    store->root_fd_.Reset(::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!store->root_fd_.Valid())
        return std::unexpected(util::IoError("open quarantine " + root, errno));
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

}  // namespace rqwatch::quarantine
