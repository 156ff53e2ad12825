#pragma once
// A route body that runs for an authenticated principal: RequestAuth first
// (CSRF on cookie state changes, administrators only when asked), then the
// body; either's typed error becomes the JSON error.

#include <utility>

#include "http/error_mapping.hpp"
#include "http/request_auth.hpp"
#include "http/router.hpp"

namespace rqwatch::http {

enum class Who { kAnyUser, kAdmin };

// `body`: Result<Response>(Request&, const Principal&).
template <class Body>
[[nodiscard]] Handler Authed(RequestAuth& auth, Who who, Body body) {
    return [&auth, who, body = std::move(body)](Request& req) -> Response {
        auto p = auth.Check(req, /*need_admin=*/who == Who::kAdmin);
        if (!p) return JsonError(p.error(), req.request_id);
        Result<Response> r = body(req, *p);
        if (!r) return JsonError(r.error(), req.request_id);
        return std::move(*r);
    };
}

}  // namespace rqwatch::http
