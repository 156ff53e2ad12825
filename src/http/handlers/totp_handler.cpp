// The TOTP second factor: /api/v1/profile/totp (enrol, confirm, turn off;
// the user's own) and DELETE /api/v1/users/{id}/totp (an administrator's
// reset for a lost phone).

#include <nlohmann/json.hpp>

#include "http/handlers/api_handlers.hpp"
#include "http/handlers/authed_route.hpp"
#include "http/json_body.hpp"
#include "http/json_response.hpp"

namespace rqwatch::http {
namespace {

using nlohmann::json;

Response TotpState(bool enabled) { return JsonOk({{"totp_enabled", enabled}}); }

}  // namespace

void AddTotpRoutes(Router& router, app::SecondFactor& second_factor, RequestAuth& auth) {
    router.Add(bhttp::verb::post, "/api/v1/profile/totp",
               Authed(auth, Who::kAnyUser,
                      [&second_factor](Request& req, const Principal& p) -> Result<Response> {
                          auto e = second_factor.Enroll(ActorOf(p, req));
                          if (!e) return std::unexpected(e.error());
                          return JsonOk({{"secret", e->secret}, {"uri", e->uri}});
                      }));
    router.Add(bhttp::verb::post, "/api/v1/profile/totp/confirm",
               Authed(auth, Who::kAnyUser,
                      [&second_factor](Request& req, const Principal& p) -> Result<Response> {
                          auto body = JsonObjectBody(req, {"code"});
                          if (!body) return std::unexpected(body.error());
                          auto code = OptionalString(*body, "code", 16);
                          if (!code) return std::unexpected(code.error());
                          if (!*code) {
                              return Fail(ErrorCode::kInvalidArgument,
                                          "expected {\"code\": \"123456\"}");
                          }
                          if (auto ok = second_factor.Confirm(ActorOf(p, req), **code); !ok) {
                              return std::unexpected(ok.error());
                          }
                          return TotpState(true);
                      }));
    router.Add(bhttp::verb::delete_, "/api/v1/profile/totp",
               Authed(auth, Who::kAnyUser,
                      [&second_factor](Request& req, const Principal& p) -> Result<Response> {
                          auto body = JsonObjectBody(req, {"code", "password"});
                          if (!body) return std::unexpected(body.error());
                          auto code = OptionalString(*body, "code", 16);
                          if (!code) return std::unexpected(code.error());
                          auto password = OptionalString(*body, "password");
                          if (!password) return std::unexpected(password.error());
                          if (auto ok = second_factor.Disable(ActorOf(p, req), *code, *password);
                              !ok) {
                              return std::unexpected(ok.error());
                          }
                          return TotpState(false);
                      }));
    router.Add(bhttp::verb::delete_, "/api/v1/users/{id}/totp",
               Authed(auth, Who::kAdmin,
                      [&second_factor](Request& req, const Principal& p) -> Result<Response> {
                          auto id = PathId(req);
                          if (!id) return std::unexpected(id.error());
                          if (auto ok = second_factor.Reset(ActorOf(p, req), *id); !ok) {
                              return std::unexpected(ok.error());
                          }
                          return TotpState(false);
                      }));
}

}  // namespace rqwatch::http
