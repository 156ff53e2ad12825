// /api/v1/node/...: what this node hands out to the other rqwatch nodes
// (distributed mode): the raw mail it keeps. Not for people: no session,
// no user scope (the asking web node checks its user first); a request
// must come from node_api.allow_from and be signed with node_api.secret
// (core/node_signature.hpp). Off while the secret is empty.

#include <ctime>
#include <functional>

#include "core/node_signature.hpp"
#include "http/content_disposition.hpp"
#include "http/error_mapping.hpp"
#include "http/handlers/api_handlers.hpp"
#include "http/json_body.hpp"
#include "http/json_response.hpp"

namespace rqwatch::http {
namespace {

Result<void> CheckNode(const Request& req, const NodeApiSettings& settings) {
    if (settings.secret.empty()) return Fail(ErrorCode::kNotFound, "not found");
    auto ip = ParseIp(req.client_ip);
    if (!ip || !AnyContains(settings.allow, *ip)) {
        return Fail(ErrorCode::kPermissionDenied, "this address may not ask this node",
                    "node request from " + req.client_ip);
    }
    if (req.raw == nullptr) return Fail(ErrorCode::kUnauthenticated, "unsigned node request");
    const auto& raw = *req.raw;
    const std::string target(raw.target());
    if (!NodeSignatureValid(settings.secret, std::string(raw.method_string()), target,
                            std::string(raw[kNodeTimeHeader]),
                            std::string(raw[kNodeSignatureHeader]),
                            static_cast<std::int64_t>(std::time(nullptr)))) {
        return Fail(ErrorCode::kUnauthenticated,
                    "node request not signed with node_api.secret, or its time is off by more "
                    "than 5 minutes");
    }
    return {};
}

// A node route: allowed and signed (CheckNode), then the mail id.
Handler ForNodeMail(NodeApiSettings settings,
                    std::function<Response(Request&, std::int64_t id)> handler) {
    return [settings = std::move(settings), handler = std::move(handler)](Request& req) {
        if (auto ok = CheckNode(req, settings); !ok) return JsonError(ok.error(), req.request_id);
        auto id = PathId(req);
        if (!id) return JsonError(id.error(), req.request_id);
        return handler(req, *id);
    };
}

}  // namespace

void AddNodeRoutes(Router& router, app::MailViewer& viewer, app::MailDeletion& deletion,
                   NodeApiSettings settings) {
    router.Add(bhttp::verb::delete_, "/api/v1/node/mails/{id}/raw",
               ForNodeMail(settings, [&deletion](Request& req, std::int64_t id) {
                   auto removed = deletion.LocalRemove(id);
                   if (!removed) return JsonError(removed.error(), req.request_id);
                   return JsonOk(nlohmann::json{{"deleted", *removed}});
               }));
    router.Add(bhttp::verb::get, "/api/v1/node/mails/{id}/raw",
               ForNodeMail(std::move(settings), [&viewer](Request& req, std::int64_t id) {
                   auto raw = viewer.LocalRaw(id);
                   if (!raw) return JsonError(raw.error(), req.request_id);
                   const std::string name = "mail-" + std::to_string(id) + ".eml";
                   return Download(std::move(raw->bytes), AttachmentDisposition(name, name));
               }));
}

}  // namespace rqwatch::http
