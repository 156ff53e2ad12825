// GET /api/v1/audit: the audit log of logins and state changes, newest
// first, for administrators.

#include <nlohmann/json.hpp>

#include "core/mail_filter.hpp"
#include "http/error_mapping.hpp"
#include "http/json_response.hpp"
#include "http/handlers/api_handlers.hpp"
#include "http/search_params.hpp"

namespace rqwatch::http {
namespace {

using nlohmann::json;

json EntryJson(const app::AuditEntry& e) {
    return {{"id", e.id},
            {"at", e.at},
            {"actor", e.actor},
            {"actor_id", e.actor_id ? json(*e.actor_id) : json(nullptr)},
            {"on_behalf_of", e.on_behalf_of},
            {"ip", e.ip},
            {"action", e.action},
            {"target", e.target},
            {"detail", e.detail}};
}

}  // namespace

void AddAuditRoutes(Router& router, app::AuditLog& audit, RequestAuth& auth) {
    router.Add(bhttp::verb::get, "/api/v1/audit", [&audit, &auth](Request& req) {
        auto who = auth.Check(req, /*need_admin=*/true);
        if (!who) return JsonError(who.error(), req.request_id);
        app::AuditQuery q;
        if (auto it = req.query.find("contains"); it != req.query.end()) {
            if (it->second.size() > kMaxFilterValue) {
                return JsonError(
                    Error{ErrorCode::kInvalidArgument, "contains is longer than 256 bytes", {}},
                    req.request_id);
            }
            q.contains = it->second;
        }
        if (auto it = req.query.find("since"); it != req.query.end()) {
            auto day = ParseDay(it->second);
            if (!day) return JsonError(day.error(), req.request_id);
            q.since = *day;
        }
        auto page = PageParamsOf(req);
        if (!page) return JsonError(page.error(), req.request_id);
        q.limit = page->limit;
        q.before_id = page->before_id;
        auto entries = audit.Search(q);
        if (!entries) return JsonError(entries.error(), req.request_id);
        json items = json::array();
        for (const auto& e : *entries) items.push_back(EntryJson(e));
        const bool more = static_cast<int>(entries->size()) == q.limit;
        json body = {{"items", std::move(items)},
                     {"next_before", more ? json(entries->back().id) : json(nullptr)}};
        return JsonOk(body);
    });
}

}  // namespace rqwatch::http
