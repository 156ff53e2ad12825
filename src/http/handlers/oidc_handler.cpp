// OpenID Connect login: GET /api/v1/session/oidc/start and
// GET /api/v1/session/oidc/callback (browser navigations, so both answer
// with redirects), and GET /api/v1/auth/methods (which logins the UI may
// offer).
//
// The login in progress (state, nonce, PKCE verifier, the page to return
// to, its expiry) travels in the sealed cookie rqwatch_oidc: HttpOnly,
// SameSite=Lax (sent on the provider's top-level redirect back to us),
// limited to the callback's path, 10 minutes, cleared by the callback
// whatever its outcome.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "app/oidc_login.hpp"
#include "http/error_mapping.hpp"
#include "http/handlers/api_handlers.hpp"
#include "http/json_response.hpp"
#include "http/return_path.hpp"

namespace rqwatch::http {
namespace {

constexpr std::string_view kPendingCookie = "rqwatch_oidc";
constexpr std::string_view kPendingPath = "/api/v1/session/oidc";
constexpr int kPendingMaxAgeS = 600;

std::string PendingCookie(const std::string& value, int max_age_s, bool secure) {
    return fmt::format("{}={}; Path={}; HttpOnly; SameSite=Lax; Max-Age={}{}", kPendingCookie,
                       value, kPendingPath, max_age_s, secure ? "; Secure" : "");
}

std::string Query(const Request& req, const char* name) {
    auto it = req.query.find(name);
    return it == req.query.end() ? std::string() : it->second;
}

Error NotConfigured() {
    return Error{ErrorCode::kNotFound, "OpenID Connect login is not configured", {}};
}

}  // namespace

void AddOidcRoutes(Router& router, app::OidcLogin* oidc, app::SessionService& sessions,
                   RequestAuth& auth, CookieOptions cookie) {
    router.Add(bhttp::verb::get, "/api/v1/auth/methods", [oidc](Request&) {
        return JsonOk(nlohmann::json{{"password", true}, {"oidc", oidc != nullptr}});
    });
    router.Add(bhttp::verb::get, "/api/v1/session/oidc/start", [=](Request& req) {
        if (!oidc) return JsonError(NotConfigured(), req.request_id);
        auto started = oidc->Start(SafeReturnPath(Query(req, "return_to")));
        if (!started) {
            spdlog::warn("oidc: request_id={} cannot start a login: {} ({})", req.request_id,
                         started.error().public_msg, started.error().detail);
            return LoginErrorRedirect(started.error());
        }
        Response r = Response::Redirect(std::move(started->authorization_url));
        r.headers.emplace_back("Set-Cookie",
                               PendingCookie(started->pending, kPendingMaxAgeS, cookie.secure));
        return r;
    });
    router.Add(
        bhttp::verb::get, "/api/v1/session/oidc/callback", [=, &sessions, &auth](Request& req) {
            if (!oidc) return JsonError(NotConfigured(), req.request_id);
            auto done = oidc->Finish(app::OidcCallback{.code = Query(req, "code"),
                                                       .state = Query(req, "state"),
                                                       .error = Query(req, "error"),
                                                       .pending = CookieOf(req, kPendingCookie),
                                                       .ip = req.client_ip});
            // Used or not, the login in progress is over.
            const std::string clear = PendingCookie("", 0, cookie.secure);
            auto failed = [&clear](const Error& e) {
                Response r = LoginErrorRedirect(e);
                r.headers.emplace_back("Set-Cookie", clear);
                return r;
            };
            if (!done) return failed(done.error());
            // Whatever session this browser had ends: a login always gets a new id.
            if (const std::string old = RequestAuth::SessionId(req); !old.empty()) {
                (void)sessions.End(old);
            }
            auto issued = sessions.Start(done->login.user.id, req.client_ip);
            if (!issued) return failed(issued.error());
            Response r = Response::Redirect(SafeReturnPath(done->return_to));
            r.headers.emplace_back("Set-Cookie", clear);
            r.headers.emplace_back("Set-Cookie", auth.SetCookie(issued->id));
            return r;
        });
}

}  // namespace rqwatch::http
