#include "http/release_json.hpp"

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

}  // namespace rqwatch::http
