
#include <limits>

#include "http/error_mapping.hpp"
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

void AddMailRoutes(Router& router, app::MailRepo& mails, BasicAuthenticator& auth) {
    router.Add(bhttp::verb::get, "/api/v1/mails", [&mails, &auth](Request& req) {
        if (auto user = auth.Check(req, /*need_admin=*/true); !user)
            return JsonError(user.error(), req.request_id);
        auto q = SearchFromQuery(req);
        if (!q) return JsonError(q.error(), req.request_id);
        auto limit = IntParam(req, "limit", 1, 1000);
        if (!limit) return JsonError(limit.error(), req.request_id);
        q->limit = limit->value_or(50);
        auto before = IntParam(req, "before", 1, std::numeric_limits<std::int64_t>::max());
        if (!before) return Bad(req, "before must be a positive mail id");
        q->before_id = *before;
        auto page = mails.Search(*q);
        if (!page) return JsonError(page.error(), req.request_id);
        json items = json::array();
        for (const auto& m : page->items) items.push_back(MailToJson(m));
        json body = {
            {"items", std::move(items)},
            {"next_before", page->next_before_id ? json(*page->next_before_id) : json(nullptr)}};
        return Response::Json(bhttp::status::ok,
                              body.dump(-1, ' ', false, json::error_handler_t::replace));
    });
    router.Add(bhttp::verb::get, "/api/v1/mails/{id}", [&mails, &auth](Request& req) {
        if (auto user = auth.Check(req, /*need_admin=*/true); !user)
            return JsonError(user.error(), req.request_id);
        auto id = ParseInteger(req.path_params["id"]);
        if (!id || *id < 1) return Bad(req, "mail id must be a positive integer");
        auto mail = mails.Get(*id);
        if (!mail) return JsonError(mail.error(), req.request_id);
        return Response::Json(
            bhttp::status::ok,
            MailToJson(*mail).dump(-1, ' ', false, json::error_handler_t::replace));
    });
}

}  // namespace rqwatch::http
