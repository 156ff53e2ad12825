#pragma once
// Use case: release a quarantined mail: deliver it through the SMTP relay,
// one transaction per recipient (nobody sees who else got it), to the
// mail's original recipients and/or alternate addresses.
//
// Two modes: `original` hands over the quarantined file byte for byte with
// one trace header (X-Rqwatch-Released) and the optional bypass header put
// in front, so the copy keeps its Received trail and spam report;
// `attachment` sends a new mail from `from` with the original attached as
// message/rfc822 (the old system's way).
//
// An administrator releases any mail to any address. Everybody else only a
// mail of their scope (else "not found", as in the viewer), to original
// recipients in their scope only (never a co-recipient) and to alternate
// addresses in their scope (their address, aliases, admin domains).
// Every attempt is recorded per recipient (MailActionRepo); the mail counts
// as released once a copy was delivered. Audited.
// Blocking (SQL, file, SMTP): run on a worker thread.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/audit_trail.hpp"
#include "app/mail_viewer.hpp"
#include "app/ports/mail_action_repo.hpp"
#include "app/ports/mail_sender.hpp"

namespace rqwatch::app {

// Most alternate addresses in one request.
inline constexpr std::size_t kMaxReleaseAlternates = 20;

enum class ReleaseMode { kOriginal, kAttachment };

struct ReleaseOptions {
    ReleaseMode mode = ReleaseMode::kOriginal;
    std::string from;           // envelope sender; also From: of the attachment mode
    std::string bypass_header;  // "Name: value" put in front so the relay does not rescan; "" none
};

struct Releaser {
    Actor actor;
    Scope scope;  // nullopt: an administrator
};

struct ReleaseRequest {
    bool to_original = false;
    std::vector<std::string> alternates;
};

// Where a release would go, checked as Release checks it (for a request
// that is released later).
struct ReleaseTargets {
    MailRecord mail;
    std::vector<std::string> recipients;
};

struct ReleaseOutcome {
    std::int64_t id = 0;
    std::vector<std::string> delivered_to;
};

class MailRelease {
  public:
    using Clock = AuditTrail::Clock;
    // `sender` null: release is not configured (every call kUnavailable).
    MailRelease(MailViewer& viewer, MailSender* sender, MailActionRepo& actions, AuditLog& audit,
                ReleaseOptions options, Clock clock = {});

    // kInvalidArgument for a request without recipients or with a bad
    // address; kNotFound outside the scope or when the mail is not kept
    // (any more); kPermissionDenied for an address outside the caller's
    // scope; kUnavailable when release is off, the mail's node or the relay
    // cannot be reached or the relay refuses (the detail says which;
    // copies delivered before the failure stay recorded).
    [[nodiscard]] Result<ReleaseOutcome> Release(const Releaser& who, std::int64_t id,
                                                 const ReleaseRequest& request);
    // The checks of Release without sending: the mail and the addresses a
    // release would go to (the same errors, kUnavailable only when release
    // is off).
    [[nodiscard]] Result<ReleaseTargets> Targets(const Releaser& who, std::int64_t id,
                                                 const ReleaseRequest& request);
    // The releases of a mail; a non-admin (`scope` set) sees only those to
    // their own addresses, not where the other recipients had theirs sent.
    [[nodiscard]] Result<std::vector<ReleaseRecord>> History(
        const Scope& scope, std::int64_t id);
    [[nodiscard]] bool Enabled() const { return sender_ != nullptr; }

  private:
    Result<std::vector<std::string>> Recipients(const Releaser& who, const MailRecord& mail,
                                                const ReleaseRequest& request) const;

    MailViewer& viewer_;
    MailSender* sender_;
    MailActionRepo& actions_;
    ReleaseOptions options_;
    Clock clock_;
    AuditTrail audit_;
};

// The message sent to one recipient (exposed for tests). `trace` is the
// value of X-Rqwatch-Released.
[[nodiscard]] std::string ComposeRelease(const ReleaseOptions& options, const MailRecord& mail,
                                         const std::string& raw, const std::string& to,
                                         const std::string& trace, std::int64_t now_ms);

}  // namespace rqwatch::app
