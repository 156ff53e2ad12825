#include "http/mail_json.hpp"

#include <set>

#include "core/html_scan.hpp"
#include "core/symbol_json.hpp"

namespace rqwatch::http {

using nlohmann::json;

namespace {
json Addresses(const std::vector<MailAddress>& list) {
    json out = json::array();
    for (const auto& a : list) out.push_back({{"name", a.name}, {"address", a.address}});
    return out;
}
json Optional(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }
json Host(const app::HostInfo& h) {
    return {{"ip", h.ip},
            {"country", h.country},
            {"rdns", h.name ? json(*h.name) : json(nullptr)}};
}
json AttachmentJson(const Attachment& a) {
    return {{"filename", a.filename}, {"content_type", a.content_type}, {"size", a.size}};
}
}  // namespace

json MailToJson(const MailRecord& m) {
    json attachments = json::array();
    for (const auto& a : m.attachments) attachments.push_back(AttachmentJson(a));
    // Normalised, de-duplicated recipients: what per-user access is checked against.
    std::set<std::string> seen;
    json recipients = json::array();
    for (const auto& r : m.rcpt_to) {
        auto n = NormalizeAddress(r);
        if (!n.empty() && seen.insert(n).second) recipients.push_back(n);
    }
    return {{"id", m.id},
            {"spool_id", m.spool_id},
            {"received_at", m.received_at},
            {"server", m.server},
            {"qid", m.qid},
            {"action", m.action},
            {"score", m.score},
            {"ip", m.ip},
            {"mail_from", m.mail_from},
            {"rcpt_to", m.rcpt_to},
            {"recipients", std::move(recipients)},
            {"auth_user", m.auth_user},
            {"rspamd_server", m.rspamd_server},
            {"scan_time_ms", m.scan_time_ms},
            {"symbols", SymbolsToJson(m.symbols)},
            {"fuzzy", json::parse(m.fuzzy_json, nullptr, false)},
            {"subject", m.subject},
            {"mime_from", m.mime_from},
            {"mime_from_addr", m.mime_from_addr},
            {"mime_to", Addresses(m.mime_to)},
            {"mime_cc", Addresses(m.mime_cc)},
            {"message_id", m.message_id},
            {"mail_date", Optional(m.mail_date)},
            {"size", m.size},
            {"has_virus", m.has_virus},
            {"virus", m.virus},
            {"country", m.country},
            {"stored", m.stored},
            {"quarantine_path", m.quarantine_path},
            {"purged", m.purged},
            {"attachments", std::move(attachments)},
            {"notified", m.notified},
            {"notify_date", Optional(m.notify_date)},
            {"released", m.released},
            {"release_date", Optional(m.release_date)}};
}

json MailDetailToJson(const app::MailDetail& d) {
    json j = MailToJson(d.mail);
    json headers = json::array();
    for (const HeaderField& h : d.headers) headers.push_back({{"name", h.name}, {"value", h.value}});
    json relays = json::array();
    for (const app::HostInfo& h : d.relays) relays.push_back(Host(h));
    j["headers"] = std::move(headers);
    j["sender"] = d.sender ? Host(*d.sender) : json(nullptr);
    j["relays"] = std::move(relays);
    j["content_available"] = d.content_available;
    return j;
}

json MailBodyToJson(const MailBody& body, const std::vector<Attachment>& attachments) {
    json list = json::array();
    for (std::size_t i = 0; i < attachments.size(); ++i) {
        json a = AttachmentJson(attachments[i]);
        a["index"] = i;
        list.push_back(std::move(a));
    }
    return {{"text", body.text ? json(*body.text) : json(nullptr)},
            {"text_truncated", body.text_truncated},
            {"html", body.html.has_value()},
            {"html_truncated", body.html_truncated},
            {"remote_content", body.html && HasRemoteContent(*body.html)},
            {"attachments", std::move(list)}};
}

}  // namespace rqwatch::http
