// /api/v1/mails: the list and search, one mail's detail, and deleting mails
// from the quarantine (one, or a selection).

#include <algorithm>
#include <limits>
#include <set>

#include "core/mail.hpp"
#include "http/error_mapping.hpp"
#include "http/handlers/api_handlers.hpp"
#include "http/handlers/mail_route.hpp"
#include "http/json_body.hpp"
#include "http/json_response.hpp"
#include "http/mail_json.hpp"
#include "http/search_params.hpp"

namespace rqwatch::http {
namespace {

using nlohmann::json;

Response Bad(const Request& req, std::string msg) {
    return JsonError(Error{ErrorCode::kInvalidArgument, std::move(msg), {}}, req.request_id);
}

app::MailDeleter DeleterOf(const Principal& p, const Request& req) {
    return app::MailDeleter{ActorOf(p, req), p.MailScope(),
                            !p.user.is_admin && !p.user.admin_domains.empty()};
}

json OutcomeJson(const app::DeleteOutcome& o) {
    return {{"id", o.id}, {"ok", true}, {"deleted", o.deleted}};
}

// {"action": "delete", "ids": [1, 2, ...]}: each id at most once, 1..kMaxBulkMails of them.
Result<std::vector<std::int64_t>> ParseBulk(const Request& req) {
    auto body = JsonObjectBody(req, {"action", "ids"});
    if (!body) return std::unexpected(body.error());
    auto action = OptionalString(*body, "action");
    if (!action) return std::unexpected(action.error());
    if (!*action || **action != "delete") {
        return Fail(ErrorCode::kInvalidArgument, "action must be \"delete\"");
    }
    const auto ids = body->find("ids");
    if (ids == body->end() || !ids->is_array() || ids->empty() ||
        ids->size() > app::kMaxBulkMails) {
        return Fail(ErrorCode::kInvalidArgument,
                    "ids must be a list of 1 to " + std::to_string(app::kMaxBulkMails) +
                        " mail ids");
    }
    std::vector<std::int64_t> out;
    std::set<std::int64_t> seen;
    for (const json& id : *ids) {
        if (!id.is_number_integer() || id.get<std::int64_t>() < 1) {
            return Fail(ErrorCode::kInvalidArgument, "every id must be a positive integer");
        }
        if (seen.insert(id.get<std::int64_t>()).second) out.push_back(id.get<std::int64_t>());
    }
    return out;
}

}  // namespace

void AddMailRoutes(Router& router, app::MailRepo& mails, app::MailViewer& viewer,
                   app::MailDeletion& deletion, RequestAuth& auth) {
    router.Add(bhttp::verb::get, "/api/v1/mails", [&mails, &auth](Request& req) {
        auto who = auth.Check(req);
        if (!who) return JsonError(who.error(), req.request_id);
        auto q = SearchFromQuery(req);
        if (!q) return JsonError(q.error(), req.request_id);
        auto limit = IntParam(req, "limit", 1, 1000);
        if (!limit) return JsonError(limit.error(), req.request_id);
        q->limit = limit->value_or(50);
        auto before = IntParam(req, "before", 1, std::numeric_limits<std::int64_t>::max());
        if (!before) return Bad(req, "before must be a positive mail id");
        q->before_id = *before;
        q->scope = who->MailScope();
        auto page = mails.Search(*q);
        if (!page) return JsonError(page.error(), req.request_id);
        // Written as text: the DOM of a page cost more than the query.
        std::string body;
        body.reserve(256 + page->items.size() * 2048);
        body += "{\"items\":[";
        for (std::size_t i = 0; i < page->items.size(); ++i) {
            if (i > 0) body += ',';
            AppendMailJson(body, page->items[i]);
        }
        body += "],\"next_before\":";
        body += page->next_before_id ? std::to_string(*page->next_before_id) : "null";
        body += '}';
        return Response::Json(bhttp::status::ok, std::move(body));
    });
    router.Add(bhttp::verb::get, "/api/v1/mails/{id}",
               ForMail(auth, [&viewer](Request& req, const Principal& who, std::int64_t id) {
                   // Another user's mail does not exist for this user (404,
                   // not 403: the answer must not tell which ids exist).
                   auto detail = viewer.Detail(who.MailScope(), id);
                   if (!detail) return JsonError(detail.error(), req.request_id);
                   return JsonOk(MailDetailToJson(*detail));
               }));
    router.Add(bhttp::verb::delete_, "/api/v1/mails/{id}",
               ForMail(auth, [&deletion](Request& req, const Principal& who, std::int64_t id) {
                   auto outcome = deletion.Delete(DeleterOf(who, req), id);
                   if (!outcome) return JsonError(outcome.error(), req.request_id);
                   return JsonOk(OutcomeJson(*outcome));
               }));
    // One answer per id, in the order given: a selection mixes mails that
    // can and cannot be deleted, and the rest must not wait for one failure.
    router.Add(bhttp::verb::post, "/api/v1/mails/bulk", [&deletion, &auth](Request& req) {
        auto who = auth.Check(req);
        if (!who) return JsonError(who.error(), req.request_id);
        auto ids = ParseBulk(req);
        if (!ids) return JsonError(ids.error(), req.request_id);
        const app::MailDeleter deleter = DeleterOf(*who, req);
        json results = json::array();
        for (std::int64_t id : *ids) {
            auto outcome = deletion.Delete(deleter, id);
            if (outcome) {
                results.push_back(OutcomeJson(*outcome));
            } else {
                results.push_back({{"id", id},
                                   {"ok", false},
                                   {"error", ErrorCodeName(outcome.error().code)},
                                   {"message", outcome.error().public_msg}});
            }
        }
        return JsonOk(json{{"action", "delete"}, {"results", std::move(results)}});
    });
}

}  // namespace rqwatch::http
