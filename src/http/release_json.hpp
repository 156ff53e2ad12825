#pragma once
// The JSON of releasing mail, shared by the single and the bulk route and
// the mail detail: the request's recipient fields, the outcome, the history.

#include <nlohmann/json.hpp>
#include <vector>

#include "app/mail_release.hpp"
#include "app/release_requests.hpp"
#include "core/error.hpp"
#include "http/request_auth.hpp"

namespace rqwatch::http {

// "to_original" (bool) and "alternates" (list of addresses) of `body`.
[[nodiscard]] Result<app::ReleaseRequest> ReleaseRequestOf(const nlohmann::json& body);
[[nodiscard]] nlohmann::json ReleaseOutcomeJson(const app::ReleaseOutcome& outcome);
// The relay's answers (`result`) only for administrators: they name hosts.
[[nodiscard]] nlohmann::json ReleasesJson(const std::vector<app::ReleaseRecord>& rows,
                                          bool with_results);

// "direct", "request" or "off".
[[nodiscard]] const char* UserReleaseName(app::UserRelease mode);
// One release request (the lists, the mail detail, the answers of changes).
[[nodiscard]] nlohmann::json ReleaseRequestJson(const app::ReleaseRequestRecord& request);
// A release call's answer: the outcome, or {"id", "ok", "requested": true,
// "request"} when it made a request.
[[nodiscard]] nlohmann::json ReleaseOrRequestJson(const app::ReleaseOrRequestOutcome& outcome);
// The Requester of a signed-in principal: their scope, notices to their address.
[[nodiscard]] app::Requester RequesterOf(const Principal& who, const Request& req);

}  // namespace rqwatch::http
