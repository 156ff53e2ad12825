// /api/v1/session: log in (POST), who am I (GET), log out (DELETE), log out
// everywhere (POST /api/v1/session/logout-all).

#include <nlohmann/json.hpp>

#include "app/login.hpp"
#include "http/error_mapping.hpp"
#include "http/handlers/api_handlers.hpp"
#include "util/ids.hpp"

namespace rqwatch::http {
namespace {

using nlohmann::json;

std::string_view ProviderName(AuthProvider p) {
    switch (p) {
        case AuthProvider::kLdap:
            return "ldap";
        case AuthProvider::kOidc:
            return "oidc";
        case AuthProvider::kLocal:
            break;
    }
    return "local";
}

json PrincipalJson(const Principal& p, const std::string& csrf_token) {
    const User& u = p.user;
    json j = {{"id", u.id},
              {"username", u.username},
              {"email", u.email},
              {"first_name", u.first_name},
              {"last_name", u.last_name},
              {"is_admin", u.is_admin},
              {"provider", ProviderName(u.provider)},
              {"notifications_disabled", u.notifications_disabled},
              {"addresses", p.addresses},
              {"last_login", u.last_login ? json(*u.last_login) : json(nullptr)}};
    if (!csrf_token.empty()) j["csrf_token"] = csrf_token;
    return j;
}

Response Ok(const json& body) {
    return Response::Json(bhttp::status::ok,
                          body.dump(-1, ' ', false, json::error_handler_t::replace));
}

// A login body must be JSON: a cross-site HTML form cannot send that
// content type, which keeps other sites from logging a browser in (login CSRF).
Result<app::LoginAttempt> ParseLogin(const Request& req) {
    const std::string_view type = req.raw ? (*req.raw)[bhttp::field::content_type] : "";
    if (!type.starts_with("application/json")) {
        return Fail(ErrorCode::kInvalidArgument, "send the login as application/json");
    }
    const json body = json::parse(req.raw->body(), nullptr, /*allow_exceptions=*/false);
    if (!body.is_object() || !body.contains("username") || !body.contains("password") ||
        !body["username"].is_string() || !body["password"].is_string()) {
        return Fail(ErrorCode::kInvalidArgument,
                    "expected {\"username\": \"…\", \"password\": \"…\"}");
    }
    return app::LoginAttempt{body["username"].get<std::string>(),
                             body["password"].get<std::string>(), req.client_ip};
}

}  // namespace

void AddSessionRoutes(Router& router, app::Login& login, app::SessionService& sessions,
                      RequestAuth& auth, app::AuditLog& audit) {
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
    auto audit_logout = [&audit](const Request& req, const Principal& p, const char* action) {
        app::AuditEntry e;
        e.at = util::NowUnixMs();
        e.actor = p.user.username;
        e.actor_id = p.user.id;
        e.ip = req.client_ip;
        e.action = action;
        e.target = "user:" + std::to_string(p.user.id);
        (void)audit.Record(e);
    };
    router.Add(bhttp::verb::delete_, "/api/v1/session", [&, audit_logout](Request& req) {
        auto p = auth.Check(req);
        if (!p) return JsonError(p.error(), req.request_id);
        if (auto ok = sessions.End(RequestAuth::SessionId(req)); !ok) {
            return JsonError(ok.error(), req.request_id);
        }
        audit_logout(req, *p, "logout");
        Response r = Ok(json{{"logged_out", true}});
        r.headers.emplace_back("Set-Cookie", auth.ClearCookie());
        return r;
    });
    router.Add(bhttp::verb::post, "/api/v1/session/logout-all", [&, audit_logout](Request& req) {
        auto p = auth.Check(req);
        if (!p) return JsonError(p.error(), req.request_id);
        if (auto ok = sessions.EndAll(p->user.id); !ok)
            return JsonError(ok.error(), req.request_id);
        audit_logout(req, *p, "logout_all");
        Response r = Ok(json{{"logged_out", true}});
        r.headers.emplace_back("Set-Cookie", auth.ClearCookie());
        return r;
    });
}

}  // namespace rqwatch::http
