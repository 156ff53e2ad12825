#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "app/ports/blob_store.hpp"
#include "util/fs.hpp"

namespace rqwatch::quarantine {

// Quarantine as files: <root>/<yyyy-mm-dd>/<spool_id>.eml, directories 0750, files 0640.
// Sync() is one syncfs(2) per import batch (plus an fsync of each new day
// directory), not one fsync per mail: on ext4 every fsync of a new file is a
// journal commit of its own.
// Deletes (retention) are the old system's safe delete: only regular files
// and symlinks (the link itself) whose directory really is below the root.
class FsBlobStore final : public app::BlobStore {
  public:
    [[nodiscard]] static Result<std::unique_ptr<FsBlobStore>> Open(const std::string& root,
                                                                   bool fsync);

    std::string RelativePath(const std::string& spool_id,
                             std::int64_t received_at_ms) const override;
    std::string AbsolutePath(const std::string& relative) const override;
    Result<void> Put(const std::string& relative, std::string_view bytes) override;
    Result<void> Sync() override;
    Result<app::BlobRemoval> Remove(const std::string& relative) override;
    Result<app::BlobRemoval> CheckRemove(const std::string& relative) const override;
    Result<std::string> Read(const std::string& relative, std::uint64_t max_bytes) const override;
    Result<std::size_t> PruneEmptyDays(std::string_view before_day) override;
    Result<std::size_t> CountEmptyDays(std::string_view before_day) const override;

  private:
    FsBlobStore(std::string root, bool fsync) : root_(std::move(root)), fsync_(fsync) {}

    // A file's day directory, opened after checking that it resolves to
    // below the root, and the file's name in it.
    struct DayEntry {
        util::UniqueFd dir;
        std::string name;
        std::string target;  // the whole path, for messages
    };
    // nullopt when the day directory does not exist.
    Result<std::optional<DayEntry>> OpenEntry(const std::string& relative) const;
    // The filesystem work of Remove()/CheckRemove() and of
    // PruneEmptyDays()/CountEmptyDays(); nothing changes unless asked.
    Result<app::BlobRemoval> SafeDelete(const std::string& relative, bool remove) const;
    // Names of the empty day directories before `before_day` (removed when asked).
    Result<std::vector<std::string>> EmptyDays(std::string_view before_day, bool remove) const;

    std::string root_;
    std::string real_root_;  // realpath(root_): what every deleted file must be under
    bool fsync_;
    util::UniqueFd root_fd_;
    std::mutex mu_;
    std::set<std::string> known_dirs_;  // day directories known to exist
    std::set<std::string> new_dirs_;    // created since the last Sync()
    bool dirty_ = false;
};

}  // namespace rqwatch::quarantine
