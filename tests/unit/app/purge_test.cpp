#include "app/purge.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/mail_filter.hpp"

namespace rqwatch::app {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr std::int64_t kDay = 86'400'000;
constexpr std::int64_t kNow = 1'795'132'800'000 + 12 * 3'600'000;  // 2026-11-20 12:00 UTC

std::string Join(const std::vector<std::int64_t>& ids) {
    std::string out;
    for (auto id : ids) out += (out.empty() ? "" : ",") + std::to_string(id);
    return out;
}

// ---------------------------------------------------------------- fakes

// The mails table in memory; every change goes to the shared log.
class FakeRetentionRepo final : public RetentionRepo {
  public:
    explicit FakeRetentionRepo(std::vector<std::string>& log) : log_(log) {}

    std::int64_t Add(std::int64_t received_at, bool stored, std::string path = "",
                     bool purged = false) {
        const std::int64_t id = next_id_++;
        rows[id] = RetentionRow{id, received_at, stored, purged, std::move(path)};
        return id;
    }

    Result<std::vector<RetentionRow>> ListReceivedBefore(std::int64_t before_ms,
                                                         std::int64_t after_id,
                                                         std::size_t limit) override {
        EXPECT_LE(limit, kMaxBatch);
        std::vector<RetentionRow> out;
        for (const auto& [id, r] : rows) {
            if (id > after_id && r.received_at < before_ms && out.size() < limit) out.push_back(r);
        }
        return out;
    }
    Result<std::vector<RetentionRow>> ListWithFiles(std::int64_t from_ms, std::int64_t before_ms,
                                                    std::int64_t after_id,
                                                    std::size_t limit) override {
        EXPECT_LE(limit, kMaxBatch);
        std::vector<RetentionRow> out;
        for (const auto& [id, r] : rows) {
            if (id > after_id && r.HasFile() && r.received_at >= from_ms &&
                r.received_at < before_ms && out.size() < limit) {
                out.push_back(r);
            }
        }
        return out;
    }
    Result<std::size_t> MarkPurged(const std::vector<std::int64_t>& ids) override {
        EXPECT_LE(ids.size(), kMaxBatch);
        log_.push_back("mark " + Join(ids));
        batch_sizes.push_back(ids.size());
        if (fail_mark) return Fail(ErrorCode::kUnavailable, "database unavailable", "injected");
        std::size_t n = 0;
        for (auto id : ids) {
            if (auto it = rows.find(id); it != rows.end() && !it->second.purged) {
                it->second.purged = true;
                ++n;
            }
        }
        return n;
    }
    Result<std::size_t> DeleteRollupsBefore(std::int64_t cutoff_ms) override {
        rollup_cutoffs.push_back(cutoff_ms);
        return 0;
    }
    Result<std::size_t> DeleteNotifyMarksBefore(std::int64_t cutoff_ms) override {
        notify_cutoffs.push_back(cutoff_ms);
        return 3;
    }
    Result<std::size_t> Delete(const std::vector<std::int64_t>& ids) override {
        EXPECT_LE(ids.size(), kMaxBatch);
        log_.push_back("delete " + Join(ids));
        batch_sizes.push_back(ids.size());
        std::size_t n = 0;
        for (auto id : ids) n += rows.erase(id);
        return n;
    }

    std::map<std::int64_t, RetentionRow> rows;
    std::vector<std::size_t> batch_sizes;
    std::vector<std::int64_t> rollup_cutoffs;  // DeleteRollupsBefore calls
    std::vector<std::int64_t> notify_cutoffs;  // DeleteNotifyMarksBefore calls
    bool fail_mark = false;

  private:
    std::vector<std::string>& log_;
    std::int64_t next_id_ = 1;
};

// Quarantine files in memory: path -> size; paths in `symlinks` are links,
// paths in `unsafe` fail the safe delete (a fifo, a directory…).
class FakeBlobs final : public BlobStore {
  public:
    explicit FakeBlobs(std::vector<std::string>& log) : log_(log) {}

    std::string RelativePath(const std::string& id, std::int64_t) const override { return id; }
    std::string AbsolutePath(const std::string& relative) const override {
        return "/q/" + relative;
    }
    Result<void> Put(const std::string& relative, std::string_view bytes) override {
        files[relative] = bytes.size();
        return {};
    }
    Result<void> Sync() override { return {}; }

    Result<BlobRemoval> Remove(const std::string& relative) override {
        log_.push_back("remove " + relative);
        auto r = Look(relative);
        if (r) files.erase(relative);
        return r;
    }
    Result<BlobRemoval> CheckRemove(const std::string& relative) const override {
        log_.push_back("check " + relative);
        return Look(relative);
    }
    Result<std::string> Read(const std::string&, std::uint64_t) const override {
        return Fail(ErrorCode::kInternal, "not used");
    }
    Result<std::size_t> PruneEmptyDays(std::string_view before_day) override {
        log_.push_back("prune " + std::string(before_day));
        return empty_days;
    }
    Result<std::size_t> CountEmptyDays(std::string_view before_day) const override {
        log_.push_back("count " + std::string(before_day));
        return empty_days;
    }

    std::map<std::string, std::uint64_t> files;
    std::set<std::string> symlinks;
    std::set<std::string> unsafe;
    std::size_t empty_days = 0;

  private:
    Result<BlobRemoval> Look(const std::string& relative) const {
        if (unsafe.contains(relative)) {
            return Fail(ErrorCode::kInternal, "refusing to delete a fifo in the quarantine",
                        "/q/" + relative + " is a fifo");
        }
        if (symlinks.contains(relative)) return BlobRemoval{BlobRemoval::Kind::kSymlink, 0};
        auto it = files.find(relative);
        if (it == files.end()) return BlobRemoval{BlobRemoval::Kind::kMissing, 0};
        return BlobRemoval{BlobRemoval::Kind::kFile, it->second};
    }

    std::vector<std::string>& log_;
};

// ---------------------------------------------------------------- fixture

class PurgeTest : public ::testing::Test {
  protected:
    // A mail `days` days old with a file of `size` bytes at `path`.
    std::int64_t Stored(double days, const std::string& path, std::uint64_t size = 100) {
        blobs_.files[path] = size;
        return repo_.Add(kNow - static_cast<std::int64_t>(days * kDay), true, path);
    }
    std::int64_t NotStored(double days) {
        return repo_.Add(kNow - static_cast<std::int64_t>(days * kDay), false);
    }

    Result<PurgeResult> Run(bool dry_run = false, int quarantine_days = 180,
                            int database_days = 366) {
        Purger purger(repo_, blobs_, PurgeOptions{quarantine_days, database_days, dry_run, kNow});
        auto r = purger.Run();
        progress_ = purger.Progress();
        return r;
    }

    // The day before which empty day directories go: that of now - 180 days.
    static std::string CutoffDay() { return FormatDay(kNow - 180 * kDay); }

    std::vector<std::string> log_;
    FakeRetentionRepo repo_{log_};
    FakeBlobs blobs_{log_};
    PurgeResult progress_;
};

// ---------------------------------------------------------------- tests

TEST_F(PurgeTest, OrderOfOperations) {
    const auto old_stored = Stored(400, "old/a.eml", 1000);
    const auto old_plain = NotStored(367);
    const auto old_purged = repo_.Add(kNow - 500 * kDay, true, "older/p.eml", /*purged=*/true);
    const auto mid = Stored(181, "mid/b.eml", 2000);
    const auto mid_gone = repo_.Add(kNow - 200 * kDay, true, "mid/gone.eml");  // no file
    const auto mid_link = Stored(365, "mid/link.eml", 0);
    blobs_.symlinks.insert("mid/link.eml");
    const auto mid_purged = repo_.Add(kNow - 300 * kDay, true, "mid/p.eml", /*purged=*/true);
    const auto mid_plain = NotStored(250);
    const auto fresh = Stored(179.9, "new/c.eml", 50);
    blobs_.empty_days = 2;

    auto r = Run();
    ASSERT_TRUE(r.has_value()) << r.error().public_msg;
    // Old rows: their remaining file first, then the rows; then the files
    // of the quarantine period, then their rows; the directories last.
    EXPECT_THAT(
        log_, ElementsAre("remove old/a.eml", "delete " + Join({old_stored, old_plain, old_purged}),
                          "remove mid/b.eml", "remove mid/gone.eml", "remove mid/link.eml",
                          "mark " + Join({mid, mid_gone, mid_link}), "prune " + CutoffDay()));
    EXPECT_EQ(r->files_deleted, 3u);  // a.eml, b.eml and the link
    EXPECT_EQ(r->bytes_freed, 3000u);
    EXPECT_EQ(r->files_missing, 1u);
    EXPECT_EQ(r->rows_marked_purged, 3u);
    EXPECT_EQ(r->rows_deleted, 3u);
    EXPECT_EQ(r->days_pruned, 2u);
    // The daily report roll-ups go with the rows of their days.
    ASSERT_EQ(repo_.rollup_cutoffs.size(), 1u);
    // Digest times older than the longest schedule are forgotten.
    EXPECT_THAT(repo_.notify_cutoffs, ElementsAre(kNow - kNotifyMarkKeepMs));
    EXPECT_EQ(r->notify_marks_deleted, 3u);

    // Rows of the quarantine period stay, marked purged; newer ones are untouched.
    EXPECT_EQ(repo_.rows.size(), 6u);
    for (auto id : {mid, mid_gone, mid_link, mid_purged}) EXPECT_TRUE(repo_.rows[id].purged) << id;
    EXPECT_FALSE(repo_.rows[mid_plain].purged);
    EXPECT_FALSE(repo_.rows[fresh].purged);
    EXPECT_THAT(blobs_.files,
                ElementsAre(std::pair<const std::string, std::uint64_t>("new/c.eml", 50)));

    // A second run has nothing left to do.
    log_.clear();
    blobs_.empty_days = 0;
    r = Run();
    ASSERT_TRUE(r.has_value());
    EXPECT_THAT(log_, ElementsAre("prune " + CutoffDay()));
    EXPECT_EQ(r->files_deleted + r->rows_marked_purged + r->rows_deleted + r->days_pruned, 0u);
}

TEST_F(PurgeTest, DryRunCountsTheSameAndChangesNothing) {
    Stored(400, "old/a.eml", 1000);
    NotStored(367);
    Stored(181, "mid/b.eml", 2000);
    repo_.Add(kNow - 200 * kDay, true, "mid/gone.eml");
    Stored(10, "new/c.eml", 50);
    blobs_.empty_days = 1;
    const auto rows_before = repo_.rows.size();
    const auto files_before = blobs_.files;

    auto dry = Run(/*dry_run=*/true);
    ASSERT_TRUE(dry.has_value()) << dry.error().public_msg;
    EXPECT_THAT(log_, ElementsAre("check old/a.eml", "check mid/b.eml", "check mid/gone.eml",
                                  "count " + CutoffDay()));
    EXPECT_EQ(repo_.rows.size(), rows_before);
    EXPECT_TRUE(repo_.rollup_cutoffs.empty());  // the roll-ups are kept too
    EXPECT_TRUE(repo_.notify_cutoffs.empty());  // and the digest times
    for (const auto& [id, row] : repo_.rows) EXPECT_FALSE(row.purged) << id;
    EXPECT_EQ(blobs_.files, files_before);

    auto real = Run();
    ASSERT_TRUE(real.has_value());
    EXPECT_EQ(dry->files_deleted, real->files_deleted);
    EXPECT_EQ(dry->bytes_freed, real->bytes_freed);
    EXPECT_EQ(dry->rows_marked_purged, real->rows_marked_purged);
    EXPECT_EQ(dry->files_missing, real->files_missing);
    EXPECT_EQ(dry->rows_deleted, real->rows_deleted);
    EXPECT_EQ(dry->days_pruned, real->days_pruned);
    EXPECT_EQ(real->files_deleted, 2u);
    EXPECT_EQ(real->bytes_freed, 3000u);
    EXPECT_EQ(real->rows_marked_purged, 2u);
    EXPECT_EQ(real->files_missing, 1u);
    EXPECT_EQ(real->rows_deleted, 2u);
}

TEST_F(PurgeTest, SafeDeleteErrorAbortsTheRun) {
    const auto first = Stored(200, "mid/a.eml", 10);
    const auto bad = Stored(201, "mid/fifo.eml");
    const auto after = Stored(202, "mid/c.eml");
    blobs_.unsafe.insert("mid/fifo.eml");

    auto r = Run();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInternal);
    EXPECT_EQ(r.error().public_msg, "refusing to delete a fifo in the quarantine");
    EXPECT_THAT(r.error().detail, ::testing::HasSubstr("mail id=" + std::to_string(bad)));
    // The file deleted before the error is recorded; nothing after it is
    // touched, and no directory is pruned.
    EXPECT_THAT(log_, ElementsAre("remove mid/a.eml", "remove mid/fifo.eml",
                                  "mark " + std::to_string(first)));
    EXPECT_TRUE(repo_.rows[first].purged);
    EXPECT_FALSE(repo_.rows[bad].purged);
    EXPECT_FALSE(repo_.rows[after].purged);
    EXPECT_TRUE(blobs_.files.contains("mid/c.eml"));
    EXPECT_EQ(progress_.files_deleted, 1u);
    EXPECT_EQ(progress_.rows_marked_purged, 1u);
}

TEST_F(PurgeTest, SafeDeleteErrorOnAnOldRowDeletesNoRows) {
    Stored(400, "old/a.eml");
    Stored(401, "old/dir.eml");
    NotStored(402);
    Stored(200, "mid/b.eml");
    blobs_.unsafe.insert("old/dir.eml");

    auto r = Run();
    ASSERT_FALSE(r.has_value());
    EXPECT_THAT(log_, ElementsAre("remove old/a.eml", "remove old/dir.eml"));
    EXPECT_EQ(repo_.rows.size(), 4u);
    EXPECT_TRUE(blobs_.files.contains("mid/b.eml"));
}

TEST_F(PurgeTest, DryRunStopsAtTheSameError) {
    Stored(200, "mid/a.eml");
    Stored(201, "mid/fifo.eml");
    blobs_.unsafe.insert("mid/fifo.eml");
    auto r = Run(/*dry_run=*/true);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().public_msg, "refusing to delete a fifo in the quarantine");
    EXPECT_THAT(log_, ElementsAre("check mid/a.eml", "check mid/fifo.eml"));
}

TEST_F(PurgeTest, MarkFailureStopsTheRun) {
    Stored(200, "mid/a.eml");
    repo_.fail_mark = true;
    auto r = Run();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
    // The next run finds the file missing and marks the row then.
    repo_.fail_mark = false;
    log_.clear();
    r = Run();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->files_missing, 1u);
    EXPECT_EQ(r->rows_marked_purged, 1u);
}

TEST_F(PurgeTest, StoredRowWithoutPathIsMarkedWithoutTouchingFiles) {
    const auto id = repo_.Add(kNow - 200 * kDay, true, "");
    auto r = Run();
    ASSERT_TRUE(r.has_value());
    EXPECT_THAT(log_, ElementsAre("mark " + std::to_string(id), "prune " + CutoffDay()));
    EXPECT_EQ(r->files_missing, 1u);
}

TEST_F(PurgeTest, WorksInBatchesOfAtMostAThousand) {
    for (int i = 0; i < 2500; ++i) Stored(200, "mid/" + std::to_string(i) + ".eml");
    for (int i = 0; i < 1200; ++i) NotStored(400);
    auto r = Run();
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->files_deleted, 2500u);
    EXPECT_EQ(r->rows_marked_purged, 2500u);
    EXPECT_EQ(r->rows_deleted, 1200u);
    EXPECT_THAT(repo_.batch_sizes, ElementsAre(1000u, 200u, 1000u, 1000u, 500u));
    EXPECT_THAT(blobs_.files, IsEmpty());
}

TEST_F(PurgeTest, DatabaseDaysMustExceedQuarantineDays) {
    Stored(400, "old/a.eml");
    for (auto [q, d] : {std::pair{180, 180}, std::pair{180, 90}, std::pair{0, 366}}) {
        auto r = Run(false, q, d);
        ASSERT_FALSE(r.has_value()) << q << " " << d;
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    }
    EXPECT_THAT(log_, IsEmpty());
    EXPECT_EQ(repo_.rows.size(), 1u);
}

}  // namespace
}  // namespace rqwatch::app
