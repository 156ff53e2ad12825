#pragma once
// What Rspamd's metadata_exporter tells us about one message, normalised from
// any of the shapes it sends (X-Rspamd-* headers of formatter "default" with
// meta_headers, the JSON of formatter "json", or the JSON part of formatter
// "multipart"). Every string is valid UTF-8; Rspamd's "unknown" is empty.

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/mail.hpp"

namespace rqwatch::rspamd {

struct IngestMetadata {
    std::string qid;
    std::string action;  // lower-case, e.g. "add header"
    double score = 0;
    std::string ip;
    std::string mail_from;          // SMTP MAIL FROM as sent; empty for <> or unknown
    std::vector<std::string> rcpt;  // SMTP RCPT TO as sent (order, case, duplicates kept)
    std::string auth_user;
    std::string rspamd_server;
    std::int64_t scan_time_ms = -1;
    std::string subject;  // as sent: raw UTF-8 or RFC 2047; decoded by the importer
    std::vector<Symbol> symbols;
    std::string fuzzy_json = "[]";
    // Only the "json"/"multipart" formatters send these (no raw message there).
    std::string message_id;
    std::vector<std::string> header_from;
    std::vector<std::string> header_to;
};

// Looks up a request header by its lower-case name (HTTP names are case-insensitive).
using HeaderLookup = std::function<std::optional<std::string_view>(std::string_view lower_name)>;

// Formatter "default" with meta_headers = true. kInvalidArgument with a
// one-line reason when a required header is missing or a JSON header is broken.
[[nodiscard]] Result<IngestMetadata> MetadataFromHeaders(const HeaderLookup& header);

// Formatter "json" body or the "metadata" part of formatter "multipart".
[[nodiscard]] Result<IngestMetadata> MetadataFromJson(std::string_view json_text);

// Lossless round trip through the spool (and the same rules as MetadataFromJson
// for an already parsed object).
[[nodiscard]] std::string MetadataToJsonText(const IngestMetadata& m);  // written directly, no DOM
[[nodiscard]] nlohmann::json MetadataToJson(const IngestMetadata& m);
[[nodiscard]] Result<IngestMetadata> MetadataFromSpoolJson(const nlohmann::json& j);

}  // namespace rqwatch::rspamd
