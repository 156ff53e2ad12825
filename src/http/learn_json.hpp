#pragma once
// The JSON of learning, shared by the single and the bulk route and the
// mail detail.

#include <nlohmann/json.hpp>
#include <vector>

#include "app/mail_learning.hpp"

namespace rqwatch::http {

[[nodiscard]] nlohmann::json LearnOutcomeJson(const app::LearnOutcome& outcome);
// Every learn request, oldest first.
[[nodiscard]] nlohmann::json LearnsJson(const std::vector<app::LearnRecord>& rows);
// What the mail counts as now: the class of the last learn that worked; null if none.
[[nodiscard]] nlohmann::json LearnedAs(const std::vector<app::LearnRecord>& rows);

}  // namespace rqwatch::http
