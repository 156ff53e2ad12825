// Personal API tokens: /api/v1/profile/tokens (one's own: list, create,
// revoke) and /api/v1/users/{id}/tokens (administrators: list, revoke).

#include <nlohmann/json.hpp>

#include "http/handlers/api_handlers.hpp"
#include "http/handlers/authed_route.hpp"
#include "http/json_body.hpp"
#include "http/json_response.hpp"

namespace rqwatch::http {
namespace {

using nlohmann::json;

json OptionalMs(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

// Never the digest: it is what the store looks tokens up by.
json TokenJson(const app::ApiToken& t) {
    return {{"id", t.id},
            {"name", t.name},
            {"prefix", t.prefix},
            {"created_at", t.created_at},
            {"last_used_at", OptionalMs(t.last_used_at)},
            {"expires_at", OptionalMs(t.expires_at)}};
}

Result<Response> TokenList(app::ApiTokens& tokens, std::int64_t user_id) {
    auto rows = tokens.List(user_id);
    if (!rows) return std::unexpected(rows.error());
    json items = json::array();
    for (const app::ApiToken& t : *rows) items.push_back(TokenJson(t));
    return JsonOk({{"items", std::move(items)}});
}

Result<Response> Revoke(app::ApiTokens& tokens, const Request& req, const Principal& p,
                        std::int64_t owner_id, std::string_view token_param) {
    auto id = PathId(req, token_param);
    if (!id) return std::unexpected(id.error());
    if (auto ok = tokens.Revoke(ActorOf(p, req), owner_id, *id); !ok) {
        return std::unexpected(ok.error());
    }
    return JsonOk({{"deleted", *id}});
}

}  // namespace

void AddTokenRoutes(Router& router, app::ApiTokens& tokens, RequestAuth& auth) {
    router.Add(bhttp::verb::get, "/api/v1/profile/tokens",
               Authed(auth, Who::kAnyUser, [&tokens](Request&, const Principal& p) {
                   return TokenList(tokens, p.user.id);
               }));
    router.Add(bhttp::verb::post, "/api/v1/profile/tokens",
               Authed(auth, Who::kAnyUser,
                      [&tokens](Request& req, const Principal& p) -> Result<Response> {
                          auto body = JsonObjectBody(req, {"name", "expires_in_days"});
                          if (!body) return std::unexpected(body.error());
                          auto name = OptionalString(*body, "name", app::kMaxTokenName);
                          if (!name) return std::unexpected(name.error());
                          if (!*name) {
                              return Fail(ErrorCode::kInvalidArgument,
                                          "expected {\"name\": \"…\", \"expires_in_days\": N}");
                          }
                          auto days = OptionalInteger(*body, "expires_in_days", 1,
                                                      tokens.Options().max_lifetime_days);
                          if (!days) return std::unexpected(days.error());
                          auto created = tokens.Create(ActorOf(p, req), **name, *days);
                          if (!created) return std::unexpected(created.error());
                          json j = TokenJson(created->token);
                          j["token"] = created->secret;  // the only time it is shown
                          return JsonResponse(bhttp::status::created, j);
                      }));
    router.Add(bhttp::verb::delete_, "/api/v1/profile/tokens/{id}",
               Authed(auth, Who::kAnyUser, [&tokens](Request& req, const Principal& p) {
                   return Revoke(tokens, req, p, p.user.id, "id");
               }));
    router.Add(
        bhttp::verb::get, "/api/v1/users/{id}/tokens",
        Authed(auth, Who::kAdmin, [&tokens](Request& req, const Principal&) -> Result<Response> {
            auto user = PathId(req);
            if (!user) return std::unexpected(user.error());
            return TokenList(tokens, *user);
        }));
    router.Add(
        bhttp::verb::delete_, "/api/v1/users/{id}/tokens/{token_id}",
        Authed(auth, Who::kAdmin, [&tokens](Request& req, const Principal& p) -> Result<Response> {
            auto user = PathId(req);
            if (!user) return std::unexpected(user.error());
            return Revoke(tokens, req, p, *user, "token_id");
        }));
}

}  // namespace rqwatch::http
