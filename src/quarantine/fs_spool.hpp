#pragma once
// Log-structured spool (see docs/adr/0001-spool-before-sql.md):
//   segments/<seq>.log   records appended by one committer thread
//   checkpoint           "<seq> <offset>": where the importer is (a hint; replays are idempotent)
//   bad/                 entries that can never be imported, as <id>.json + <id>.eml
// A record is header | id | metadata JSON | message | footer. A batch of
// records is written with one writev per record and made durable with ONE
// fdatasync; only then are its requests acknowledged. No file is created,
// renamed or deleted per mail, so ingest cost does not grow with the file
// system's inode churn, and no syncfs() ties our latency to other writers.
//
// Committed records also stay in memory (up to SpoolOptions::handoff_bytes)
// until the importer takes them, so that in the steady state the importer
// neither reads them back nor decodes their JSON. Memory is only a cache of
// the log: whatever is not there (after a restart, while the importer lags,
// after a failed batch) is read from the segments.

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "app/ports/spool.hpp"
#include "util/fs.hpp"

namespace rqwatch::quarantine {

struct SpoolOptions {
    std::string dir;
    bool fsync = true;
    std::uint64_t min_free_bytes = 100ull << 20;
    std::uint64_t segment_bytes = 64ull << 20;  // rotate to a new segment beyond this
    std::uint64_t handoff_bytes = 16ull << 20;  // committed records kept in memory for the importer
};

class FsSpool final : public app::Spool {
  public:
    // Creates the directories, truncates a torn tail left by a crash, counts pending entries.
    [[nodiscard]] static Result<std::unique_ptr<FsSpool>> Open(const SpoolOptions& options);
    ~FsSpool() override;

    Result<app::SpoolDraft> Begin() override;
    void Commit(app::SpoolDraft draft, std::string metadata_json,
                std::optional<std::string> message,
                std::shared_ptr<const app::IngestEnvelope> decoded,
                std::function<void(Result<void>)> done) override;

    Result<std::vector<app::SpoolEntry>> Next(std::size_t max) override;
    Result<void> MarkImported(const app::SpoolPosition& last, std::size_t count) override;
    void SetAside(const app::SpoolEntry& entry, const std::string& reason) override;
    std::size_t Pending() const override { return pending_.load(); }
    void OnCommitted(std::function<void()> callback) override;

    // Finishes queued commits, then stops the committer thread.
    void Stop();

  private:
    struct PendingCommit {
        app::SpoolDraft draft;
        std::string metadata_json;
        std::optional<std::string> message;
        std::shared_ptr<const app::IngestEnvelope> decoded;
        std::function<void(Result<void>)> done;
    };
    // A committed record waiting in memory; `prev` is where the record before
    // it ends, i.e. the importer's cursor when this one is next.
    struct ReadyEntry {
        app::SpoolEntry entry;
        app::SpoolPosition prev;
        std::uint64_t bytes = 0;
    };

    explicit FsSpool(SpoolOptions options);
    void CommitterLoop();
    void CommitBatch(std::vector<PendingCommit>& batch);
    Result<void> Rotate();
    Result<void> CheckFreeSpace();
    // Takes entries that follow `cursor` from memory; returns where reading
    // from disk must stop (the next in-memory entry, or the committed end).
    // With `adjacent`, the first entry in memory is taken even if it does not
    // follow the cursor (the caller found nothing readable in between).
    app::SpoolPosition TakeReady(app::SpoolPosition& cursor, std::size_t max, bool adjacent,
                                 std::vector<app::SpoolEntry>& out);
    [[nodiscard]] std::string SegmentPath(std::uint64_t seq) const;

    SpoolOptions options_;
    std::atomic<std::size_t> pending_{0};
    std::atomic<std::int64_t> free_checked_at_ms_{0};
    std::atomic<bool> disk_full_{false};

    // Writer state: only the committer thread writes; readers take mu_.
    util::UniqueFd segments_dir_fd_;
    util::UniqueFd active_fd_;
    std::uint64_t active_seq_ = 0;
    std::uint64_t active_size_ = 0;

    // Shared state.
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<PendingCommit> queue_;
    bool stopping_ = false;
    std::function<void()> on_committed_;
    std::uint64_t committed_seq_ = 0;  // segment holding the newest durable record
    std::uint64_t committed_end_ = 0;  // durable bytes in that segment
    std::deque<ReadyEntry> ready_;     // committed, not yet taken by the importer
    std::uint64_t ready_bytes_ = 0;

    // Importer cursor: just past the last imported record.
    std::mutex cursor_mu_;
    std::uint64_t cursor_seq_ = 0;
    std::uint64_t cursor_offset_ = 0;
    util::UniqueFd checkpoint_fd_;

    std::thread committer_;
};

}  // namespace rqwatch::quarantine
