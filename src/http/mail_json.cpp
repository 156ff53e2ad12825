#include "http/mail_json.hpp"

#include <algorithm>
#include <string>

#include "util/json_string.hpp"

#include "core/html_scan.hpp"
#include "core/symbol_json.hpp"

namespace rqwatch::http {

using nlohmann::json;

namespace {
json Host(const app::HostInfo& h) {
    return {{"ip", h.ip},
            {"country", h.country},
            {"rdns", h.name ? json(*h.name) : json(nullptr)}};
}
json AttachmentJson(const Attachment& a) {
    return {{"filename", a.filename}, {"content_type", a.content_type}, {"size", a.size}};
}
}  // namespace

namespace {

using util::AppendJsonKey;
using util::AppendJsonNumber;
using util::AppendJsonString;

// One `"key":value` member; `first` is false after the first one.
class Members {
  public:
    explicit Members(std::string& out) : out_(out) {}
    std::string& Key(std::string_view key) {
        if (!first_) out_ += ',';
        first_ = false;
        AppendJsonKey(out_, key);
        return out_;
    }
    void String(std::string_view key, std::string_view v) { AppendJsonString(Key(key), v); }
    void Int(std::string_view key, std::int64_t v) { Key(key) += std::to_string(v); }
    void Bool(std::string_view key, bool v) { Key(key) += v ? "true" : "false"; }
    void OptionalInt(std::string_view key, const std::optional<std::int64_t>& v) {
        Key(key) += v ? std::to_string(*v) : "null";
    }

  private:
    std::string& out_;
    bool first_ = true;
};

// `[item,...]`, each written by `write(out, item)`.
template <class T, class Write>
void AppendArray(std::string& out, const std::vector<T>& list, Write write) {
    out += '[';
    for (std::size_t i = 0; i < list.size(); ++i) {
        if (i > 0) out += ',';
        write(out, list[i]);
    }
    out += ']';
}

void AppendAddress(std::string& out, const MailAddress& address) {
    out += '{';
    Members a(out);
    a.String("name", address.name);
    a.String("address", address.address);
    out += '}';
}

void AppendAttachment(std::string& out, const Attachment& att) {
    out += '{';
    Members a(out);
    a.String("filename", att.filename);
    a.String("content_type", att.content_type);
    a.Int("size", static_cast<std::int64_t>(att.size));
    out += '}';
}

}  // namespace

void AppendMailJson(std::string& out, const MailRecord& m) {
    out += '{';
    Members j(out);
    j.Int("id", m.id);
    j.String("spool_id", m.spool_id);
    j.Int("received_at", m.received_at);
    j.String("server", m.server);
    j.String("qid", m.qid);
    j.String("action", m.action);
    AppendJsonNumber(j.Key("score"), m.score);
    j.String("ip", m.ip);
    j.String("mail_from", m.mail_from);
    util::AppendJsonStringList(j.Key("rcpt_to"), m.rcpt_to);
    // Normalised, de-duplicated recipients: what per-user access is checked against.
    std::vector<std::string> recipients;
    for (const auto& r : m.rcpt_to) {
        auto n = NormalizeAddress(r);
        if (!n.empty() && std::find(recipients.begin(), recipients.end(), n) == recipients.end())
            recipients.push_back(std::move(n));
    }
    util::AppendJsonStringList(j.Key("recipients"), recipients);
    j.String("auth_user", m.auth_user);
    j.String("rspamd_server", m.rspamd_server);
    j.Int("scan_time_ms", m.scan_time_ms);
    AppendSymbolsJson(j.Key("symbols"), m.symbols);
    // Rspamd's own JSON, kept as sent when it is JSON at all.
    j.Key("fuzzy") += json::accept(m.fuzzy_json) ? std::string_view(m.fuzzy_json) : "null";
    j.String("subject", m.subject);
    j.String("mime_from", m.mime_from);
    j.String("mime_from_addr", m.mime_from_addr);
    AppendArray(j.Key("mime_to"), m.mime_to, AppendAddress);
    AppendArray(j.Key("mime_cc"), m.mime_cc, AppendAddress);
    j.String("message_id", m.message_id);
    j.OptionalInt("mail_date", m.mail_date);
    j.Int("size", static_cast<std::int64_t>(m.size));
    j.Bool("has_virus", m.has_virus);
    j.String("virus", m.virus);
    j.String("country", m.country);
    j.Bool("stored", m.stored);
    j.String("quarantine_path", m.quarantine_path);
    j.Bool("purged", m.purged);
    AppendArray(j.Key("attachments"), m.attachments, AppendAttachment);
    j.Bool("notified", m.notified);
    j.OptionalInt("notify_date", m.notify_date);
    j.Bool("released", m.released);
    j.OptionalInt("release_date", m.release_date);
    out += '}';
}

json MailToJson(const MailRecord& m) {
    std::string text;
    AppendMailJson(text, m);
    return json::parse(text);
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
