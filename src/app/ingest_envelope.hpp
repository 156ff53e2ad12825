#pragma once
// IngestEnvelope: one accepted ingest request, decoded. The ingest endpoint
// writes it to the spool as JSON (EncodeIngestEnvelope) and hands the decoded
// object to the importer alongside; after a restart the importer decodes the
// JSON again (DecodeIngestEnvelope). Both ways give the same envelope.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "rspamd/ingest_metadata.hpp"

namespace rqwatch::app {

struct IngestEnvelope {
    std::string server;  // ?server= or ingest.node_name
    std::int64_t received_at = 0;
    bool has_message = false;
    std::string shape;  // "default" | "json" | "multipart"
    rspamd::IngestMetadata metadata;
};

// {"v":1,"server":…,"received_at":…,"has_message":…,"shape":…,"rspamd":{…}}, written directly.
[[nodiscard]] std::string EncodeIngestEnvelope(const IngestEnvelope& e);
[[nodiscard]] Result<IngestEnvelope> DecodeIngestEnvelope(std::string_view text);

}  // namespace rqwatch::app
