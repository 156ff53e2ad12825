// What is inside a quarantined mail: its raw source, its bodies and its
// attachments. Mail content is hostile: nothing here is ever rendered as
// our own origin. Downloads are application/octet-stream attachments under
// a sandbox CSP; the HTML body is served under a CSP that sandboxes it
// (no script, an opaque origin, no forms) and blocks everything remote
// unless the reader asks for it.

#include <string>

#include "http/content_disposition.hpp"
#include "http/error_mapping.hpp"
#include "http/handlers/api_handlers.hpp"
#include "http/handlers/mail_route.hpp"
#include "http/json_body.hpp"
#include "http/json_response.hpp"
#include "http/mail_json.hpp"
#include "http/search_params.hpp"

namespace rqwatch::http {
namespace {

// The viewer frames the HTML body from our own pages (frame-ancestors
// 'self'); links open outside the sandbox, in a new tab.
std::string HtmlPolicy(bool remote) {
    const std::string net = remote ? " https: http:" : "";
    return "default-src 'none'; style-src 'unsafe-inline'" + net + "; img-src data:" + net +
           "; font-src data:" + net + "; media-src data:" + net +
           "; form-action 'none'; base-uri 'none'; frame-ancestors 'self'; "
           "sandbox allow-popups allow-popups-to-escape-sandbox";
}

}  // namespace

void AddMailContentRoutes(Router& router, app::MailViewer& viewer, RequestAuth& auth) {
    router.Add(bhttp::verb::get, "/api/v1/mails/{id}/raw",
               ForMail(auth, [&viewer](Request& req, const Principal& who, std::int64_t id) {
        auto raw = viewer.Raw(who.MailScope(), id);
        if (!raw) return JsonError(raw.error(), req.request_id);
        const std::string name = "mail-" + std::to_string(id) + ".eml";
        return Download(std::move(raw->bytes), AttachmentDisposition(name, name));
    }));
    router.Add(bhttp::verb::get, "/api/v1/mails/{id}/body",
               ForMail(auth, [&viewer](Request& req, const Principal& who, std::int64_t id) {
        auto viewed = viewer.Body(who.MailScope(), id);
        if (!viewed) return JsonError(viewed.error(), req.request_id);
        return JsonOk(MailBodyToJson(viewed->body, viewed->mail.attachments));
    }));
    router.Add(bhttp::verb::get, "/api/v1/mails/{id}/html",
               ForMail(auth, [&viewer](Request& req, const Principal& who, std::int64_t id) {
        auto remote = IntParam(req, "remote", 0, 1);
        if (!remote) return JsonError(remote.error(), req.request_id);
        auto viewed = viewer.Body(who.MailScope(), id);
        if (!viewed) return JsonError(viewed.error(), req.request_id);
        if (!viewed->body.html) {
            return JsonError(Error{ErrorCode::kNotFound, "this mail has no HTML part", {}},
                             req.request_id);
        }
        Response r{bhttp::status::ok, "text/html; charset=utf-8",
                   "<base target=\"_blank\">" + std::move(*viewed->body.html), {}, false};
        r.headers.emplace_back("Content-Security-Policy", HtmlPolicy(remote->value_or(0) == 1));
        r.headers.emplace_back("X-Frame-Options", "SAMEORIGIN");
        return r;
    }));
    router.Add(bhttp::verb::get, "/api/v1/mails/{id}/attachments/{index}",
               ForMail(auth, [&viewer](Request& req, const Principal& who, std::int64_t id) {
                   auto index = ParseInteger(req.path_params["index"]);
                   if (!index || *index < 0 || *index >= 100000) {
                       return JsonError(Error{ErrorCode::kInvalidArgument,
                                              "index must be an attachment number from 0", {}},
                                        req.request_id);
                   }
                   auto found = viewer.Attachment(who.MailScope(), id,
                                                  static_cast<std::size_t>(*index));
                   if (!found) return JsonError(found.error(), req.request_id);
                   const std::string fallback =
                       "attachment-" + std::to_string(id) + "-" + std::to_string(*index);
                   return Download(std::move(found->bytes),
                                   AttachmentDisposition(found->meta.filename, fallback));
               }));
}

}  // namespace rqwatch::http
