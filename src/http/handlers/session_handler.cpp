// /api/v1/session: log in (POST), who am I (GET), log out (DELETE), log out
// everywhere (POST /api/v1/session/logout-all).

#include <nlohmann/json.hpp>

#include "app/login.hpp"
#include "http/error_mapping.hpp"
#include "http/handlers/api_handlers.hpp"
#include "http/json_body.hpp"
#include "http/user_json.hpp"

namespace rqwatch::http {
namespace {

using nlohmann::json;

json PrincipalJson(const Principal& p, const std::string& csrf_token) {
    json j = UserJson(p.user);
    j["addresses"] = p.addresses;
    if (!csrf_token.empty()) j["csrf_token"] = csrf_token;
    return j;
}

Response Ok(const json& body) {
    return Response::Json(bhttp::status::ok,
                          body.dump(-1, ' ', false, json::error_handler_t::replace));
}

// A login body must be JSON (JsonObjectBody): a cross-site HTML form cannot
// send that content type, which keeps other sites from logging a browser in
// (login CSRF).
Result<app::LoginAttempt> ParseLogin(const Request& req) {
    auto body = JsonObjectBody(req, {"username", "password"});
    if (!body) return std::unexpected(body.error());
    auto username = OptionalString(*body, "username");
    auto password = OptionalString(*body, "password");
    if (!username || !password || !*username || !*password) {
        return Fail(ErrorCode::kInvalidArgument,
                    "expected {\"username\": \"…\", \"password\": \"…\"}");
    }
    return app::LoginAttempt{std::move(**username), std::move(**password), req.client_ip};
}

}  // namespace

void AddSessionRoutes(Router& router, app::Login& login, app::SessionService& sessions,
                      app::Logout& logout, RequestAuth& auth) {
    router.Add(bhttp::verb::post, "/api/v1/session", [&](Request& req) {
        auto attempt = ParseLogin(req);
        if (!attempt) return JsonError(attempt.error(), req.request_id);
        auto who = login.Run(*attempt);
        if (!who) return JsonError(who.error(), req.request_id);
        // Whatever session this browser had ends: a login always gets a new id.
        if (const std::string old = RequestAuth::SessionId(req); !old.empty()) {
            (void)sessions.End(old);
        }
        auto issued = sessions.Start(who->user.id, req.client_ip);
        if (!issued) return JsonError(issued.error(), req.request_id);
        Principal p{std::move(who->user), std::move(who->addresses), issued->record};
        Response r = Ok(PrincipalJson(p, issued->record.csrf_token));
        r.headers.emplace_back("Set-Cookie", auth.SetCookie(issued->id));
        return r;
    });
    router.Add(bhttp::verb::get, "/api/v1/session", [&](Request& req) {
        auto p = auth.Check(req);
        if (!p) return JsonError(p.error(), req.request_id);
        return Ok(PrincipalJson(*p, p->session ? p->session->csrf_token : ""));
    });
    router.Add(bhttp::verb::delete_, "/api/v1/session", [&](Request& req) {
        auto p = auth.Check(req);
        if (!p) return JsonError(p.error(), req.request_id);
        if (auto ok = logout.ThisSession(ActorOf(*p, req), RequestAuth::SessionId(req)); !ok) {
            return JsonError(ok.error(), req.request_id);
        }
        Response r = Ok(json{{"logged_out", true}});
        r.headers.emplace_back("Set-Cookie", auth.ClearCookie());
        return r;
    });
    router.Add(bhttp::verb::post, "/api/v1/session/logout-all", [&](Request& req) {
        auto p = auth.Check(req);
        if (!p) return JsonError(p.error(), req.request_id);
        if (auto ok = logout.Everywhere(ActorOf(*p, req)); !ok) {
            return JsonError(ok.error(), req.request_id);
        }
        Response r = Ok(json{{"logged_out", true}});
        r.headers.emplace_back("Set-Cookie", auth.ClearCookie());
        return r;
    });
}

}  // namespace rqwatch::http
