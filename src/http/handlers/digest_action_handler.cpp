// GET /t/{token}: the confirmation page of a digest's one-click action (a
// GET never acts: link scanners open every URL of a mail); POST /t/{token}:
// does it (app/digest_actions.hpp). Plain HTML without scripts or styles,
// every value from the mail escaped; errors are pages too, with the status
// of the one error mapping.

#include <fmt/format.h>

#include <ctime>

#include "app/digest_actions.hpp"
#include "app/notifier.hpp"
#include "http/error_mapping.hpp"
#include "http/handlers/api_handlers.hpp"
#include "util/ids.hpp"

namespace rqwatch::http {
namespace {

Response Page(bhttp::status status, std::string_view title, const std::string& body_html) {
    Response r{status, "text/html; charset=utf-8", {}, {}, false};
    r.body = fmt::format(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        "<meta name=\"robots\" content=\"noindex\"><title>{0}</title></head>"
        "<body><h1>{0}</h1>\n{1}</body></html>\n",
        app::HtmlEscape(title), body_html);
    // The session's security headers (no-store, no-referrer, a CSP without
    // scripts) fit: the page has nothing but text and one form.
    return r;
}

Response ErrorPage(const Error& e) {
    return Page(StatusFor(e.code), "This link cannot be used",
                fmt::format("<p>{}</p>\n", app::HtmlEscape(e.public_msg)));
}

std::string Received(std::int64_t ms) {
    const std::time_t t = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    return std::string(buf, std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm));
}

std::int64_t NowS() { return util::NowUnixMs() / 1000; }

}  // namespace

void AddDigestActionRoutes(Router& router, app::DigestActions* actions) {
    router.Add(bhttp::verb::get, "/t/{token}", [actions](Request& req) {
        if (actions == nullptr) {
            return ErrorPage(Error{.code = ErrorCode::kNotFound,
                                   .public_msg = "One-click links are not enabled here."});
        }
        const std::string& token = req.path_params["token"];
        auto target = actions->Check(token, NowS());
        if (!target) return ErrorPage(target.error());
        const auto& m = target->mail;
        const bool release = target->claim.action == app::DigestAction::kRelease;
        const bool ask = release && target->release_is_request;
        const std::string question =
            ask ? fmt::format("Request the release of this message to {}? An administrator "
                              "decides; you will be told by mail.",
                              target->claim.recipient)
            : release ? fmt::format("Release this message to {}?", target->claim.recipient)
                      : std::string("Delete this message from the quarantine?");
        std::string body = fmt::format(
            "<p>{}</p>\n<table>"
            "<tr><th align=\"left\">From</th><td>{}</td></tr>"
            "<tr><th align=\"left\">Subject</th><td>{}</td></tr>"
            "<tr><th align=\"left\">Received</th><td>{}</td></tr></table>\n"
            "<form method=\"post\" action=\"/t/{}\"><button type=\"submit\">{}</button></form>\n",
            app::HtmlEscape(question),
            app::HtmlEscape(m.mime_from.empty() ? m.mail_from : m.mime_from),
            app::HtmlEscape(m.subject), Received(m.received_at), app::HtmlEscape(token),
            ask ? "Request release" : release ? "Release" : "Delete");
        return Page(bhttp::status::ok,
                    ask       ? "Request the release of a message"
                    : release ? "Release a message"
                              : "Delete a message",
                    body);
    });
    router.Add(bhttp::verb::post, "/t/{token}", [actions](Request& req) {
        if (actions == nullptr) {
            return ErrorPage(Error{.code = ErrorCode::kNotFound,
                                   .public_msg = "One-click links are not enabled here."});
        }
        auto done = actions->Act(req.path_params["token"], NowS(), req.client_ip);
        if (!done) return ErrorPage(done.error());
        return Page(bhttp::status::ok, "Done", fmt::format("<p>{}</p>\n", app::HtmlEscape(*done)));
    });
}

}  // namespace rqwatch::http
