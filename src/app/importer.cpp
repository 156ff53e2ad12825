#include "app/importer.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>

#include "rspamd/ingest_metadata.hpp"
#include "util/fs.hpp"

namespace rqwatch::app {
namespace {

using nlohmann::json;

struct Work {
    std::string id;
    MailRecord record;
    std::optional<std::string> move_from;  // spool path of a mail to adopt into the quarantine
};

MailRecord RecordFromMetadata(const SpoolMetadata& sm, const rspamd::IngestMetadata& m,
                              const std::string& id, MailParser& parser) {
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
    for (const auto& to : m.header_to) r.mime_to.push_back(MailAddress{"", parser.DecodeHeader(to)});
    return r;
}

}  // namespace

std::string EncodeSpoolMetadata(const SpoolMetadata& m) {
    json j = {{"v", 1},
              {"server", m.server},
              {"received_at", m.received_at},
              {"has_message", m.has_message},
              {"shape", m.shape},
              {"rspamd", json::parse(m.rspamd_json, nullptr, false)}};
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<SpoolMetadata> DecodeSpoolMetadata(std::string_view text) {
    json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (!j.is_object() || j.value("v", 0) != 1 || !j.contains("rspamd")) {
        return Fail(ErrorCode::kInvalidArgument, "unreadable spool metadata");
    }
    SpoolMetadata m;
    m.server = j.value("server", "");
    m.received_at = j.value("received_at", std::int64_t{0});
    m.has_message = j.value("has_message", false);
    m.shape = j.value("shape", "");
    m.rspamd_json = j["rspamd"].dump();
    return m;
}

Importer::Importer(Spool& spool, MailRepo& repo, BlobStore& blobs, MailParser& parser,
                   StorePolicy policy, ImporterOptions options)
    : spool_(spool), repo_(repo), blobs_(blobs), parser_(parser), policy_(std::move(policy)),
      options_(options) {}

Importer::~Importer() { Stop(); }

void Importer::Start() { thread_ = std::thread([this] { Loop(); }); }

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
    return ImporterStats{imported_.load(), failures_.load(), set_aside_.load()};
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
            spdlog::error("importer: batch failed, retrying in {} ms: {} ({})", options_.retry_interval_ms,
                          n.error().public_msg, n.error().detail);
            wait_ms = options_.retry_interval_ms;
        } else if (*n >= options_.batch_size) {
            continue;  // more work is likely waiting
        }
        std::unique_lock lock(mu_);
        if (!n) {
            cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return stopping_; });
        } else {
            cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return stopping_ || woken_; });
        }
        woken_ = false;
    }
}

Result<std::size_t> Importer::RunOnce() {
    const auto ids = spool_.ListReady(options_.batch_size);
    if (ids.empty()) return 0;
    std::vector<Work> work;
    work.reserve(ids.size());
    for (const auto& id : ids) {
        auto entry = spool_.Load(id);
        if (!entry) {
            if (entry.error().Temporary()) return std::unexpected(entry.error());
            set_aside_++;
            spool_.SetAside(id, entry.error().detail);
            continue;
        }
        auto sm = DecodeSpoolMetadata(entry->metadata_json);
        auto meta = sm ? rspamd::MetadataFromJson(sm->rspamd_json)
                       : Result<rspamd::IngestMetadata>(std::unexpected(sm.error()));
        if (!meta) {
            set_aside_++;
            spool_.SetAside(id, "metadata: " + meta.error().public_msg);
            continue;
        }
        Work w{id, RecordFromMetadata(*sm, *meta, id, parser_), std::nullopt};
        MailRecord& r = w.record;
        const auto decision = DecideStore(policy_, r.action, r.symbols);
        r.has_virus = decision.has_virus;
        r.virus = decision.virus;
        const std::string rel = blobs_.RelativePath(id, r.received_at);
        std::optional<std::string> raw_path = entry->message_path;
        if (!raw_path && sm->has_message) {
            // An interrupted earlier attempt already moved it into the quarantine.
            const std::string q = blobs_.AbsolutePath(rel);
            if (::access(q.c_str(), F_OK) == 0) raw_path = q;
        }
        if (raw_path) {
            auto raw = util::ReadFile(*raw_path);
            if (!raw) return std::unexpected(raw.error());
            r.size = raw->size();
            parser_.Fill(*raw, r);
            r.stored = decision.store;
            if (r.stored) {
                r.quarantine_path = rel;
                if (entry->message_path) w.move_from = entry->message_path;
            }
        } else if (sm->has_message) {
            // Rows were committed and the message removed just before a crash:
            // the insert below is skipped as a replay.
            spdlog::warn("importer: spool entry {} lost its message file; keeping metadata only", id);
        }
        work.push_back(std::move(w));
    }
    for (auto& w : work) {
        if (!w.move_from) continue;
        if (auto r = blobs_.Adopt(*w.move_from, w.record.quarantine_path); !r) return std::unexpected(r.error());
    }
    // Quarantine files must be durable before a row says they are stored.
    if (auto r = blobs_.Sync(); !r) return std::unexpected(r.error());
    std::vector<MailRecord> records;
    records.reserve(work.size());
    for (auto& w : work) records.push_back(std::move(w.record));
    if (!records.empty()) {
        if (auto r = repo_.InsertBatch(records); !r) return std::unexpected(r.error());
    }
    for (std::size_t i = 0; i < work.size(); ++i) {
        if (auto r = spool_.Remove(work[i].id); !r) {
            spdlog::error("importer: cannot remove spool entry {}: {}", work[i].id, r.error().detail);
        }
        spdlog::debug("imported id={} spool_id={} qid={} action={} stored={}", records[i].id,
                      records[i].spool_id, records[i].qid, records[i].action, records[i].stored);
    }
    imported_ += work.size();
    return work.size();
}

}  // namespace rqwatch::app
