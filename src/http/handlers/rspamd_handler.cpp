// Training Rspamd and its numbers (administrators only):
//   POST /api/v1/mails/{id}/learn {"as": "spam" | "ham"}
//   GET  /api/v1/rspamd/stats (from the in-memory cache of app::RspamdStats)
// The bulk form of learning is POST /api/v1/mails/bulk with action "learn".

#include "app/rspamd_stats.hpp"
#include "http/handlers/api_handlers.hpp"
#include "http/handlers/authed_route.hpp"
#include "http/json_body.hpp"
#include "http/json_response.hpp"
#include "http/learn_json.hpp"

namespace rqwatch::http {

using nlohmann::json;

void AddLearnRoutes(Router& router, app::MailLearning& learning, RequestAuth& auth) {
    router.Add(bhttp::verb::post, "/api/v1/mails/{id}/learn",
               Authed(auth, Who::kAdmin,
                      [&learning](Request& req, const Principal& who) -> Result<Response> {
                          auto id = PathId(req);
                          if (!id) return std::unexpected(id.error());
                          auto body = JsonObjectBody(req, {"as"});
                          if (!body) return std::unexpected(body.error());
                          auto as = OptionalString(*body, "as", 16);
                          if (!as) return std::unexpected(as.error());
                          auto outcome = learning.Learn(ActorOf(who, req), who.MailScope(), *id,
                                                        as->value_or(""));
                          if (!outcome) return std::unexpected(outcome.error());
                          return JsonOk(LearnOutcomeJson(*outcome));
                      }));
}

void AddRspamdStatsRoutes(Router& router, app::RspamdStats* stats, RequestAuth& auth) {
    router.Add(bhttp::verb::get, "/api/v1/rspamd/stats",
               Authed(auth, Who::kAdmin, [stats](Request&, const Principal&) -> Result<Response> {
                   json nodes = json::array();
                   if (stats != nullptr) {
                       for (const app::RspamdNodeStats& s : stats->Snapshot()) {
                           nodes.push_back({{"node", s.node},
                                            {"ok", s.ok},
                                            {"error", s.ok ? json() : json(s.error)},
                                            {"fetched_at", s.fetched_at ? json(s.fetched_at)
                                                                        : json()},
                                            {"version", s.version},
                                            {"uptime", s.uptime_s},
                                            {"scanned", s.scanned},
                                            {"learned", s.learned},
                                            {"actions", s.actions}});
                       }
                   }
                   return JsonOk(json{{"nodes", std::move(nodes)}});
               }));
}

}  // namespace rqwatch::http
