#pragma once
// Port: the durable spool between the ingest endpoint and the importer.
//
// Contract: an entry is acknowledged (Commit's callback gets success) only
// after its message and metadata are on disk and renamed into place; an
// entry stays until Remove() is called after its rows were committed. On
// start, half-written (never acknowledged) drafts are discarded.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace rqwatch::app {

struct SpoolDraft {
    std::string id;            // also the mail's spool_id
    std::int64_t received_at = 0;
    std::string message_path;  // where the raw message is written (the caller may stream into it)
    bool has_message = false;  // set by the caller once the message file is complete
};

struct SpoolEntry {
    std::string id;
    std::string metadata_json;                 // as committed
    std::optional<std::string> message_path;   // nullopt when the entry carries no raw message
};

class Spool {
public:
    virtual ~Spool() = default;

    // Reserves an id and a message path. kUnavailable when the spool's disk is
    // (nearly) full or not writable.
    [[nodiscard]] virtual Result<SpoolDraft> Begin() = 0;
    // Writes a whole in-memory message to draft.message_path (for bodies not streamed).
    [[nodiscard]] virtual Result<void> WriteMessage(SpoolDraft& draft, std::string_view bytes) = 0;
    // Deletes whatever the draft wrote. Safe to call more than once.
    virtual void Abort(const SpoolDraft& draft) = 0;
    // Makes the draft durable (group commit with other drafts) and then calls
    // `done` on the spool's committer thread. On failure the draft is aborted.
    virtual void Commit(SpoolDraft draft, std::string metadata_json,
                        std::function<void(Result<void>)> done) = 0;

    // Importer side: up to `max` committed entry ids, oldest first.
    [[nodiscard]] virtual std::vector<std::string> ListReady(std::size_t max) = 0;
    [[nodiscard]] virtual Result<SpoolEntry> Load(const std::string& id) = 0;
    // Removes a committed entry (its message file may already have been moved away).
    [[nodiscard]] virtual Result<void> Remove(const std::string& id) = 0;
    // Sets an entry that can never be imported aside (spool/bad/) instead of
    // retrying it forever; nothing is deleted.
    virtual void SetAside(const std::string& id, const std::string& reason) = 0;

    [[nodiscard]] virtual std::size_t Pending() const = 0;
    // Called (on the committer thread) after each batch becomes durable.
    virtual void OnCommitted(std::function<void()> callback) = 0;
};

}  // namespace rqwatch::app
