
#include <algorithm>
#include <limits>

#include "core/mail.hpp"
#include "core/mail_scope.hpp"
#include "http/error_mapping.hpp"
#include "http/json_response.hpp"
#include "http/handlers/api_handlers.hpp"
#include "http/mail_json.hpp"
#include "http/search_params.hpp"

namespace rqwatch::http {
namespace {

using nlohmann::json;

Response Bad(const Request& req, std::string msg) {
    return JsonError(Error{ErrorCode::kInvalidArgument, std::move(msg), {}}, req.request_id);
}

}  // namespace

void AddMailRoutes(Router& router, app::MailRepo& mails, RequestAuth& auth) {
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
        json items = json::array();
        for (const auto& m : page->items) items.push_back(MailToJson(m));
        json body = {
            {"items", std::move(items)},
            {"next_before", page->next_before_id ? json(*page->next_before_id) : json(nullptr)}};
        return JsonOk(body);
    });
    router.Add(bhttp::verb::get, "/api/v1/mails/{id}", [&mails, &auth](Request& req) {
        auto who = auth.Check(req);
        if (!who) return JsonError(who.error(), req.request_id);
        auto id = ParseInteger(req.path_params["id"]);
        if (!id || *id < 1) return Bad(req, "mail id must be a positive integer");
        auto mail = mails.Get(*id);
        if (!mail) return JsonError(mail.error(), req.request_id);
        // Another user's mail does not exist for this user (404, not 403:
        // the answer must not tell which ids exist).
        if (auto scope = who->MailScope(); scope && !InScope(mail->rcpt_to, *scope)) {
            return JsonError(Error{ErrorCode::kNotFound, "no such mail", {}}, req.request_id);
        }
        return JsonOk(MailToJson(*mail));
    });
}

}  // namespace rqwatch::http
