// Release requests (app/release_requests.hpp): a user asks
// (POST /api/v1/mails/{id}/release-requests), lists their own, cancels one
// while pending; administrators list all and approve or refuse.


#include "http/handlers/api_handlers.hpp"
#include "http/handlers/mail_route.hpp"
#include "http/json_response.hpp"
#include "http/release_json.hpp"
#include "http/search_params.hpp"

namespace rqwatch::http {
namespace {

using nlohmann::json;

// The comment or reason of a body: a string, checked by the use case (an
// oversized one is refused here already, before it is copied around).
Result<std::string> TextOf(const json& body, std::string_view key) {
    auto text = OptionalString(body, key, app::kMaxRequestText);
    if (!text) return std::unexpected(text.error());
    return text->value_or("");
}

Result<app::ReleaseRequestQuery> QueryOf(const Request& req) {
    app::ReleaseRequestQuery q;
    if (auto it = req.query.find("state"); it != req.query.end() && !it->second.empty()) {
        auto state = app::ParseRequestState(it->second);
        if (!state) return std::unexpected(state.error());
        q.state = *state;
    }
    auto page = PageParamsOf(req);
    if (!page) return std::unexpected(page.error());
    q.limit = page->limit;
    q.before_id = page->before_id;
    return q;
}

Response RequestOk(const app::ReleaseRequestRecord& r) { return JsonOk(ReleaseRequestJson(r)); }

}  // namespace

void AddReleaseRequestRoutes(Router& router, app::ReleaseRequests& requests, RequestAuth& auth) {
    router.Add(bhttp::verb::post, "/api/v1/mails/{id}/release-requests",
               ForMail(auth, [&requests](Request& req, const Principal& who, std::int64_t id) {
                   auto body = JsonObjectBody(req, {"to_original", "alternates", "comment"});
                   if (!body) return JsonError(body.error(), req.request_id);
                   auto release = ReleaseRequestOf(*body);
                   if (!release) return JsonError(release.error(), req.request_id);
                   auto comment = TextOf(*body, "comment");
                   if (!comment) return JsonError(comment.error(), req.request_id);
                   auto made = requests.Create(RequesterOf(who, req), id, *release,
                                               std::move(*comment));
                   if (!made) return JsonError(made.error(), req.request_id);
                   return JsonResponse(bhttp::status::created, ReleaseRequestJson(*made));
               }));
    // Administrators see every request (and the count of pending ones, for
    // the badge); everybody else their own.
    router.Add(bhttp::verb::get, "/api/v1/release-requests",
               Authed(auth, Who::kAnyUser,
                      [&requests](Request& req, const Principal& who) -> Result<Response> {
                          auto q = QueryOf(req);
                          if (!q) return std::unexpected(q.error());
                          const bool mine = !who.user.is_admin;
                          auto rows = requests.List(*q, mine, who.user.id);
                          if (!rows) return std::unexpected(rows.error());
                          json items = json::array();
                          for (const auto& r : *rows) items.push_back(ReleaseRequestJson(r));
                          const bool more = static_cast<int>(rows->size()) == q->limit;
                          json body = {{"items", std::move(items)},
                                       {"next_before", more ? json(rows->back().id) : json(nullptr)},
                                       {"mode", UserReleaseName(requests.Mode())}};
                          if (!mine) {
                              auto pending = requests.CountPending();
                              if (!pending) return std::unexpected(pending.error());
                              body["pending_count"] = *pending;
                          }
                          return JsonOk(body);
                      }));
    router.Add(bhttp::verb::post, "/api/v1/release-requests/{id}/approve",
               Authed(auth, Who::kAdmin,
                      [&requests](Request& req, const Principal& who) -> Result<Response> {
                          auto body = JsonObjectBody(req, {});
                          if (!body) return std::unexpected(body.error());
                          auto id = PathId(req);
                          if (!id) return std::unexpected(id.error());
                          auto done = requests.Approve(ActorOf(who, req), *id);
                          if (!done) return std::unexpected(done.error());
                          return RequestOk(*done);
                      }));
    router.Add(bhttp::verb::post, "/api/v1/release-requests/{id}/refuse",
               Authed(auth, Who::kAdmin,
                      [&requests](Request& req, const Principal& who) -> Result<Response> {
                          auto body = JsonObjectBody(req, {"reason"});
                          if (!body) return std::unexpected(body.error());
                          auto id = PathId(req);
                          if (!id) return std::unexpected(id.error());
                          auto reason = TextOf(*body, "reason");
                          if (!reason) return std::unexpected(reason.error());
                          auto done = requests.Refuse(ActorOf(who, req), *id, std::move(*reason));
                          if (!done) return std::unexpected(done.error());
                          return RequestOk(*done);
                      }));
    router.Add(bhttp::verb::post, "/api/v1/release-requests/{id}/cancel",
               Authed(auth, Who::kAnyUser,
                      [&requests](Request& req, const Principal& who) -> Result<Response> {
                          auto body = JsonObjectBody(req, {});
                          if (!body) return std::unexpected(body.error());
                          auto id = PathId(req);
                          if (!id) return std::unexpected(id.error());
                          auto done = requests.Cancel(ActorOf(who, req), *id);
                          if (!done) return std::unexpected(done.error());
                          return RequestOk(*done);
                      }));
}

}  // namespace rqwatch::http
