// GET /api/v1/stats, /api/v1/reports/{field}, /api/v1/quarantine/days:
// statistics (reference §D4), top reports (§D6) and the quarantine's days
// (§C7), over the mails the filters select: all mail for admins, their own
// for users. The date report can split each day by action (split=action).

#include "http/error_mapping.hpp"
#include "http/json_response.hpp"
#include "http/handlers/api_handlers.hpp"
#include "http/search_params.hpp"

namespace rqwatch::http {
namespace {

using nlohmann::json;

// Share of `part` in `whole`, in percent with two decimals (0 for an empty whole).
double Percent(std::int64_t part, std::int64_t whole) {
    if (whole <= 0) return 0;
    return static_cast<double>(part * 10000 / whole) / 100.0;
}

json Counted(std::int64_t count, std::int64_t total) {
    return {{"count", count}, {"percent", Percent(count, total)}};
}

json RowJson(const ReportRow& r, ReportSplit split) {
    json row = {{"value", r.value}, {"total", r.total}, {"stored", r.stored}, {"size", r.size}};
    // Present (possibly empty) whenever asked for, so clients need no guess.
    if (split == ReportSplit::kAction) row["actions"] = r.actions;
    return row;
}

}  // namespace

void AddReportRoutes(Router& router, app::MailReports& reports, RequestAuth& auth) {
    router.Add(bhttp::verb::get, "/api/v1/stats", [&reports, &auth](Request& req) {
        auto who = auth.Check(req);
        if (!who) return JsonError(who.error(), req.request_id);
        auto search = SearchFromQuery(req);
        if (!search) return JsonError(search.error(), req.request_id);
        search->scope = who->MailScope();
        auto s = reports.Stats(*search);
        if (!s) return JsonError(s.error(), req.request_id);
        json actions = json::array();
        for (const auto& [action, count] : s->actions) {
            json a = Counted(count, s->total);
            a["action"] = action;
            actions.push_back(std::move(a));
        }
        return JsonOk({{"total", s->total},
                   {"stored", Counted(s->stored, s->total)},
                   {"notified", Counted(s->notified, s->total)},
                   {"released", Counted(s->released, s->total)},
                   {"virus", Counted(s->virus, s->total)},
                   {"actions", std::move(actions)},
                   {"oldest", s->oldest ? json(*s->oldest) : json(nullptr)},
                   {"newest", s->newest ? json(*s->newest) : json(nullptr)}});
    });
    router.Add(bhttp::verb::get, "/api/v1/reports/{field}", [&reports, &auth](Request& req) {
        auto who = auth.Check(req);
        if (!who) return JsonError(who.error(), req.request_id);
        app::ReportQuery q;
        auto field = ParseReportField(req.path_params["field"]);
        if (!field) return JsonError(field.error(), req.request_id);
        q.field = *field;
        if (auto it = req.query.find("mode"); it != req.query.end()) {
            auto mode = ParseReportMode(it->second);
            if (!mode) return JsonError(mode.error(), req.request_id);
            q.mode = *mode;
        }
        if (auto it = req.query.find("split"); it != req.query.end()) {
            auto split = ParseReportSplit(it->second);
            if (!split) return JsonError(split.error(), req.request_id);
            q.split = *split;
        }
        auto limit = IntParam(req, "limit", 1, 1000);
        if (!limit) return JsonError(limit.error(), req.request_id);
        q.limit = limit->value_or(30);
        auto search = SearchFromQuery(req);
        if (!search) return JsonError(search.error(), req.request_id);
        q.search = std::move(*search);
        q.search.scope = who->MailScope();
        auto r = reports.Report(q);
        if (!r) return JsonError(r.error(), req.request_id);
        json rows = json::array();
        for (const auto& row : r->rows) rows.push_back(RowJson(row, q.split));
        json totals = RowJson(r->totals, ReportSplit::kNone);
        totals.erase("value");
        return JsonOk({{"field", ReportFieldName(r->field)},
                   {"mode", ReportModeName(r->mode)},
                   {"rows", std::move(rows)},
                   {"totals", std::move(totals)}});
    });
    router.Add(bhttp::verb::get, "/api/v1/quarantine/days", [&reports, &auth](Request& req) {
        auto who = auth.Check(req);
        if (!who) return JsonError(who.error(), req.request_id);
        auto limit = IntParam(req, "limit", 1, 1000);
        if (!limit) return JsonError(limit.error(), req.request_id);
        std::optional<std::int64_t> before;
        if (auto it = req.query.find("before"); it != req.query.end()) {
            auto day = ParseDay(it->second);
            if (!day) return JsonError(day.error(), req.request_id);
            before = *day;
        }
        auto days = reports.QuarantineDays(who->MailScope(), limit->value_or(31), before);
        if (!days) return JsonError(days.error(), req.request_id);
        json items = json::array();
        for (const auto& d : *days) items.push_back({{"day", d.day}, {"count", d.count}});
        return JsonOk({{"items", std::move(items)}});
    });
}

}  // namespace rqwatch::http
