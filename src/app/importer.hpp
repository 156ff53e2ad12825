#pragma once
// Use case: import acknowledged mails from the spool into SQL and the quarantine.
//
// Per batch: load entries, parse each raw mail, apply the store policy, move
// kept mails into the quarantine and sync it, insert all rows in one
// transaction, then remove the spool entries. Every step is repeatable, so a
// crash or a database outage anywhere only delays the import; ids make the
// replay idempotent.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "app/ports/blob_store.hpp"
#include "app/ports/geo_ip.hpp"
#include "app/ports/mail_parser.hpp"
#include "app/ports/mail_repo.hpp"
#include "app/ports/spool.hpp"
#include "core/store_policy.hpp"

namespace rqwatch::app {

struct ImporterOptions {
    std::size_t batch_size = 200;
    std::int64_t poll_interval_ms = 100;
    std::int64_t batch_window_ms = 50;
    std::int64_t retry_interval_ms = 5000;
};

struct ImporterStats {
    std::uint64_t imported_total = 0;
    std::uint64_t failures_total = 0;  // failed batches (retried) and entries set aside
    std::uint64_t set_aside_total = 0;
    // Set while the last batch failed (database down, disk full): the spool
    // keeps the mail, but an administrator must know it is not being imported.
    std::optional<std::string> last_error;
};

class Importer {
  public:
    Importer(Spool& spool, MailRepo& repo, BlobStore& blobs, MailParser& parser, StorePolicy policy,
             ImporterOptions options);
    ~Importer();

    // Fills MailRecord::country from the sender IP; call before Start().
    void SetGeoIp(const GeoIp* geo) { geo_ = geo; }

    void Start();  // background thread
    void Stop();   // finishes the current batch
    void Wake();   // new entries were committed

    // Imports one batch; returns how many entries were imported, or the error
    // that stopped the batch (nothing was lost: it will be retried).
    [[nodiscard]] Result<std::size_t> RunOnce();

    [[nodiscard]] ImporterStats Stats() const;

  private:
    void Loop();
    [[nodiscard]] Result<std::size_t> ImportBatch();

    Spool& spool_;
    MailRepo& repo_;
    BlobStore& blobs_;
    MailParser& parser_;
    StorePolicy policy_;
    ImporterOptions options_;

    const GeoIp* geo_ = nullptr;

    std::atomic<std::uint64_t> imported_{0};
    std::atomic<std::uint64_t> failures_{0};
    std::atomic<std::uint64_t> set_aside_{0};
    mutable std::mutex error_mu_;
    std::optional<std::string> last_error_;
    std::mutex mu_;
    std::condition_variable cv_;
    bool woken_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace rqwatch::app
