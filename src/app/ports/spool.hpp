#pragma once
// Port: the durable spool between the ingest endpoint and the importer.
//
// Contract: Commit's callback reports success only after the entry (metadata
// and raw message) is on disk; an entry stays until the importer has
// committed its rows and called MarkImported(). After a crash, entries that
// were acknowledged are delivered again (the importer is idempotent), and
// half-written ones are discarded.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace rqwatch::app {

// What the ingest endpoint decoded from a request (app/ingest_envelope.hpp).
// The spool only carries it: it lets the importer skip decoding the JSON of
// an entry it gets straight from memory.
struct IngestEnvelope;

struct SpoolDraft {
    std::string id;  // also the mail's spool_id
    std::int64_t received_at = 0;
};

// Where an entry lives in the spool; opaque to callers.
struct SpoolPosition {
    std::uint64_t segment = 0;
    std::uint64_t end_offset = 0;  // just past the entry
};

struct SpoolEntry {
    std::string id;
    std::string metadata_json;           // as committed
    std::optional<std::string> message;  // nullopt when the entry carries no raw message
    SpoolPosition position;
    // Set when the entry was handed over in memory after its commit; null
    // when it was read back from disk (then decode metadata_json).
    std::shared_ptr<const IngestEnvelope> decoded;
};

class Spool {
  public:
    virtual ~Spool() = default;

    // Reserves an id. kUnavailable when the spool's disk is (nearly) full.
    [[nodiscard]] virtual Result<SpoolDraft> Begin() = 0;
    // Makes the entry durable (group commit with other entries) and then calls
    // `done` on the spool's committer thread. `decoded` (may be null) is the
    // same content as `metadata_json`, already decoded.
    virtual void Commit(SpoolDraft draft, std::string metadata_json,
                        std::optional<std::string> message,
                        std::shared_ptr<const IngestEnvelope> decoded,
                        std::function<void(Result<void>)> done) = 0;

    // Importer side: up to `max` committed entries after the last imported one, oldest first.
    [[nodiscard]] virtual Result<std::vector<SpoolEntry>> Next(std::size_t max) = 0;
    // Everything up to and including `last` is in the database: the spool may forget it.
    [[nodiscard]] virtual Result<void> MarkImported(const SpoolPosition& last,
                                                    std::size_t count) = 0;
    // Keeps an entry that can never be imported as files in spool/bad/ (nothing is deleted).
    virtual void SetAside(const SpoolEntry& entry, const std::string& reason) = 0;

    [[nodiscard]] virtual std::size_t Pending() const = 0;
    // Called (on the committer thread) after each batch becomes durable.
    virtual void OnCommitted(std::function<void()> callback) = 0;
};

}  // namespace rqwatch::app
