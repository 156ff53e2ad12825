#pragma once
// Use case: one mail as its viewer shows it: metadata, decoded header
// fields, symbols by weight, the sender and relay addresses with country and
// host name; and, for a mail kept in the quarantine, its raw source, its
// bodies and its attachments.
//
// Every call takes the caller's mail scope (core/mail_scope.hpp; nullopt for
// administrators). A mail outside it does not exist for the caller: the
// answer is the same kNotFound as for an unknown id, so ids reveal nothing.
// Blocking (SQL, file, GMime, waiting up to dns_wait for host names): run
// on a worker thread.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/ports/blob_store.hpp"
#include "app/ports/geo_ip.hpp"
#include "app/ports/mail_content_parser.hpp"
#include "app/ports/mail_repo.hpp"
#include "app/ports/remote_node.hpp"
#include "app/ports/reverse_dns.hpp"
#include "core/error.hpp"
#include "core/mail.hpp"
#include "core/mail_content.hpp"

namespace rqwatch::app {

using Scope = std::optional<std::vector<std::string>>;

// Largest quarantined file read for a view (the ingest limit is lower).
inline constexpr std::uint64_t kMaxViewedMailBytes = 256ull * 1024 * 1024;

struct HostInfo {
    std::string ip;
    std::string country;              // ISO code; "" unknown or not public
    std::optional<std::string> name;  // reverse DNS; "" none; nullopt still resolving
};

struct MailDetail {
    MailRecord mail;  // symbols sorted for display (SortSymbolsForDisplay)
    std::vector<HeaderField> headers;
    std::optional<HostInfo> sender;  // the IP Rspamd saw, when known
    std::vector<HostInfo> relays;    // from Received:, newest hop first
    bool content_available = false;  // kept and not deleted: raw, bodies, attachments
};

struct RawMail {
    MailRecord mail;
    std::string bytes;
};

struct ViewedBody {
    MailRecord mail;
    MailBody body;
};

struct ViewerOptions {
    std::string local_node;  // this node's name: mails of other nodes are not on this disk
    // Workers wait this long for host names; the rest arrive with a later view.
    std::chrono::milliseconds dns_wait{300};
};

class MailViewer {
  public:
    // `geo`, `dns` and `remote` may be null (no GeoIP database; no host
    // names; no other nodes to read mail from).
    MailViewer(MailRepo& mails, BlobStore& blobs, MailContentParser& parser, const GeoIp* geo,
               ReverseDns* dns, RemoteNode* remote, ViewerOptions options);

    [[nodiscard]] Result<MailRecord> Find(const Scope& scope, std::int64_t id);
    [[nodiscard]] Result<MailDetail> Detail(const Scope& scope, std::int64_t id);
    // kNotFound when the mail was never kept, or has been deleted since;
    // kUnavailable when it is kept on another node that cannot be asked.
    // A mail of another node (`server`) whose file is not here is fetched
    // from that node (RemoteNode).
    [[nodiscard]] Result<RawMail> Raw(const Scope& scope, std::int64_t id);
    // The raw mail from this node's own quarantine only, for any caller:
    // what this node serves to the other nodes (they check the user).
    [[nodiscard]] Result<RawMail> LocalRaw(std::int64_t id);
    [[nodiscard]] Result<ViewedBody> Body(const Scope& scope, std::int64_t id);
    // `index` as in MailRecord::attachments.
    [[nodiscard]] Result<AttachmentContent> Attachment(const Scope& scope, std::int64_t id,
                                                       std::size_t index);

  private:
    std::vector<HostInfo> Hosts(const std::vector<std::string>& ips);
    Result<std::string> ReadQuarantined(const MailRecord& mail, bool allow_remote);

    MailRepo& mails_;
    BlobStore& blobs_;
    MailContentParser& parser_;
    const GeoIp* geo_;
    ReverseDns* dns_;
    RemoteNode* remote_;
    ViewerOptions options_;
};

// Highest weight first when the mail scored positive, else the most negative
// first (the old system's order): what moved the verdict comes first.
void SortSymbolsForDisplay(MailRecord& mail);

}  // namespace rqwatch::app
