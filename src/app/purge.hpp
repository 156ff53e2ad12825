#pragma once
// Use case: retention (`rqwatch purge`, reference B2/B3/B5).
//
//  1. Mails older than database_days: safe-delete the file a row still points
//     at, then delete the rows (recipients and symbols go with them).
//  2. Mails older than quarantine_days that still have a file: safe-delete
//     the files, then mark the rows purged (the rows stay; the UI shows them
//     as purged).
//  3. Remove the empty day directories before the quarantine cutoff's day.
//  4. Forget the last digest of addresses sent none for kNotifyMarkKeepMs:
//     spam to made-up addresses would otherwise leave a row per address
//     forever, and a mark older than the longest schedule (weekly) is due
//     at the same times as no mark at all (core/notify_schedule).
//
// Per batch the files go first and the rows after: a crash in between leaves
// rows whose files are gone, and the next run finds them missing and
// finishes the job. Never the other way round, which would leave files no
// row points at. Any safe-delete error stops the run: nothing further is
// deleted.

#include <cstdint>

#include "app/ports/blob_store.hpp"
#include "app/ports/retention_repo.hpp"

namespace rqwatch::app {

struct PurgeOptions {
    int quarantine_days = 180;
    int database_days = 366;  // must be greater than quarantine_days
    bool dry_run = false;     // count what would happen, change nothing
    std::int64_t now_ms = 0;  // the cutoffs are this minus the days
};

// What a run did (or, in a dry run, would do).
struct PurgeResult {
    std::uint64_t files_deleted = 0;  // regular files and symlinks unlinked
    std::uint64_t bytes_freed = 0;
    std::uint64_t rows_marked_purged = 0;
    std::uint64_t files_missing = 0;  // rows whose file was already gone
    std::uint64_t rows_deleted = 0;
    std::uint64_t days_pruned = 0;  // empty day directories removed
    std::uint64_t notify_marks_deleted = 0;  // addresses whose last digest was forgotten
};

// A week and a day: the longest schedule plus the widest time-zone offset.
inline constexpr std::int64_t kNotifyMarkKeepMs = 8LL * 86'400'000;

class Purger {
  public:
    Purger(RetentionRepo& repo, BlobStore& blobs, PurgeOptions options);

    // One whole run. On error, Progress() tells what was done before it.
    [[nodiscard]] Result<PurgeResult> Run();
    [[nodiscard]] const PurgeResult& Progress() const { return done_; }

  private:
    [[nodiscard]] Result<void> DeleteOldRows(std::int64_t cutoff_ms);
    [[nodiscard]] Result<void> PurgeFiles(std::int64_t from_ms, std::int64_t cutoff_ms);
    // Safe-deletes (or checks, in a dry run) the file of one row and counts it.
    [[nodiscard]] Result<void> RemoveFile(const RetentionRow& row);

    RetentionRepo& repo_;
    BlobStore& blobs_;
    PurgeOptions options_;
    PurgeResult done_;
};

}  // namespace rqwatch::app
