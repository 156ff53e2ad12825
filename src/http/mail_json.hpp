#pragma once
// The API representation of a stored mail (snake_case JSON).

#include <nlohmann/json.hpp>
#include <string>

#include "app/mail_viewer.hpp"
#include "core/mail.hpp"
#include "core/mail_content.hpp"

namespace rqwatch::http {

// Written as text, without a DOM: a list page has up to 1,000 of them.
void AppendMailJson(std::string& out, const MailRecord& m);
[[nodiscard]] nlohmann::json MailToJson(const MailRecord& m);
// A mail's detail view: MailToJson plus header fields, sender and relays.
[[nodiscard]] nlohmann::json MailDetailToJson(const app::MailDetail& d);
// What the viewer shows of the body: text, whether there is HTML (fetched
// separately, sandboxed) and the attachments by index.
[[nodiscard]] nlohmann::json MailBodyToJson(const MailBody& body,
                                            const std::vector<Attachment>& attachments);

}  // namespace rqwatch::http
