#include "http/release_json.hpp"

#include "core/utf8.hpp"
#include "http/json_body.hpp"

namespace rqwatch::http {

using nlohmann::json;

Result<app::ReleaseRequest> ReleaseRequestOf(const json& body) {
    auto original = OptionalBool(body, "to_original");
    if (!original) return std::unexpected(original.error());
    auto alternates = OptionalStringList(body, "alternates");
    if (!alternates) return std::unexpected(alternates.error());
    return app::ReleaseRequest{original->value_or(false),
                               alternates->value_or(std::vector<std::string>{})};
}

json ReleaseOutcomeJson(const app::ReleaseOutcome& outcome) {
    return {{"id", outcome.id}, {"ok", true}, {"delivered_to", outcome.delivered_to}};
}

json ReleasesJson(const std::vector<app::ReleaseRecord>& rows, bool with_results) {
    json out = json::array();
    for (const app::ReleaseRecord& r : rows) {
        json j = {{"at", r.at}, {"by", r.by}, {"to", r.recipient}, {"mode", r.mode}, {"ok", r.ok}};
        if (with_results) j["result"] = r.result;
        out.push_back(std::move(j));
    }
    return out;
}

const char* UserReleaseName(app::UserRelease mode) {
    switch (mode) {
        case app::UserRelease::kRequest:
            return "request";
        case app::UserRelease::kOff:
            return "off";
        case app::UserRelease::kDirect:
            break;
    }
    return "direct";
}

json ReleaseRequestJson(const app::ReleaseRequestRecord& r) {
    return {{"id", r.id},
            {"mail_id", r.mail_id},
            {"requester", r.requester},
            {"recipients", r.recipients},
            {"comment", r.comment},
            {"state", app::RequestStateName(r.state)},
            {"created_at", r.created_at},
            {"decided_by", r.decided_by},
            {"decided_at", r.decided_at ? json(*r.decided_at) : json(nullptr)},
            {"reason", r.reason},
            {"subject", Utf8OrCp1252(r.subject)},
            {"mail_from", Utf8OrCp1252(r.mail_from)}};
}

json ReleaseOrRequestJson(const app::ReleaseOrRequestOutcome& o) {
    if (o.released) return ReleaseOutcomeJson(*o.released);
    return {{"id", o.requested->mail_id},
            {"ok", true},
            {"requested", true},
            {"request", ReleaseRequestJson(*o.requested)}};
}

app::Requester RequesterOf(const Principal& who, const Request& req) {
    return app::Requester{ActorOf(who, req), who.MailScope(), who.user.email};
}

}  // namespace rqwatch::http
