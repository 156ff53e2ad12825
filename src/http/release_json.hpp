#pragma once
// The JSON of releasing mail, shared by the single and the bulk route and
// the mail detail: the request's recipient fields, the outcome, the history.

#include <nlohmann/json.hpp>
#include <vector>

#include "app/mail_release.hpp"
#include "core/error.hpp"

namespace rqwatch::http {

// "to_original" (bool) and "alternates" (list of addresses) of `body`.
[[nodiscard]] Result<app::ReleaseRequest> ReleaseRequestOf(const nlohmann::json& body);
[[nodiscard]] nlohmann::json ReleaseOutcomeJson(const app::ReleaseOutcome& outcome);
// The relay's answers (`result`) only for administrators: they name hosts.
[[nodiscard]] nlohmann::json ReleasesJson(const std::vector<app::ReleaseRecord>& rows,
                                          bool with_results);

}  // namespace rqwatch::http
