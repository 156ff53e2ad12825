#include "app/ingest_envelope.hpp"

#include <nlohmann/json.hpp>

#include "util/json_string.hpp"

namespace rqwatch::app {

std::string EncodeIngestEnvelope(const IngestEnvelope& e) {
    std::string out = "{\"v\":1,";
    util::AppendJsonKey(out, "server");
    util::AppendJsonString(out, e.server);
    out += ",\"received_at\":" + std::to_string(e.received_at);
    out += e.has_message ? ",\"has_message\":true," : ",\"has_message\":false,";
    util::AppendJsonKey(out, "shape");
    util::AppendJsonString(out, e.shape);
    out += ",\"rspamd\":";
    out += rspamd::MetadataToJsonText(e.metadata);
    out += '}';
    return out;
}

Result<IngestEnvelope> DecodeIngestEnvelope(std::string_view text) {
    using nlohmann::json;
    json j = json::parse(text.begin(), text.end(), nullptr, false);
    if (!j.is_object() || j.value("v", 0) != 1 || !j.contains("rspamd")) {
        return Fail(ErrorCode::kInvalidArgument, "unreadable spool metadata");
    }
    auto metadata = rspamd::MetadataFromSpoolJson(j["rspamd"]);
    if (!metadata) return std::unexpected(metadata.error());
    IngestEnvelope e;
    e.server = j.value("server", "");
    e.received_at = j.value("received_at", std::int64_t{0});
    e.has_message = j.value("has_message", false);
    e.shape = j.value("shape", "");
    e.metadata = std::move(*metadata);
    return e;
}

}  // namespace rqwatch::app
