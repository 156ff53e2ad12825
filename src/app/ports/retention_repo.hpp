#pragma once
// Port: what retention (`rqwatch purge`) reads and changes in the mails
// table. Implemented in storage/. Lists are keyset pages by id: pass the last
// id of the previous page as `after_id` (0 for the first).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace rqwatch::app {

// The part of a mail row retention needs.
struct RetentionRow {
    std::int64_t id = 0;
    std::int64_t received_at = 0;  // unix ms
    bool stored = false;           // the raw mail was kept in the quarantine
    bool purged = false;           // ... and has since been deleted by retention
    std::string quarantine_path;   // relative to the quarantine root

    // The row still points at a quarantined file.
    [[nodiscard]] bool HasFile() const { return stored && !purged; }
};

class RetentionRepo {
  public:
    // Most ids a call takes or returns: one statement and one transaction.
    static constexpr std::size_t kMaxBatch = 1000;

    virtual ~RetentionRepo() = default;

    // Mails received before `before_ms`, with id > after_id, by id, at most
    // `limit` (1..kMaxBatch).
    [[nodiscard]] virtual Result<std::vector<RetentionRow>> ListReceivedBefore(
        std::int64_t before_ms, std::int64_t after_id, std::size_t limit) = 0;
    // Mails received in [from_ms, before_ms) that still have a quarantined
    // file (stored and not purged), with id > after_id, by id, at most `limit`.
    [[nodiscard]] virtual Result<std::vector<RetentionRow>> ListWithFiles(std::int64_t from_ms,
                                                                          std::int64_t before_ms,
                                                                          std::int64_t after_id,
                                                                          std::size_t limit) = 0;
    // Sets purged on these mails (one transaction); returns how many changed.
    [[nodiscard]] virtual Result<std::size_t> MarkPurged(const std::vector<std::int64_t>& ids) = 0;
    // Deletes these mails with their recipient and symbol rows (one
    // transaction); returns how many mails were deleted.
    [[nodiscard]] virtual Result<std::size_t> Delete(const std::vector<std::int64_t>& ids) = 0;
    // Deletes the daily report roll-ups of the whole days before the day of
    // `cutoff_ms` (their mails are gone); returns how many roll-up rows.
    [[nodiscard]] virtual Result<std::size_t> DeleteRollupsBefore(std::int64_t cutoff_ms) = 0;
    // Forgets when addresses were last sent a digest, for digests sent
    // before `cutoff_ms` (notify_recipients); returns how many addresses.
    [[nodiscard]] virtual Result<std::size_t> DeleteNotifyMarksBefore(std::int64_t cutoff_ms) = 0;
};

}  // namespace rqwatch::app
