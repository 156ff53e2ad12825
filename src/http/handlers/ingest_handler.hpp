#pragma once
// POST /api/v1/ingest (and the old Rqwatch paths): Rspamd metadata_exporter.
//
// Split in two: Begin() sees only the header and decides (auth, allow-list,
// size, shape, metadata) before any body byte is read, so a refused upload
// costs nothing; Finish() runs when the body is complete and answers only
// after the spool made the mail durable. Exactly 200 means "kept": Rspamd treats
// anything else as a failure.

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "app/ports/spool.hpp"
#include "core/cidr.hpp"
#include "http/types.hpp"
#include "rspamd/ingest_metadata.hpp"

namespace rqwatch::http {

struct IngestSettings {
    bool enabled = true;
    std::string username;
    std::string password;
    std::vector<Cidr> allow;
    std::string node_name;
    std::uint64_t max_body_bytes = 50ull << 20;
};

enum class IngestShape { kDefault, kJson, kMultipart };

struct IngestPlan {
    std::optional<Response> reject;  // answer this and close; nothing was created
    IngestShape shape = IngestShape::kDefault;
    app::SpoolDraft draft;
    rspamd::IngestMetadata metadata;  // kDefault: parsed from the X-Rspamd-* headers
    std::string server;
    std::string content_type;
};

class IngestHandler {
  public:
    IngestHandler(IngestSettings settings, app::Spool& spool);

    [[nodiscard]] static bool IsIngestPath(std::string_view path);

    [[nodiscard]] IngestPlan Begin(const bhttp::request_header<>& header,
                                   const std::map<std::string, std::string>& query,
                                   const std::string& client_ip);
    // `respond` may be called on another thread (the spool's committer).
    void Finish(IngestPlan plan, std::string body, std::function<void(Response)> respond);

  private:
    Response Reject(const Error& e) const;

    IngestSettings settings_;
    app::Spool& spool_;
};

}  // namespace rqwatch::http
