#include "http/learn_json.hpp"

namespace rqwatch::http {

using nlohmann::json;

namespace {

json FuzzyJson(const std::string& status, const std::string& message) {
    return {{"status", status}, {"message", message}};
}

}  // namespace

json LearnOutcomeJson(const app::LearnOutcome& o) {
    return {{"id", o.id},
            {"ok", true},
            {"learned_as", o.learned_as},
            {"node", o.node},
            {"already_learned", o.already},
            {"fuzzy", FuzzyJson(o.fuzzy.status, o.fuzzy.message)}};
}

json LearnsJson(const std::vector<app::LearnRecord>& rows) {
    json out = json::array();
    for (const app::LearnRecord& r : rows) {
        out.push_back({{"at", r.at}, {"by", r.by}, {"as", r.learned_as}, {"node", r.node},
                       {"ok", r.ok}, {"result", r.result},
                       {"fuzzy", FuzzyJson(r.fuzzy, r.fuzzy_result)}});
    }
    return out;
}

json LearnedAs(const std::vector<app::LearnRecord>& rows) {
    for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
        if (it->ok) return it->learned_as;
    }
    return nullptr;
}

}  // namespace rqwatch::http
