#include "app/mail_viewer.hpp"

#include <algorithm>
#include <map>

#include "core/mail_scope.hpp"
#include "core/received_relays.hpp"

namespace rqwatch::app {

MailViewer::MailViewer(MailRepo& mails, BlobStore& blobs, MailContentParser& parser,
                       const GeoIp* geo, ReverseDns* dns, RemoteNode* remote,
                       ViewerOptions options)
    : mails_(mails), blobs_(blobs), parser_(parser), geo_(geo), dns_(dns), remote_(remote),
      options_(std::move(options)) {}

Result<MailRecord> MailViewer::Find(const Scope& scope, std::int64_t id) {
    auto mail = mails_.Get(id);
    if (!mail) return mail;
    if (scope && !InScope(mail->rcpt_to, *scope)) {
        return Fail(ErrorCode::kNotFound, "no such mail");
    }
    return mail;
}

Result<MailDetail> MailViewer::Detail(const Scope& scope, std::int64_t id) {
    auto mail = Find(scope, id);
    if (!mail) return std::unexpected(mail.error());
    MailDetail d;
    d.headers = parser_.HeaderFields(mail->headers);
    std::vector<std::string> ips = RelayIps(d.headers);
    if (!mail->ip.empty()) ips.insert(ips.begin(), mail->ip);
    std::vector<HostInfo> hosts = Hosts(ips);
    if (!mail->ip.empty()) {
        d.sender = std::move(hosts.front());
        hosts.erase(hosts.begin());
    }
    d.relays = std::move(hosts);
    d.content_available = mail->stored && !mail->purged;
    SortSymbolsForDisplay(*mail);
    if (scope) mail->rcpt_to = RecipientsInScope(mail->rcpt_to, *scope);
    d.mail = std::move(*mail);
    return d;
}

std::vector<HostInfo> MailViewer::Hosts(const std::vector<std::string>& ips) {
    std::map<std::string, std::string> names;
    if (dns_ != nullptr && !ips.empty()) names = dns_->Lookup(ips, options_.dns_wait);
    std::vector<HostInfo> out;
    out.reserve(ips.size());
    for (const std::string& ip : ips) {
        HostInfo h{ip, geo_ != nullptr ? geo_->CountryOf(ip) : std::string(), std::nullopt};
        if (auto it = names.find(ip); it != names.end()) h.name = it->second;
        else if (dns_ == nullptr) h.name = "";
        out.push_back(std::move(h));
    }
    return out;
}

Result<std::string> MailViewer::ReadQuarantined(const MailRecord& mail, bool allow_remote) {
    if (!mail.stored) return Fail(ErrorCode::kNotFound, "this mail was not kept in the quarantine");
    if (mail.purged) return Fail(ErrorCode::kNotFound, "this mail has been deleted from the quarantine");
    auto bytes = blobs_.Read(mail.quarantine_path, kMaxViewedMailBytes);
    if (!bytes && bytes.error().code == ErrorCode::kNotFound && allow_remote &&
        mail.server != options_.local_node) {
        // Distributed mode: the raw mail stays on the disk of the node that
        // took it in (DESIGN.md), which hands it out to the web nodes.
        if (remote_ != nullptr) return remote_->FetchRaw(mail.server, mail.id);
        return Fail(ErrorCode::kUnavailable,
                    "this mail is kept on node \"" + mail.server + "\", not on this one");
    }
    return bytes;
}

Result<RawMail> MailViewer::Raw(const Scope& scope, std::int64_t id) {
    auto mail = Find(scope, id);
    if (!mail) return std::unexpected(mail.error());
    auto bytes = ReadQuarantined(*mail, /*allow_remote=*/true);
    if (!bytes) return std::unexpected(bytes.error());
    return RawMail{std::move(*mail), std::move(*bytes)};
}

Result<RawMail> MailViewer::LocalRaw(std::int64_t id) {
    auto mail = mails_.Get(id);
    if (!mail) return std::unexpected(mail.error());
    auto bytes = ReadQuarantined(*mail, /*allow_remote=*/false);
    if (!bytes) return std::unexpected(bytes.error());
    return RawMail{std::move(*mail), std::move(*bytes)};
}

Result<ViewedBody> MailViewer::Body(const Scope& scope, std::int64_t id) {
    auto raw = Raw(scope, id);
    if (!raw) return std::unexpected(raw.error());
    MailBody body = parser_.Body(raw->bytes);
    return ViewedBody{std::move(raw->mail), std::move(body)};
}

Result<AttachmentContent> MailViewer::Attachment(const Scope& scope, std::int64_t id,
                                                 std::size_t index) {
    auto raw = Raw(scope, id);
    if (!raw) return std::unexpected(raw.error());
    auto found = parser_.AttachmentAt(raw->bytes, index);
    if (!found) return Fail(ErrorCode::kNotFound, "no such attachment");
    return std::move(*found);
}

void SortSymbolsForDisplay(MailRecord& mail) {
    const bool positive = mail.score > 0;
    std::stable_sort(mail.symbols.begin(), mail.symbols.end(),
                     [positive](const Symbol& a, const Symbol& b) {
                         return positive ? a.score > b.score : a.score < b.score;
                     });
}

}  // namespace rqwatch::app
