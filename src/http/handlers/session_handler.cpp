// /api/v1/session: log in (POST), who am I (GET), log out (DELETE), log out
// everywhere (POST /api/v1/session/logout-all).

#include <nlohmann/json.hpp>

#include "app/login.hpp"
#include "http/error_mapping.hpp"
#include "http/json_response.hpp"
#include "http/handlers/api_handlers.hpp"
#include "http/json_body.hpp"
#include "http/user_json.hpp"

namespace rqwatch::http {
namespace {

using nlohmann::json;

json PrincipalJson(const Principal& p, const std::string& csrf_token) {
    json j = UserJson(p.user);
    j["addresses"] = p.addresses;
    j["impersonated_by"] = p.impersonator ? json(p.impersonator->username) : json(nullptr);
    if (!csrf_token.empty()) j["csrf_token"] = csrf_token;
    return j;
}

// A login body must be JSON (JsonObjectBody): a cross-site HTML form cannot
// send that content type, which keeps other sites from logging a browser in
// (login CSRF).
Result<app::LoginAttempt> ParseLogin(const Request& req) {
    auto body = JsonObjectBody(req, {"username", "password", "totp"});
    if (!body) return std::unexpected(body.error());
    auto username = OptionalString(*body, "username");
    auto password = OptionalString(*body, "password");
    if (!username || !password || !*username || !*password) {
        return Fail(ErrorCode::kInvalidArgument,
                    "expected {\"username\": \"…\", \"password\": \"…\"}");
    }
    // The one-time code of a user with TOTP on (SecondFactor checks its form).
    auto totp = OptionalString(*body, "totp", 16);
    if (!totp) return std::unexpected(totp.error());
    return app::LoginAttempt{std::move(**username), std::move(**password), req.client_ip,
                             std::move(*totp)};
}

}  // namespace

Response Started(RequestAuth& auth, const app::IssuedSession& issued) {
    auto p = auth.ForRecord(issued.record);
    if (!p) return JsonError(p.error(), "");
    Response r = JsonOk(PrincipalJson(*p, issued.record.csrf_token));
    r.headers.emplace_back("Set-Cookie", auth.SetCookie(issued.id));
    return r;
}

void AddSessionRoutes(Router& router, app::Login& login, app::SessionService& sessions,
                      app::Logout& logout, app::Impersonation& impersonation, RequestAuth& auth) {
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
        return Started(auth, *issued);
    });
    router.Add(bhttp::verb::get, "/api/v1/session", [&](Request& req) {
        auto p = auth.Check(req);
        if (!p) return JsonError(p.error(), req.request_id);
        return JsonOk(PrincipalJson(*p, p->session ? p->session->csrf_token : ""));
    });
    // "Login as" ends: back to the admin's own account, in a new session.
    router.Add(bhttp::verb::post, "/api/v1/session/return", [&](Request& req) {
        auto p = auth.Check(req);
        if (!p) return JsonError(p.error(), req.request_id);
        if (!p->session) {
            return JsonError(Error{ErrorCode::kConflict, "this is not a \"login as\" session", {}},
                             req.request_id);
        }
        auto issued = impersonation.Return(ActorOf(*p, req), *p->session, RequestAuth::SessionId(req));
        if (!issued) {
            Response r = JsonError(issued.error(), req.request_id);
            if (issued.error().code == ErrorCode::kUnauthenticated) {
                r.headers.emplace_back("Set-Cookie", auth.ClearCookie());
            }
            return r;
        }
        return Started(auth, *issued);
    });
    router.Add(bhttp::verb::delete_, "/api/v1/session", [&](Request& req) {
        auto p = auth.Check(req);
        if (!p) return JsonError(p.error(), req.request_id);
        if (auto ok = logout.ThisSession(ActorOf(*p, req), RequestAuth::SessionId(req)); !ok) {
            return JsonError(ok.error(), req.request_id);
        }
        Response r = JsonOk(json{{"logged_out", true}});
        r.headers.emplace_back("Set-Cookie", auth.ClearCookie());
        return r;
    });
    router.Add(bhttp::verb::post, "/api/v1/session/logout-all", [&](Request& req) {
        auto p = auth.Check(req);
        if (!p) return JsonError(p.error(), req.request_id);
        if (auto ok = logout.Everywhere(ActorOf(*p, req)); !ok) {
            return JsonError(ok.error(), req.request_id);
        }
        Response r = JsonOk(json{{"logged_out", true}});
        r.headers.emplace_back("Set-Cookie", auth.ClearCookie());
        return r;
    });
}

}  // namespace rqwatch::http
