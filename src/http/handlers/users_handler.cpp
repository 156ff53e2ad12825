// Administration of accounts and aliases (administrators only):
//   /api/v1/users, /api/v1/users/{id}, /api/v1/users/{id}/aliases,
//   /api/v1/aliases, /api/v1/aliases/{id}.

#include <nlohmann/json.hpp>

#include "http/error_mapping.hpp"
#include "http/json_response.hpp"
#include "http/handlers/api_handlers.hpp"
#include "http/json_body.hpp"
#include "http/search_params.hpp"
#include "http/user_json.hpp"

namespace rqwatch::http {
namespace {

using nlohmann::json;

json DetailJson(const app::UserDetail& d) {
    json j = UserJson(d.user);
    json aliases = json::array();
    for (const Alias& a : d.aliases) aliases.push_back(AliasJson(a));
    j["aliases"] = std::move(aliases);
    return j;
}

// ?contains=&limit=&before= of the list routes.
Result<app::UserListQuery> ListQuery(const Request& req) {
    app::UserListQuery q;
    if (auto it = req.query.find("contains"); it != req.query.end()) {
        if (it->second.size() > kMaxFilterValue) {
            return Fail(ErrorCode::kInvalidArgument, "contains is longer than 256 bytes");
        }
        q.contains = it->second;
    }
    auto page = PageParamsOf(req);
    if (!page) return std::unexpected(page.error());
    q.limit = page->limit;
    q.before_id = page->before_id;
    return q;
}

template <typename T, typename ToJson>
Response Page(const std::vector<T>& rows, int limit, ToJson to_json) {
    json items = json::array();
    for (const T& r : rows) items.push_back(to_json(r));
    const bool more = static_cast<int>(rows.size()) == limit;
    return JsonResponse(bhttp::status::ok, {{"items", std::move(items)},
                                    {"next_before", more ? json(rows.back().id) : json(nullptr)}});
}

// The body of POST and PATCH /api/v1/users; `create` needs the name,
// address and password.
Result<app::UserChanges> ParseUser(const Request& req, bool create) {
    auto body = JsonObjectBody(req, {"username", "email", "first_name", "last_name", "is_admin",
                                     "admin_domains", "notifications_disabled", "password",
                                     "notify_frequency", "notify_hour", "time_zone"});
    if (!body) return std::unexpected(body.error());
    app::UserChanges c;
    for (auto [key, field] : {std::pair{"username", &c.username}, {"email", &c.email},
                              {"first_name", &c.first_name}, {"last_name", &c.last_name},
                              {"password", &c.password}}) {
        auto v = OptionalString(*body, key);
        if (!v) return std::unexpected(v.error());
        *field = std::move(*v);
    }
    for (auto [key, field] : {std::pair{"is_admin", &c.is_admin},
                              {"notifications_disabled", &c.notifications_disabled}}) {
        auto v = OptionalBool(*body, key);
        if (!v) return std::unexpected(v.error());
        *field = *v;
    }
    auto domains = OptionalStringList(*body, "admin_domains");
    if (!domains) return std::unexpected(domains.error());
    c.admin_domains = std::move(*domains);
    auto notify = ParseNotifyPreferences(*body);
    if (!notify) return std::unexpected(notify.error());
    c.notify = std::move(*notify);
    if (create && (!c.username || !c.email || !c.password)) {
        return Fail(ErrorCode::kInvalidArgument, "a new user needs username, email and password");
    }
    return c;
}

app::NewUser ToNewUser(app::UserChanges c) {
    app::NewUser n;
    n.username = std::move(*c.username);
    n.email = std::move(*c.email);
    n.password = std::move(*c.password);
    n.first_name = c.first_name.value_or("");
    n.last_name = c.last_name.value_or("");
    n.is_admin = c.is_admin.value_or(false);
    n.admin_domains = c.admin_domains.value_or(std::vector<std::string>{});
    n.notifications_disabled = c.notifications_disabled.value_or(false);
    n.notify = std::move(c.notify);
    return n;
}

Result<std::string> ParseAlias(const Request& req) {
    auto body = JsonObjectBody(req, {"alias"});
    if (!body) return std::unexpected(body.error());
    auto alias = OptionalString(*body, "alias");
    if (!alias) return std::unexpected(alias.error());
    if (!*alias) return Fail(ErrorCode::kInvalidArgument, "expected {\"alias\": \"…\"}");
    return std::move(**alias);
}

}  // namespace

void AddUserAdminRoutes(Router& router, app::UserAdmin& users, app::AliasAdmin& aliases,
                        app::Impersonation& impersonation, RequestAuth& auth) {
    // Every route: an admin (RequestAuth checks CSRF on state changes), then
    // the use case; its typed error becomes the JSON error.
    auto admin = [&auth](auto body) {
        return [&auth, body](Request& req) -> Response {
            auto who = auth.Check(req, /*need_admin=*/true);
            if (!who) return JsonError(who.error(), req.request_id);
            Result<Response> r = body(req, *who);
            if (!r) return JsonError(r.error(), req.request_id);
            return std::move(*r);
        };
    };
    router.Add(bhttp::verb::get, "/api/v1/users",
               admin([&users](Request& req, const Principal&) -> Result<Response> {
                   auto q = ListQuery(req);
                   if (!q) return std::unexpected(q.error());
                   auto rows = users.List(*q);
                   if (!rows) return std::unexpected(rows.error());
                   return Page(*rows, q->limit, UserJson);
               }));
    router.Add(bhttp::verb::post, "/api/v1/users",
               admin([&users](Request& req, const Principal& p) -> Result<Response> {
                   auto c = ParseUser(req, /*create=*/true);
                   if (!c) return std::unexpected(c.error());
                   auto added = users.Add(ActorOf(p, req), ToNewUser(std::move(*c)));
                   if (!added) return std::unexpected(added.error());
                   return JsonResponse(bhttp::status::created, DetailJson(*added));
               }));
    router.Add(bhttp::verb::get, "/api/v1/users/{id}",
               admin([&users](Request& req, const Principal&) -> Result<Response> {
                   auto id = PathId(req);
                   if (!id) return std::unexpected(id.error());
                   auto d = users.Get(*id);
                   if (!d) return std::unexpected(d.error());
                   return JsonResponse(bhttp::status::ok, DetailJson(*d));
               }));
    router.Add(bhttp::verb::patch, "/api/v1/users/{id}",
               admin([&users](Request& req, const Principal& p) -> Result<Response> {
                   auto id = PathId(req);
                   if (!id) return std::unexpected(id.error());
                   auto c = ParseUser(req, /*create=*/false);
                   if (!c) return std::unexpected(c.error());
                   auto d = users.Update(ActorOf(p, req), *id, *c);
                   if (!d) return std::unexpected(d.error());
                   return JsonResponse(bhttp::status::ok, DetailJson(*d));
               }));
    router.Add(bhttp::verb::delete_, "/api/v1/users/{id}",
               admin([&users](Request& req, const Principal& p) -> Result<Response> {
                   auto id = PathId(req);
                   if (!id) return std::unexpected(id.error());
                   if (auto ok = users.Remove(ActorOf(p, req), *id); !ok) {
                       return std::unexpected(ok.error());
                   }
                   return JsonResponse(bhttp::status::ok, {{"deleted", *id}});
               }));
    // "Login as": this browser becomes the user's (POST /api/v1/session/return goes back).
    router.Add(bhttp::verb::post, "/api/v1/users/{id}/login-as",
               admin([&impersonation, &auth](Request& req, const Principal& p) -> Result<Response> {
                   auto id = PathId(req);
                   if (!id) return std::unexpected(id.error());
                   if (!p.session) {
                       return Fail(ErrorCode::kInvalidArgument,
                                   "\"login as\" needs a browser session, not HTTP Basic");
                   }
                   auto issued =
                       impersonation.Begin(ActorOf(p, req), RequestAuth::SessionId(req), *id);
                   if (!issued) return std::unexpected(issued.error());
                   return Started(auth, *issued);
               }));
    router.Add(bhttp::verb::get, "/api/v1/aliases",
               admin([&aliases](Request& req, const Principal&) -> Result<Response> {
                   auto q = ListQuery(req);
                   if (!q) return std::unexpected(q.error());
                   auto rows = aliases.List(*q);
                   if (!rows) return std::unexpected(rows.error());
                   return Page(*rows, q->limit, AliasJson);
               }));
    router.Add(bhttp::verb::post, "/api/v1/users/{id}/aliases",
               admin([&aliases](Request& req, const Principal& p) -> Result<Response> {
                   auto id = PathId(req);
                   if (!id) return std::unexpected(id.error());
                   auto alias = ParseAlias(req);
                   if (!alias) return std::unexpected(alias.error());
                   auto a = aliases.Add(ActorOf(p, req), *id, *alias);
                   if (!a) return std::unexpected(a.error());
                   return JsonResponse(bhttp::status::created, AliasJson(*a));
               }));
    router.Add(bhttp::verb::patch, "/api/v1/aliases/{id}",
               admin([&aliases](Request& req, const Principal& p) -> Result<Response> {
                   auto id = PathId(req);
                   if (!id) return std::unexpected(id.error());
                   auto alias = ParseAlias(req);
                   if (!alias) return std::unexpected(alias.error());
                   auto a = aliases.Update(ActorOf(p, req), *id, *alias);
                   if (!a) return std::unexpected(a.error());
                   return JsonResponse(bhttp::status::ok, AliasJson(*a));
               }));
    router.Add(bhttp::verb::delete_, "/api/v1/aliases/{id}",
               admin([&aliases](Request& req, const Principal& p) -> Result<Response> {
                   auto id = PathId(req);
                   if (!id) return std::unexpected(id.error());
                   if (auto ok = aliases.Remove(ActorOf(p, req), *id); !ok) {
                       return std::unexpected(ok.error());
                   }
                   return JsonResponse(bhttp::status::ok, {{"deleted", *id}});
               }));
}

}  // namespace rqwatch::http
