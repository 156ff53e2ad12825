#include "quarantine/fs_blob_store.hpp"

#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <memory>

#include "util/fs.hpp"

namespace rqwatch::quarantine {

Result<std::unique_ptr<FsBlobStore>> FsBlobStore::Open(const std::string& root, bool fsync) {
    if (auto r = util::MakeDirs(root); !r) return std::unexpected(r.error());
    return std::unique_ptr<FsBlobStore>(new FsBlobStore(root, fsync));
}

std::string FsBlobStore::RelativePath(const std::string& spool_id, std::int64_t received_at_ms) const {
    const std::time_t t = static_cast<std::time_t>(received_at_ms / 1000);
    std::tm tm{};
    ::gmtime_r(&t, &tm);
    char day[16];
    std::strftime(day, sizeof day, "%Y-%m-%d", &tm);
    return std::string(day) + "/" + spool_id + ".eml";
}

std::string FsBlobStore::AbsolutePath(const std::string& relative) const { return root_ + "/" + relative; }

Result<void> FsBlobStore::Adopt(const std::string& source_path, const std::string& relative) {
    const std::string target = AbsolutePath(relative);
    const std::string dir = target.substr(0, target.rfind('/'));
    if (auto r = util::MakeDirs(dir); !r) return r;
    if (::rename(source_path.c_str(), target.c_str()) != 0) {
        if (errno != EXDEV) return std::unexpected(util::IoError("move into quarantine " + target, errno));
        if (auto r = CopyAcrossFilesystems(source_path, target); !r) return r;
    }
    std::lock_guard lock(mu_);
    dirty_dirs_.insert(dir);
    return {};
}

Result<void> FsBlobStore::CopyAcrossFilesystems(const std::string& from, const std::string& to) {
    util::UniqueFd in(::open(from.c_str(), O_RDONLY | O_CLOEXEC));
    if (!in.Valid()) return std::unexpected(util::IoError("open " + from, errno));
    struct stat st {};
    ::fstat(in.Get(), &st);
    const std::string tmp = to + ".tmp";
    util::UniqueFd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640));
    if (!out.Valid()) return std::unexpected(util::IoError("create " + tmp, errno));
    off_t offset = 0;
    while (offset < st.st_size) {
        ssize_t n = ::sendfile(out.Get(), in.Get(), &offset, static_cast<std::size_t>(st.st_size - offset));
        if (n <= 0) {
            int err = n < 0 ? errno : EIO;
            ::unlink(tmp.c_str());
            return std::unexpected(util::IoError("copy into quarantine " + to, err));
        }
    }
    if (fsync_ && ::fsync(out.Get()) != 0) {
        int err = errno;
        ::unlink(tmp.c_str());
        return std::unexpected(util::IoError("fsync " + tmp, err));
    }
    if (::rename(tmp.c_str(), to.c_str()) != 0) return std::unexpected(util::IoError("rename " + tmp, errno));
    // The spool copy stays until the spool entry is removed after the DB commit.
    std::lock_guard lock(mu_);
    copied_ = true;
    return {};
}

Result<void> FsBlobStore::Sync() {
    std::set<std::string> dirs;
    {
        std::lock_guard lock(mu_);
        dirs.swap(dirty_dirs_);
        copied_ = false;
    }
    if (!fsync_) return {};
    for (const auto& d : dirs) {
        if (auto r = util::FsyncPath(d); !r) return r;
    }
    return {};
}

}  // namespace rqwatch::quarantine
