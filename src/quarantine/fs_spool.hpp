#pragma once
// Filesystem spool (after Postfix/OpenSMTPD queues):
//   incoming/<id>.eml.tmp, incoming/<id>.json.tmp   drafts, never acknowledged
//   new/<id>.eml, new/<id>.json                     committed; an entry exists iff its .json does
//   bad/                                            entries that failed to import permanently
// Commit order: syncfs (data of every draft in the batch), rename .eml, rename
// .json, fsync(new/) once for the whole batch, then acknowledge. Group commit
// turns N fsyncs into two.

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
};

class FsSpool final : public app::Spool {
public:
    // Creates the directories, discards drafts and orphans, counts pending entries.
    [[nodiscard]] static Result<std::unique_ptr<FsSpool>> Open(const SpoolOptions& options);
    ~FsSpool() override;

    Result<app::SpoolDraft> Begin() override;
    Result<void> WriteMessage(app::SpoolDraft& draft, std::string_view bytes) override;
    void Abort(const app::SpoolDraft& draft) override;
    void Commit(app::SpoolDraft draft, std::string metadata_json,
                std::function<void(Result<void>)> done) override;

    std::vector<std::string> ListReady(std::size_t max) override;
    Result<app::SpoolEntry> Load(const std::string& id) override;
    Result<void> Remove(const std::string& id) override;
    void SetAside(const std::string& id, const std::string& reason) override;
    std::size_t Pending() const override { return pending_.load(); }
    void OnCommitted(std::function<void()> callback) override;

    // Finishes queued commits, then stops the committer thread.
    void Stop();

private:
    struct PendingCommit {
        app::SpoolDraft draft;
        std::string metadata_json;
        std::function<void(Result<void>)> done;
    };

    explicit FsSpool(SpoolOptions options);
    void CommitterLoop();
    void CommitBatch(std::vector<PendingCommit>& batch);
    Result<void> CheckFreeSpace();
    [[nodiscard]] std::string Incoming(const std::string& name) const;
    [[nodiscard]] std::string New(const std::string& name) const;

    SpoolOptions options_;
    util::UniqueFd dir_fd_;      // any fd on the spool file system, for syncfs
    util::UniqueFd new_dir_fd_;  // fsync'ed after each batch of renames
    std::atomic<std::size_t> pending_{0};
    std::atomic<std::int64_t> free_checked_at_ms_{0};
    std::atomic<bool> disk_full_{false};

    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<PendingCommit> queue_;
    bool stopping_ = false;
    std::function<void()> on_committed_;
    std::thread committer_;
};

}  // namespace rqwatch::quarantine
