// rqwatch purge [--dry-run]: retention, meant for a daily cron job. Deletes
// the quarantined mails older than retention.quarantine_days (their rows stay,
// marked purged), the rows older than retention.database_days, and the empty
// day directories; prints one summary line.

#include "app/purge.hpp"

#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "quarantine/fs_blob_store.hpp"
#include "storage/sql_retention_repo.hpp"
#include "util/ids.hpp"

namespace rqwatch::cli {
namespace {

std::string HumanBytes(std::uint64_t bytes) {
    if (bytes < 1024) return fmt::format("{} bytes", bytes);
    constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes) / 1024;
    std::size_t unit = 0;
    while (value >= 1024 && unit + 1 < std::size(kUnits)) {
        value /= 1024;
        ++unit;
    }
    return fmt::format("{:.1f} {}", value, kUnits[unit]);
}

std::string Count(std::uint64_t n, const char* one, const char* many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
}

std::string Summary(const app::PurgeResult& r, bool dry_run) {
    const std::string files = Count(r.files_deleted, "file", "files");
    const std::string bytes = HumanBytes(r.bytes_freed);
    const std::string marked = Count(r.rows_marked_purged, "row", "rows");
    const std::string missing = Count(r.files_missing, "file", "files");
    const std::string deleted = Count(r.rows_deleted, "row", "rows");
    const std::string days = Count(r.days_pruned, "empty day directory", "empty day directories");
    if (dry_run) {
        return fmt::format(
            "purge (dry run): would delete {} ({}), mark {} purged ({} already missing), "
            "delete {}, remove {}",
            files, bytes, marked, missing, deleted, days);
    }
    return fmt::format(
        "purge: {} deleted ({}), {} marked purged, {} already missing, {} deleted, {} removed, "
        "{}",
        files, bytes, marked, missing, deleted, days,
        Count(r.notify_marks_deleted, "old digest time forgotten", "old digest times forgotten"));
}

}  // namespace

int RunPurge(const std::string& config_path, const PurgeArgs& args) {
    auto cfg = LoadOrReport(config_path);
    if (!cfg) return 1;
    auto db = OpenDatabaseOrReport(*cfg, /*migrate=*/true);
    if (!db) return 1;
    auto blobs = quarantine::FsBlobStore::Open(cfg->quarantine.dir, cfg->spool.fsync);
    if (!blobs) {
        PrintError("cannot open quarantine " + cfg->quarantine.dir, blobs.error());
        return 1;
    }
    storage::SqlRetentionRepo repo(db);
    app::Purger purger(
        repo, **blobs,
        app::PurgeOptions{.quarantine_days = static_cast<int>(cfg->retention.quarantine_days),
                          .database_days = static_cast<int>(cfg->retention.database_days),
                          .dry_run = args.dry_run,
                          .now_ms = util::NowUnixMs()});
    auto result = purger.Run();
    if (!result) {
        // What was done before the error is real: say so, then why it stopped.
        std::cout << Summary(purger.Progress(), args.dry_run) << "\n";
        PrintError("purge stopped, nothing further deleted", result.error());
        return 1;
    }
    std::cout << Summary(*result, args.dry_run) << "\n";
    return 0;
}

}  // namespace rqwatch::cli
