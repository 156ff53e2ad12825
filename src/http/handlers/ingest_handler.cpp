#include "http/handlers/ingest_handler.hpp"

#include <spdlog/spdlog.h>

#include "app/ingest_envelope.hpp"
#include "http/basic_auth.hpp"
#include "http/error_mapping.hpp"
#include "http/form_data.hpp"
#include "util/ascii.hpp"

namespace rqwatch::http {
namespace {

std::string SanitizeServer(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_')
            out.push_back(c);
        if (out.size() >= 128) break;
    }
    return out;
}

}  // namespace

IngestHandler::IngestHandler(IngestSettings settings, app::Spool& spool)
    : settings_(std::move(settings)), spool_(spool) {}

bool IngestHandler::IsIngestPath(std::string_view path) {
    return path == "/api/v1/ingest" || path == "/api/metadata_importer.php" ||
           path == "/api/metadata_importer_multipart.php";
}

Response IngestHandler::Reject(const Error& e) const {
    Response r = TextError(e);
    r.close = true;  // the body (if any) was not read
    return r;
}

IngestPlan IngestHandler::Begin(const bhttp::request_header<>& header,
                                const std::map<std::string, std::string>& query,
                                const std::string& client_ip) {
    IngestPlan plan;
    auto reject = [&](ErrorCode code, std::string msg) {
        plan.reject = Reject(Error{code, std::move(msg), {}});
        return plan;
    };
    if (!settings_.enabled)
        return reject(ErrorCode::kPermissionDenied, "ingest is disabled on this node");
    auto ip = ParseIp(client_ip);
    if (!ip || !AnyContains(settings_.allow, *ip)) {
        spdlog::warn("ingest: refused client {} (not in ingest.allow_from)", client_ip);
        return reject(ErrorCode::kPermissionDenied, "client address not allowed");
    }
    if (!settings_.password.empty()) {
        auto creds = ParseBasicAuth(header[bhttp::field::authorization]);
        // Evaluate both comparisons so the time does not tell which one failed.
        const bool user_ok = creds && SecretEquals(creds->username, settings_.username);
        const bool pass_ok = creds && SecretEquals(creds->password, settings_.password);
        if (!(user_ok && pass_ok)) {
            spdlog::warn("ingest: authentication failed from {}", client_ip);
            return reject(ErrorCode::kUnauthenticated, "authentication required");
        }
    }
    const auto length =
        header.find(bhttp::field::content_length) != header.end()
            ? std::optional<std::string>(std::string(header[bhttp::field::content_length]))
            : std::nullopt;
    if (length) {
        std::uint64_t n = 0;
        try {
            n = std::stoull(*length);
        } catch (...) {
            return reject(ErrorCode::kInvalidArgument, "bad Content-Length");
        }
        if (n > settings_.max_body_bytes) {
            return reject(ErrorCode::kTooLarge, "message larger than server.max_body_bytes (" +
                                                    std::to_string(settings_.max_body_bytes) +
                                                    " bytes)");
        }
        if (n == 0) return reject(ErrorCode::kInvalidArgument, "empty body");
    }
    auto q = query.find("server");
    plan.server = SanitizeServer(q != query.end() ? q->second : "");
    if (plan.server.empty()) plan.server = settings_.node_name;
    plan.content_type = std::string(header[bhttp::field::content_type]);
    const std::string ct = util::AsciiLower(plan.content_type);
    auto format = query.find("format");
    const bool has_meta_headers = header.find("X-Rspamd-Action") != header.end();
    if (ct.starts_with("multipart/form-data") ||
        (format != query.end() && format->second == "multipart")) {
        plan.shape = IngestShape::kMultipart;
    } else if ((format != query.end() && format->second == "json") ||
               ct.starts_with("application/json") || !has_meta_headers) {
        plan.shape = IngestShape::kJson;
    } else {
        plan.shape = IngestShape::kDefault;
        auto meta = rspamd::MetadataFromHeaders(
            [&](std::string_view name) -> std::optional<std::string_view> {
                auto it = header.find(name);
                if (it == header.end()) return std::nullopt;
                return std::string_view(it->value().data(), it->value().size());
            });
        if (!meta) return reject(meta.error().code, meta.error().public_msg);
        plan.metadata = std::move(*meta);
    }
    auto draft = spool_.Begin();
    if (!draft) {
        plan.reject = Reject(draft.error());
        return plan;
    }
    plan.draft = std::move(*draft);
    return plan;
}

void IngestHandler::Finish(IngestPlan plan, std::string body,
                           std::function<void(Response)> respond) {
    auto fail = [&](const Error& e) { respond(TextError(e)); };
    std::optional<std::string> message;
    auto envelope = std::make_shared<app::IngestEnvelope>();
    app::IngestEnvelope& env = *envelope;
    env.server = plan.server;
    env.received_at = plan.draft.received_at;
    switch (plan.shape) {
        case IngestShape::kDefault:
            if (body.empty()) return fail(Error{ErrorCode::kInvalidArgument, "empty body", {}});
            message = std::move(body);
            env.metadata = std::move(plan.metadata);
            env.shape = "default";
            break;
        case IngestShape::kJson: {
            auto meta = rspamd::MetadataFromJson(body);
            if (!meta) {
                return fail(Error{ErrorCode::kInvalidArgument,
                                  body.empty() ? "empty body"
                                               : meta.error().public_msg +
                                                     " (and no X-Rspamd-* headers: for the default "
                                                     "formatter set meta_headers = true)",
                                  {}});
            }
            env.metadata = std::move(*meta);
            env.shape = "json";
            break;
        }
        case IngestShape::kMultipart: {
            auto parts = ParseFormData(MultipartBoundary(plan.content_type), body);
            if (!parts) return fail(parts.error());
            const FormPart* meta_part = nullptr;
            const FormPart* message_part = nullptr;
            for (const auto& p : *parts) {
                if (p.name == "metadata") meta_part = &p;
                if (p.name == "message") message_part = &p;
            }
            if (!meta_part)
                return fail(Error{
                    ErrorCode::kInvalidArgument, "multipart body has no \"metadata\" part", {}});
            if (!message_part || message_part->data.empty()) {
                return fail(Error{
                    ErrorCode::kInvalidArgument, "multipart body has no \"message\" part", {}});
            }
            auto meta = rspamd::MetadataFromJson(meta_part->data);
            if (!meta) return fail(meta.error());
            env.metadata = std::move(*meta);
            message = std::string(message_part->data);
            env.shape = "multipart";
            break;
        }
    }
    env.has_message = message.has_value();
    const std::string spool_id = plan.draft.id;
    std::string metadata_json = app::EncodeIngestEnvelope(env);
    spool_.Commit(std::move(plan.draft), std::move(metadata_json), std::move(message),
                  std::move(envelope), [respond = std::move(respond), spool_id](Result<void> r) {
                      if (!r) {
                          respond(TextError(r.error()));
                          return;
                      }
                      Response ok = Response::Text(bhttp::status::ok, "OK\n");
                      ok.headers.emplace_back("X-Rqwatch-Id", spool_id);
                      respond(std::move(ok));
                  });
}

}  // namespace rqwatch::http
