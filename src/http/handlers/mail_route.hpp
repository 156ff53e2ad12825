#pragma once
// The common head of every /api/v1/mails/{id}... route: Authed (who asks:
// 401/403) and which mail (400 unless a positive integer).

#include <cstdint>
#include <utility>

#include "http/handlers/authed_route.hpp"
#include "http/json_body.hpp"

namespace rqwatch::http {

// `body`: Response(Request&, const Principal&, std::int64_t id).
template <class Body>
[[nodiscard]] Handler ForMail(RequestAuth& auth, Body body) {
    return Authed(auth, Who::kAnyUser,
                  [body = std::move(body)](Request& req, const Principal& p) -> Result<Response> {
                      auto id = PathId(req);
                      if (!id) return std::unexpected(id.error());
                      return body(req, p, *id);
                  });
}

}  // namespace rqwatch::http
