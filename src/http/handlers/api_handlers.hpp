#pragma once
// Registers the buffered (non-ingest) routes: health and the mail API.

#include <functional>
#include <nlohmann/json.hpp>

#include "app/ports/mail_repo.hpp"
#include "app/ports/mail_reports.hpp"
#include "http/admin_auth.hpp"
#include "http/router.hpp"

namespace rqwatch::http {

// Produces the body of GET /healthz (spool backlog, importer counters).
using HealthProbe = std::function<nlohmann::json()>;

void AddHealthRoutes(Router& router, HealthProbe probe);
void AddMailRoutes(Router& router, app::MailRepo& mails, BasicAuthenticator& auth);
void AddReportRoutes(Router& router, app::MailReports& reports, BasicAuthenticator& auth);

}  // namespace rqwatch::http
