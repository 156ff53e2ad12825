#pragma once
// The one place where typed errors become HTTP statuses and bodies.

#include "core/error.hpp"
#include "http/types.hpp"

namespace rqwatch::http {

[[nodiscard]] bhttp::status StatusFor(ErrorCode code);
// JSON error body for the API: {"error": "...", "message": "...", "request_id": "..."}.
[[nodiscard]] Response JsonError(const Error& error, const std::string& request_id);
// One-line text body for the ingest endpoint (what shows up in curl and in Rspamd's log).
[[nodiscard]] Response TextError(const Error& error);
// A failed browser login (OpenID Connect callback): 302 to
// "/?login_error=CODE", CODE one of login_failed, not_allowed,
// too_many_attempts, unavailable, bad_request, internal, for the UI to
// explain. A browser user who followed a redirect expects a page, not JSON.
[[nodiscard]] Response LoginErrorRedirect(const Error& error);

}  // namespace rqwatch::http
