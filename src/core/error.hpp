#pragma once
// Typed errors and Result<T>: expected failures are values, not exceptions.
// The mapping of ErrorCode to an HTTP status lives in one place
// (http/error_mapping.cpp); CLI commands map them to exit codes.

#include <cstdint>
#include <expected>
#include <string>
#include <utility>

namespace rqwatch {

enum class ErrorCode {
    kInvalidArgument,   // the caller sent something malformed (HTTP 400)
    kNotFound,          // 404
    kConflict,          // 409
    kUnauthenticated,   // 401
    kPermissionDenied,  // 403
    kTooLarge,          // 413
    kTooManyRequests,   // 429: throttled; Error::retry_after_s says for how long
    kUnavailable,       // temporary: disk full, database down (503)
    kInternal,          // a bug or an unexpected environment failure (500)
};

struct Error {
    ErrorCode code = ErrorCode::kInternal;
    std::string public_msg;          // safe to show to a client: one line, no internals
    std::string detail;              // for the log only (paths, errno text, SQL errors)
    std::int64_t retry_after_s = 0;  // kTooManyRequests, kUnavailable: a hint for the client
    // A finer, machine-readable name than `code` when a client must tell
    // cases apart ("totp_required": ask for the code, not the password);
    // the JSON error's "error" field then shows it. Empty for most errors.
    std::string reason;

    [[nodiscard]] bool Temporary() const { return code == ErrorCode::kUnavailable; }
};

template <class T>
using Result = std::expected<T, Error>;

// Shorthand used at every failure site: return Fail(ErrorCode::kNotFound, "no such mail");
[[nodiscard]] inline std::unexpected<Error> Fail(ErrorCode code, std::string public_msg,
                                                 std::string detail = {}) {
    return std::unexpected<Error>(Error{code, std::move(public_msg), std::move(detail)});
}

[[nodiscard]] const char* ErrorCodeName(ErrorCode code);

}  // namespace rqwatch
