// POST /api/v1/mails/{id}/release: deliver a quarantined mail through the
// SMTP relay to its original recipients and/or alternate addresses (the
// bulk form is POST /api/v1/mails/bulk with action "release").

#include "http/handlers/api_handlers.hpp"
#include "http/handlers/mail_route.hpp"
#include "http/json_response.hpp"
#include "http/release_json.hpp"

namespace rqwatch::http {

void AddReleaseRoutes(Router& router, app::MailRelease& release, RequestAuth& auth) {
    router.Add(bhttp::verb::post, "/api/v1/mails/{id}/release",
               ForMail(auth, [&release](Request& req, const Principal& who, std::int64_t id) {
                   auto body = JsonObjectBody(req, {"to_original", "alternates"});
                   if (!body) return JsonError(body.error(), req.request_id);
                   auto request = ReleaseRequestOf(*body);
                   if (!request) return JsonError(request.error(), req.request_id);
                   auto outcome = release.Release(
                       app::Releaser{ActorOf(who, req), who.MailScope()}, id, *request);
                   if (!outcome) return JsonError(outcome.error(), req.request_id);
                   return JsonOk(ReleaseOutcomeJson(*outcome));
               }));
}

}  // namespace rqwatch::http
