// POST /api/v1/mails/{id}/release: deliver a quarantined mail through the
// SMTP relay to its original recipients and/or alternate addresses (the
// bulk form is POST /api/v1/mails/bulk with action "release"). With
// release.user_release = "request" a user's call makes a release request
// instead (202).

#include "http/handlers/api_handlers.hpp"
#include "http/handlers/mail_route.hpp"
#include "http/json_response.hpp"
#include "http/release_json.hpp"

namespace rqwatch::http {

void AddReleaseRoutes(Router& router, app::ReleaseRequests& requests, RequestAuth& auth) {
    router.Add(bhttp::verb::post, "/api/v1/mails/{id}/release",
               ForMail(auth, [&requests](Request& req, const Principal& who, std::int64_t id) {
                   auto body = JsonObjectBody(req, {"to_original", "alternates"});
                   if (!body) return JsonError(body.error(), req.request_id);
                   auto request = ReleaseRequestOf(*body);
                   if (!request) return JsonError(request.error(), req.request_id);
                   auto outcome = requests.ReleaseOrRequest(RequesterOf(who, req),
                                                            who.user.is_admin, id, *request);
                   if (!outcome) return JsonError(outcome.error(), req.request_id);
                   return JsonResponse(outcome->requested ? bhttp::status::accepted
                                                          : bhttp::status::ok,
                                       ReleaseOrRequestJson(*outcome));
               }));
}

}  // namespace rqwatch::http
