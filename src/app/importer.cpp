#include "app/importer.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "app/ingest_envelope.hpp"
#include "util/thread_name.hpp"

namespace rqwatch::app {
namespace {

MailRecord RecordFromEnvelope(const IngestEnvelope& sm, const std::string& id, MailParser& parser) {
    const rspamd::IngestMetadata& m = sm.metadata;
    MailRecord r;
    r.spool_id = id;
    r.received_at = sm.received_at;
    r.server = sm.server;
    r.qid = m.qid;
    r.action = m.action;
    r.score = m.score;
    r.ip = m.ip;
    r.mail_from = m.mail_from;
    r.rcpt_to = m.rcpt;
    r.auth_user = m.auth_user;
    r.rspamd_server = m.rspamd_server;
    r.scan_time_ms = m.scan_time_ms;
    r.symbols = m.symbols;
    r.fuzzy_json = m.fuzzy_json;
    // Without a raw message (formatter "json") the metadata is all we have.
    r.subject = parser.DecodeHeader(m.subject);
    r.message_id = m.message_id;
    if (!m.header_from.empty()) {
        r.mime_from = parser.DecodeHeader(m.header_from.front());
        r.mime_from_addr = NormalizeAddress(r.mime_from);
    }
    for (const auto& to : m.header_to)
        r.mime_to.push_back(MailAddress{"", parser.DecodeHeader(to)});
    return r;
}

}  // namespace

Importer::Importer(Spool& spool, MailRepo& repo, BlobStore& blobs, MailParser& parser,
                   StorePolicy policy, ImporterOptions options)
    : spool_(spool),
      repo_(repo),
      blobs_(blobs),
      parser_(parser),
      policy_(std::move(policy)),
      options_(options) {}

Importer::~Importer() { Stop(); }

void Importer::Start() {
    thread_ = std::thread([this] {
        util::SetThreadName("rqw-importer");
        Loop();
    });
}

void Importer::Stop() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
        cv_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
}

void Importer::Wake() {
    std::lock_guard lock(mu_);
    woken_ = true;
    cv_.notify_one();
}

ImporterStats Importer::Stats() const {
    std::lock_guard lock(error_mu_);
    return ImporterStats{imported_.load(), failures_.load(), set_aside_.load(), last_error_};
}

void Importer::Loop() {
    for (;;) {
        std::int64_t wait_ms = options_.poll_interval_ms;
        {
            std::lock_guard lock(mu_);
            if (stopping_) return;
        }
        auto n = RunOnce();
        if (!n) {
            failures_++;
            spdlog::error("importer: batch failed, retrying in {} ms: {} ({})",
                          options_.retry_interval_ms, n.error().public_msg, n.error().detail);
            wait_ms = options_.retry_interval_ms;
        } else if (*n >= options_.batch_size) {
            continue;  // more work is likely waiting
        }
        std::unique_lock lock(mu_);
        if (!n) {
            cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return stopping_; });
        } else {
            cv_.wait_for(lock, std::chrono::milliseconds(wait_ms),
                         [&] { return stopping_ || woken_; });
            if (woken_ && !stopping_ && options_.batch_window_ms > 0) {
                // Let a batch gather: one transaction and one sync per window
                // instead of per mail when mail trickles in.
                cv_.wait_for(lock, std::chrono::milliseconds(options_.batch_window_ms),
                             [&] { return stopping_; });
            }
        }
        woken_ = false;
    }
}

Result<std::size_t> Importer::RunOnce() {
    auto n = ImportBatch();
    std::lock_guard lock(error_mu_);
    if (n) {
        last_error_.reset();
    } else {
        last_error_ =
            n.error().public_msg + (n.error().detail.empty() ? "" : " (" + n.error().detail + ")");
    }
    return n;
}

Result<std::size_t> Importer::ImportBatch() {
    auto entries = spool_.Next(options_.batch_size);
    if (!entries) return std::unexpected(entries.error());
    if (entries->empty()) return 0;
    std::vector<MailRecord> records;
    records.reserve(entries->size());
    std::vector<std::pair<std::string, const std::string*>> blobs;  // relative path, message
    std::vector<std::pair<const SpoolEntry*, std::string>> bad;     // entry, reason
    for (auto& entry : *entries) {
        // Handed over in memory, the envelope is already decoded; read back
        // from disk (after a restart, or when the importer lags) it is not.
        std::optional<IngestEnvelope> decoded;
        const IngestEnvelope* envelope = entry.decoded.get();
        if (envelope == nullptr) {
            auto d = DecodeIngestEnvelope(entry.metadata_json);
            if (!d) {
                bad.emplace_back(&entry, "metadata: " + d.error().public_msg);
                continue;
            }
            envelope = &decoded.emplace(std::move(*d));
        }
        MailRecord r = RecordFromEnvelope(*envelope, entry.id, parser_);
        if (geo_ != nullptr) r.country = geo_->CountryOf(r.ip);
        const auto decision = DecideStore(policy_, r.action, r.symbols);
        r.has_virus = decision.has_virus;
        r.virus = decision.virus;
        if (entry.message) {
            r.size = entry.message->size();
            parser_.Fill(*entry.message, r);
            r.stored = decision.store;
            if (r.stored) {
                r.quarantine_path = blobs_.RelativePath(entry.id, r.received_at);
                blobs.emplace_back(r.quarantine_path, &*entry.message);
            }
        }
        records.push_back(std::move(r));
    }
    for (const auto& [rel, message] : blobs) {
        if (auto r = blobs_.Put(rel, *message); !r) return std::unexpected(r.error());
    }
    // Quarantine files must be durable before a row says they are stored.
    if (auto r = blobs_.Sync(); !r) return std::unexpected(r.error());
    if (!records.empty()) {
        if (auto r = repo_.InsertBatch(records); !r) return std::unexpected(r.error());
    }
    // Set aside only once the batch is committed: a failed batch is retried
    // whole, and its bad entries must not be written out again each time.
    for (const auto& [entry, reason] : bad) {
        spool_.SetAside(*entry, reason);
        set_aside_++;
        failures_++;
    }
    // Only now may the spool forget these entries.
    if (auto r = spool_.MarkImported(entries->back().position, entries->size()); !r) {
        return std::unexpected(r.error());
    }
    for (const auto& r : records) {
        // One line per mail, as the old Rqwatch wrote to syslog: what an
        // administrator greps for when a user asks about a message.
        spdlog::info(
            "mail id={} qid={} action=\"{}\" score={} from=<{}> rcpts={} stored={}{} server={} "
            "spool_id={}",
            r.id, r.qid.empty() ? "-" : r.qid, r.action, r.score, r.mail_from, r.rcpt_to.size(),
            r.stored ? "yes" : "no", r.has_virus ? " virus=\"" + r.virus + "\"" : std::string(),
            r.server, r.spool_id);
    }
    imported_ += records.size();
    return entries->size();
}

}  // namespace rqwatch::app
