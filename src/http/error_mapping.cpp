#include "http/error_mapping.hpp"

#include <nlohmann/json.hpp>

#include "http/json_response.hpp"

namespace rqwatch::http {

bhttp::status StatusFor(ErrorCode code) {
    switch (code) {
        case ErrorCode::kInvalidArgument:
            return bhttp::status::bad_request;
        case ErrorCode::kNotFound:
            return bhttp::status::not_found;
        case ErrorCode::kConflict:
            return bhttp::status::conflict;
        case ErrorCode::kUnauthenticated:
            return bhttp::status::unauthorized;
        case ErrorCode::kPermissionDenied:
            return bhttp::status::forbidden;
        case ErrorCode::kTooLarge:
            return bhttp::status::payload_too_large;
        case ErrorCode::kTooManyRequests:
            return bhttp::status::too_many_requests;
        case ErrorCode::kUnavailable:
            return bhttp::status::service_unavailable;
        case ErrorCode::kInternal:
            return bhttp::status::internal_server_error;
    }
    return bhttp::status::internal_server_error;
}

namespace {
void AddAuthChallenge(const Error& error, Response& r) {
    if (error.code == ErrorCode::kUnauthenticated) {
        r.headers.emplace_back("WWW-Authenticate", "Basic realm=\"rqwatch\", charset=\"UTF-8\"");
    }
    if (error.code == ErrorCode::kUnavailable || error.code == ErrorCode::kTooManyRequests) {
        const std::int64_t s = error.retry_after_s > 0 ? error.retry_after_s : 5;
        r.headers.emplace_back("Retry-After", std::to_string(s));
    }
}
}  // namespace

Response JsonError(const Error& error, const std::string& request_id) {
    nlohmann::json j = {{"error", error.reason.empty() ? ErrorCodeName(error.code) : error.reason},
                        {"message", error.public_msg},
                        {"request_id", request_id}};
    Response r = JsonResponse(StatusFor(error.code), j);
    AddAuthChallenge(error, r);
    return r;
}

Response LoginErrorRedirect(const Error& error) {
    std::string_view code = "internal";
    switch (error.code) {
        case ErrorCode::kUnauthenticated:
            code = "login_failed";
            break;
        case ErrorCode::kPermissionDenied:
            code = "not_allowed";
            break;
        case ErrorCode::kTooManyRequests:
            code = "too_many_attempts";
            break;
        case ErrorCode::kUnavailable:
            code = "unavailable";
            break;
        case ErrorCode::kInvalidArgument:
            code = "bad_request";
            break;
        default:
            break;
    }
    return Response::Redirect("/?login_error=" + std::string(code));
}

Response TextError(const Error& error) {
    Response r = Response::Text(StatusFor(error.code), error.public_msg + "\n");
    AddAuthChallenge(error, r);
    return r;
}

}  // namespace rqwatch::http
