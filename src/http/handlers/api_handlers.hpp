#pragma once
// Registers the buffered (non-ingest) routes: health, sessions and the mail API.

#include <functional>
#include <nlohmann/json.hpp>

#include "app/alias_admin.hpp"
#include "app/api_tokens.hpp"
#include "app/digest_actions.hpp"
#include "app/impersonation.hpp"
#include "app/login.hpp"
#include "app/logout.hpp"
#include "app/mail_deletion.hpp"
#include "app/mail_release.hpp"
#include "app/map_editor.hpp"
#include "app/map_publisher.hpp"
#include "app/mail_viewer.hpp"
#include "app/oidc_login.hpp"
#include "app/ports/audit_log.hpp"
#include "app/ports/mail_repo.hpp"
#include "app/ports/mail_reports.hpp"
#include "app/profile.hpp"
#include "app/release_requests.hpp"
#include "app/second_factor.hpp"
#include "app/session_service.hpp"
#include "app/user_admin.hpp"
#include "core/cidr.hpp"
#include "http/request_auth.hpp"
#include "http/router.hpp"
#include "http/web_assets.hpp"

namespace rqwatch::app {
class MailLearning;
class RspamdStats;
}  // namespace rqwatch::app

namespace rqwatch::http {

// Produces the body of GET /healthz (spool backlog, importer counters).
using HealthProbe = std::function<nlohmann::json()>;

void AddHealthRoutes(Router& router, HealthProbe probe);
// Admins see all mail; everybody else the mail of their addresses (the
// scope is part of every query; another user's mail is "not found").
// `learning` null: the bulk action "learn" answers 503 for each mail.
// A user's release is a request in request mode (`requests`).
void AddMailRoutes(Router& router, app::MailRepo& mails, app::MailViewer& viewer,
                   app::MailDeletion& deletion, app::MailRelease& release,
                   app::ReleaseRequests& requests, app::MailLearning* learning,
                   RequestAuth& auth);
// Releasing one mail through the SMTP relay, in the same scope (or asking
// for it, in request mode).
void AddReleaseRoutes(Router& router, app::ReleaseRequests& requests, RequestAuth& auth);
// Release requests: asked by users, decided by administrators.
void AddReleaseRequestRoutes(Router& router, app::ReleaseRequests& requests, RequestAuth& auth);
// GET/POST /t/{token}: the digests' one-click actions; `actions` null: off (404).
void AddDigestActionRoutes(Router& router, app::DigestActions* actions);
// Training Rspamd (administrators only; rspamd_handler.cpp).
void AddLearnRoutes(Router& router, app::MailLearning& learning, RequestAuth& auth);
// The controllers' numbers from the background cache; `stats` null: no controllers.
void AddRspamdStatsRoutes(Router& router, app::RspamdStats* stats, RequestAuth& auth);
// Raw source, bodies and attachments of a quarantined mail, in the same scope.
void AddMailContentRoutes(Router& router, app::MailViewer& viewer, RequestAuth& auth);

struct NodeApiSettings {
    std::string secret;      // "" = the node routes answer 404
    std::vector<Cidr> allow;  // the web nodes' addresses
};
// What this node hands out to other rqwatch nodes (node_handler.cpp).
void AddNodeRoutes(Router& router, app::MailViewer& viewer, app::MailDeletion& deletion,
                   NodeApiSettings settings);
void AddReportRoutes(Router& router, app::MailReports& reports, RequestAuth& auth);
// Administrators only.
void AddAuditRoutes(Router& router, app::AuditLog& audit, RequestAuth& auth);
void AddSessionRoutes(Router& router, app::Login& login, app::SessionService& sessions,
                      app::Logout& logout, app::Impersonation& impersonation,
                      RequestAuth& auth);
// The answer to a request that started a new session for this browser: its
// principal (with the CSRF token) and the cookie.
[[nodiscard]] Response Started(RequestAuth& auth, const app::IssuedSession& issued);
// OpenID Connect login (start, callback) and the login methods on offer;
// `oidc` null: not configured (the two login routes answer 404).
void AddOidcRoutes(Router& router, app::OidcLogin* oidc, app::SessionService& sessions,
                   RequestAuth& auth, CookieOptions cookie);
// Accounts and aliases; administrators only.
void AddUserAdminRoutes(Router& router, app::UserAdmin& users, app::AliasAdmin& aliases,
                        app::Impersonation& impersonation, RequestAuth& auth);
// The user's own profile and password.
void AddProfileRoutes(Router& router, app::Profile& profile, RequestAuth& auth);
// Personal API tokens (one's own; administrators also any user's).
void AddTokenRoutes(Router& router, app::ApiTokens& tokens, RequestAuth& auth);
// The TOTP second factor (one's own; an administrator's reset).
void AddTotpRoutes(Router& router, app::SecondFactor& second_factor, RequestAuth& auth);
// The web UI: `/`, `/{page}` (index.html) and `/assets/{file}`; `assets`
// must outlive the router. Add it last: literal routes such as /healthz win.
void AddWebRoutes(Router& router, const WebAssets& assets);

// Who may read /maps/<name>.txt (Rspamd): an address allow-list and,
// when `password` is set, HTTP Basic.
struct MapReaderSettings {
    std::vector<Cidr> allow;
    std::string username;
    std::string password;
};
// The map API (/api/v1/maps…) and the map files Rspamd polls.
void AddMapRoutes(Router& router, app::MapEditor& editor, app::MapPublisher& publisher,
                  RequestAuth& auth, MapReaderSettings reader);

}  // namespace rqwatch::http
