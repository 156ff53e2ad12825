// A user's own profile: GET and PATCH /api/v1/profile (names, notification
// opt-out and schedule) and POST /api/v1/profile/password. GET
// /api/v1/session shows it too.

#include <nlohmann/json.hpp>

#include "http/error_mapping.hpp"
#include "http/json_response.hpp"
#include "http/handlers/api_handlers.hpp"
#include "http/json_body.hpp"
#include "http/user_json.hpp"

namespace rqwatch::http {
namespace {

using nlohmann::json;

Result<app::ProfileChanges> ParseProfile(const Request& req) {
    auto body = JsonObjectBody(req, {"first_name", "last_name", "notifications_disabled",
                                     "notify_frequency", "notify_hour", "time_zone"});
    if (!body) return std::unexpected(body.error());
    app::ProfileChanges c;
    auto first = OptionalString(*body, "first_name");
    if (!first) return std::unexpected(first.error());
    auto last = OptionalString(*body, "last_name");
    if (!last) return std::unexpected(last.error());
    auto off = OptionalBool(*body, "notifications_disabled");
    if (!off) return std::unexpected(off.error());
    c.first_name = std::move(*first);
    c.last_name = std::move(*last);
    c.notifications_disabled = *off;
    auto notify = ParseNotifyPreferences(*body);
    if (!notify) return std::unexpected(notify.error());
    c.notify = std::move(*notify);
    return c;
}

}  // namespace

void AddProfileRoutes(Router& router, app::Profile& profile, RequestAuth& auth) {
    router.Add(bhttp::verb::get, "/api/v1/profile", [&](Request& req) {
        auto p = auth.Check(req);
        if (!p) return JsonError(p.error(), req.request_id);
        auto u = profile.Get(ActorOf(*p, req));
        if (!u) return JsonError(u.error(), req.request_id);
        return JsonOk(UserJson(*u));
    });
    router.Add(bhttp::verb::patch, "/api/v1/profile", [&](Request& req) {
        auto p = auth.Check(req);
        if (!p) return JsonError(p.error(), req.request_id);
        auto c = ParseProfile(req);
        if (!c) return JsonError(c.error(), req.request_id);
        auto u = profile.Update(ActorOf(*p, req), *c);
        if (!u) return JsonError(u.error(), req.request_id);
        return JsonOk(UserJson(*u));
    });
    router.Add(bhttp::verb::post, "/api/v1/profile/password", [&](Request& req) {
        auto p = auth.Check(req);
        if (!p) return JsonError(p.error(), req.request_id);
        auto body = JsonObjectBody(req, {"current_password", "new_password"});
        if (!body) return JsonError(body.error(), req.request_id);
        auto current = OptionalString(*body, "current_password");
        auto next = OptionalString(*body, "new_password");
        if (!current || !next || !*current || !*next) {
            return JsonError(Error{ErrorCode::kInvalidArgument,
                                   "expected {\"current_password\": \"…\", \"new_password\": \"…\"}",
                                   {}},
                             req.request_id);
        }
        auto issued = profile.ChangePassword(ActorOf(*p, req), **current, **next);
        if (!issued) return JsonError(issued.error(), req.request_id);
        // Every session of the user ended; this browser continues in a new one.
        Response r = JsonOk(json{{"changed", true}, {"csrf_token", issued->record.csrf_token}});
        r.headers.emplace_back("Set-Cookie", auth.SetCookie(issued->id));
        return r;
    });
}

}  // namespace rqwatch::http
