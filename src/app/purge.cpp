#include "app/purge.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <vector>

#include "core/mail_filter.hpp"

namespace rqwatch::app {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr std::size_t kBatch = RetentionRepo::kMaxBatch;

std::vector<std::int64_t> IdsOf(const std::vector<RetentionRow>& rows, std::size_t count) {
    std::vector<std::int64_t> ids;
    ids.reserve(count);
    for (std::size_t i = 0; i < count; ++i) ids.push_back(rows[i].id);
    return ids;
}

}  // namespace

Purger::Purger(RetentionRepo& repo, BlobStore& blobs, PurgeOptions options)
    : repo_(repo), blobs_(blobs), options_(options) {}

Result<PurgeResult> Purger::Run() {
    done_ = PurgeResult{};
    if (options_.quarantine_days < 1) {
        return Fail(ErrorCode::kInvalidArgument, "retention.quarantine_days must be at least 1");
    }
    // As the old system: rows must outlive their files, or files would be
    // left that no row points at.
    if (options_.database_days <= options_.quarantine_days) {
        return Fail(ErrorCode::kInvalidArgument,
                    "retention.database_days must be greater than retention.quarantine_days");
    }
    const std::int64_t quarantine_cutoff = options_.now_ms - options_.quarantine_days * kDayMs;
    const std::int64_t database_cutoff = options_.now_ms - options_.database_days * kDayMs;

    // Rows first that go entirely, so their files are not marked purged just
    // before the rows are deleted.
    if (auto r = DeleteOldRows(database_cutoff); !r) return std::unexpected(r.error());
    if (!options_.dry_run) {
        if (auto r = repo_.DeleteRollupsBefore(database_cutoff); !r) {
            return std::unexpected(r.error());
        }
    }
    if (auto r = PurgeFiles(database_cutoff, quarantine_cutoff); !r) {
        return std::unexpected(r.error());
    }
    // Days before the cutoff's day hold only mail older than the cutoff, all
    // deleted by now; the cutoff's own day may still hold newer mail.
    const std::string day = FormatDay(quarantine_cutoff);
    auto pruned = options_.dry_run ? blobs_.CountEmptyDays(day) : blobs_.PruneEmptyDays(day);
    if (!pruned) return std::unexpected(pruned.error());
    done_.days_pruned = *pruned;
    if (!options_.dry_run) {
        auto marks = repo_.DeleteNotifyMarksBefore(options_.now_ms - kNotifyMarkKeepMs);
        if (!marks) return std::unexpected(marks.error());
        done_.notify_marks_deleted = *marks;
    }
    return done_;
}

Result<void> Purger::DeleteOldRows(std::int64_t cutoff_ms) {
    std::int64_t after = 0;
    for (;;) {
        auto rows = repo_.ListReceivedBefore(cutoff_ms, after, kBatch);
        if (!rows) return std::unexpected(rows.error());
        if (rows->empty()) return {};
        for (const RetentionRow& row : *rows) {
            if (!row.HasFile()) continue;
            // An error leaves this batch's rows in place: the next run finds
            // the files deleted so far missing and deletes the rows then.
            if (auto r = RemoveFile(row); !r) return r;
        }
        if (options_.dry_run) {
            done_.rows_deleted += rows->size();
        } else {
            auto n = repo_.Delete(IdsOf(*rows, rows->size()));
            if (!n) return std::unexpected(n.error());
            done_.rows_deleted += *n;
        }
        if (rows->size() < kBatch) return {};
        after = rows->back().id;
    }
}

Result<void> Purger::PurgeFiles(std::int64_t from_ms, std::int64_t cutoff_ms) {
    std::int64_t after = 0;
    for (;;) {
        auto rows = repo_.ListWithFiles(from_ms, cutoff_ms, after, kBatch);
        if (!rows) return std::unexpected(rows.error());
        if (rows->empty()) return {};
        std::size_t removed = 0;  // rows whose file is gone now (deleted or missing)
        Result<void> outcome;
        for (const RetentionRow& row : *rows) {
            outcome = RemoveFile(row);
            if (!outcome) break;
            ++removed;
        }
        if (options_.dry_run) {
            done_.rows_marked_purged += removed;
        } else if (removed > 0) {
            // Also when the batch stopped at an error: the files removed so
            // far are gone, so their rows say so before the run ends.
            auto n = repo_.MarkPurged(IdsOf(*rows, removed));
            if (!n && outcome) return std::unexpected(n.error());
            if (!n) {
                spdlog::error("purge: cannot mark {} mails purged: {} ({})", removed,
                              n.error().public_msg, n.error().detail);
            } else {
                done_.rows_marked_purged += *n;
            }
        }
        if (!outcome) return outcome;
        if (rows->size() < kBatch) return {};
        after = rows->back().id;
    }
}

Result<void> Purger::RemoveFile(const RetentionRow& row) {
    if (row.quarantine_path.empty()) {
        // Stored without a path: there is no file to delete.
        ++done_.files_missing;
        return {};
    }
    auto removal = options_.dry_run ? blobs_.CheckRemove(row.quarantine_path)
                                    : blobs_.Remove(row.quarantine_path);
    if (!removal) {
        Error e = removal.error();
        e.detail = fmt::format("mail id={} path={}: {}", row.id, row.quarantine_path, e.detail);
        return std::unexpected(std::move(e));
    }
    if (removal->kind == BlobRemoval::Kind::kMissing) {
        ++done_.files_missing;
        spdlog::debug("purge: mail id={} path={}: file already gone", row.id, row.quarantine_path);
    } else {
        ++done_.files_deleted;
        done_.bytes_freed += removal->bytes;
        spdlog::debug("purge: mail id={} path={}: {}{}", row.id, row.quarantine_path,
                      options_.dry_run ? "would delete " : "deleted ",
                      removal->kind == BlobRemoval::Kind::kSymlink ? "a symlink" : "the file");
    }
    return {};
}

}  // namespace rqwatch::app
