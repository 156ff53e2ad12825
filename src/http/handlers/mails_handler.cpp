// /api/v1/mails: the list and search, one mail's detail (with its
// releases and learns), and deleting mails from the quarantine (one, or a
// selection); a selection may also be released or learned.

#include <algorithm>
#include <limits>
#include <set>

#include "app/mail_learning.hpp"
#include "core/mail.hpp"
#include "core/mail_scope.hpp"
#include "http/error_mapping.hpp"
#include "http/handlers/api_handlers.hpp"
#include "http/handlers/mail_route.hpp"
#include "http/json_body.hpp"
#include "http/json_response.hpp"
#include "http/learn_json.hpp"
#include "http/mail_json.hpp"
#include "http/release_json.hpp"
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

struct Bulk {
    std::string action;  // "delete", "release" or "learn"
    std::vector<std::int64_t> ids;
    app::ReleaseRequest release;
    std::string learn_as;  // "spam" or "ham"
};

// {"action": "delete" | "release" | "learn", "ids": [1, 2, ...]} (a
// release also "to_original" and/or "alternates", a learn "as"): each id at
// most once, 1..kMaxBulkMails of them.
Result<Bulk> ParseBulk(const Request& req) {
    auto body = JsonObjectBody(req, {"action", "ids", "to_original", "alternates", "as"});
    if (!body) return std::unexpected(body.error());
    auto action = OptionalString(*body, "action");
    if (!action) return std::unexpected(action.error());
    if (!*action || (**action != "delete" && **action != "release" && **action != "learn")) {
        return Fail(ErrorCode::kInvalidArgument,
                    "action must be \"delete\", \"release\" or \"learn\"");
    }
    Bulk out{**action, {}, {}, {}};
    if (out.action == "release") {
        auto release = ReleaseRequestOf(*body);
        if (!release) return std::unexpected(release.error());
        out.release = std::move(*release);
    } else if (body->contains("to_original") || body->contains("alternates")) {
        return Fail(ErrorCode::kInvalidArgument,
                    "to_original and alternates belong to the action \"release\"");
    }
    if (out.action == "learn") {
        auto as = OptionalString(*body, "as", 16);
        if (!as) return std::unexpected(as.error());
        if (!*as || (**as != "spam" && **as != "ham")) {
            return Fail(ErrorCode::kInvalidArgument, "as must be \"spam\" or \"ham\"");
        }
        out.learn_as = **as;
    } else if (body->contains("as")) {
        return Fail(ErrorCode::kInvalidArgument, "as belongs to the action \"learn\"");
    }
    const auto ids = body->find("ids");
    if (ids == body->end() || !ids->is_array() || ids->empty() ||
        ids->size() > app::kMaxBulkMails) {
        return Fail(ErrorCode::kInvalidArgument,
                    "ids must be a list of 1 to " + std::to_string(app::kMaxBulkMails) +
                        " mail ids");
    }
    std::set<std::int64_t> seen;
    for (const json& id : *ids) {
        if (!id.is_number_integer() || id.get<std::int64_t>() < 1) {
            return Fail(ErrorCode::kInvalidArgument, "every id must be a positive integer");
        }
        if (seen.insert(id.get<std::int64_t>()).second) out.ids.push_back(id.get<std::int64_t>());
    }
    return out;
}

json Failed(std::int64_t id, const Error& e) {
    return {{"id", id}, {"ok", false}, {"error", ErrorCodeName(e.code)}, {"message", e.public_msg}};
}

}  // namespace

void AddMailRoutes(Router& router, app::MailRepo& mails, app::MailViewer& viewer,
                   app::MailDeletion& deletion, app::MailRelease& release,
                   app::ReleaseRequests& requests, app::MailLearning* learning,
                   RequestAuth& auth) {
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
        if (q->scope) {  // co-recipients (Bcc ones too) stay hidden from a user
            for (MailRecord& m : page->items) m.rcpt_to = RecipientsInScope(m.rcpt_to, *q->scope);
        }
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
               ForMail(auth, [&viewer, &release, &requests, learning](
                                 Request& req, const Principal& who, std::int64_t id) {
                   // Another user's mail does not exist for this user (404,
                   // not 403: the answer must not tell which ids exist).
                   auto detail = viewer.Detail(who.MailScope(), id);
                   if (!detail) return JsonError(detail.error(), req.request_id);
                   auto releases = release.History(who.MailScope(), id);
                   if (!releases) return JsonError(releases.error(), req.request_id);
                   json j = MailDetailToJson(*detail);
                   j["releases"] = ReleasesJson(*releases, who.user.is_admin);
                   // The caller's own pending request, so the UI shows it instead of a button.
                   auto pending = requests.PendingOf(id, who.user.username);
                   if (!pending) return JsonError(pending.error(), req.request_id);
                   j["release_request"] = *pending ? ReleaseRequestJson(**pending) : json(nullptr);
                   // What this caller's release does (administrators always release).
                   j["release_mode"] = who.user.is_admin ? "direct"
                                                         : UserReleaseName(requests.Mode());
                   if (learning != nullptr) {
                       auto learns = learning->History(id);
                       if (!learns) return JsonError(learns.error(), req.request_id);
                       j["learned_as"] = LearnedAs(*learns);
                       j["learns"] = LearnsJson(*learns);
                   } else {
                       j["learned_as"] = nullptr;
                       j["learns"] = json::array();
                   }
                   return JsonOk(std::move(j));
               }));
    router.Add(bhttp::verb::delete_, "/api/v1/mails/{id}",
               ForMail(auth, [&deletion](Request& req, const Principal& who, std::int64_t id) {
                   auto outcome = deletion.Delete(DeleterOf(who, req), id);
                   if (!outcome) return JsonError(outcome.error(), req.request_id);
                   return JsonOk(OutcomeJson(*outcome));
               }));
    // One answer per id, in the order given: a selection mixes mails that
    // can and cannot be deleted, and the rest must not wait for one failure.
    router.Add(bhttp::verb::post, "/api/v1/mails/bulk", [&deletion, &requests, learning,
                                                          &auth](Request& req) {
        auto who = auth.Check(req);
        if (!who) return JsonError(who.error(), req.request_id);
        auto bulk = ParseBulk(req);
        if (!bulk) return JsonError(bulk.error(), req.request_id);
        json results = json::array();
        if (bulk->action == "release") {
            const app::Requester requester = RequesterOf(*who, req);
            for (std::int64_t id : bulk->ids) {
                auto outcome =
                    requests.ReleaseOrRequest(requester, who->user.is_admin, id, bulk->release);
                results.push_back(outcome ? ReleaseOrRequestJson(*outcome)
                                          : Failed(id, outcome.error()));
            }
        } else if (bulk->action == "learn") {
            if (!who->user.is_admin) {
                return JsonError(Error{ErrorCode::kPermissionDenied,
                                       "only administrators may train Rspamd", {}},
                                 req.request_id);
            }
            const app::Actor actor = ActorOf(*who, req);
            for (std::int64_t id : bulk->ids) {
                auto outcome =
                    learning != nullptr
                        ? learning->Learn(actor, who->MailScope(), id, bulk->learn_as)
                        : Result<app::LearnOutcome>(
                              Fail(ErrorCode::kUnavailable, "learning is not configured"));
                results.push_back(outcome ? LearnOutcomeJson(*outcome)
                                          : Failed(id, outcome.error()));
            }
        } else {
            const app::MailDeleter deleter = DeleterOf(*who, req);
            for (std::int64_t id : bulk->ids) {
                auto outcome = deletion.Delete(deleter, id);
                results.push_back(outcome ? OutcomeJson(*outcome) : Failed(id, outcome.error()));
            }
        }
        return JsonOk(json{{"action", bulk->action}, {"results", std::move(results)}});
    });
}

}  // namespace rqwatch::http
