#pragma once
// The common head of every /api/v1/mails/{id}... route: who asks (401/403
// from RequestAuth) and which mail (400 unless a positive integer).

#include <cstdint>
#include <functional>

#include "http/error_mapping.hpp"
#include "http/json_body.hpp"
#include "http/request_auth.hpp"
#include "http/router.hpp"

namespace rqwatch::http {

using MailHandler = std::function<Response(Request&, const Principal&, std::int64_t id)>;

[[nodiscard]] inline Handler ForMail(RequestAuth& auth, MailHandler handler) {
    return [&auth, handler = std::move(handler)](Request& req) {
        auto who = auth.Check(req);
        if (!who) return JsonError(who.error(), req.request_id);
        auto id = PathId(req);
        if (!id) return JsonError(id.error(), req.request_id);
        return handler(req, *who, *id);
    };
}

}  // namespace rqwatch::http
