#pragma once
// Use case: release requests (issue 7 item 3). With release.user_release =
// "request" a user does not release quarantined mail themself: they ask
// (Create), an administrator approves (the release happens then, through
// MailRelease, to the addresses asked for) or refuses, the requester may
// cancel while it is pending, and the requester is told of the decision by
// mail. The addresses are checked when the request is made, with
// MailRelease's rules (only the requester's own addresses), so an approval
// cannot widen them. One pending request per mail and requester.
// A notice that cannot be sent is logged, never undoes a decision.
// Every step is audited. Blocking (SQL, SMTP): run on a worker thread.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/audit_trail.hpp"
#include "app/mail_release.hpp"
#include "app/ports/mail_sender.hpp"
#include "app/ports/release_request_repo.hpp"

namespace rqwatch::app {

// What a non-administrator's release does (release.user_release).
enum class UserRelease { kDirect, kRequest, kOff };

// Longest comment of a request and reason of a refusal, in bytes.
inline constexpr std::size_t kMaxRequestText = 1000;

struct ReleaseRequestOptions {
    UserRelease user_release = UserRelease::kDirect;
    std::vector<std::string> notify;  // administrators told of each new request
    std::string from;                 // sender of the notices (release.from)
    std::string base_url;             // the web UI for links in notices; "" none
};

struct Requester {
    Actor actor;            // id 0 for a digest's link
    Scope scope;            // the requester's mail scope (never nullopt here)
    std::string notice_to;  // where the decision is mailed; "" nowhere
};

// What a release call did: released, or (request mode) asked.
struct ReleaseOrRequestOutcome {
    std::optional<ReleaseOutcome> released;
    std::optional<ReleaseRequestRecord> requested;
};

class ReleaseRequests {
  public:
    using Clock = AuditTrail::Clock;
    // `sender` null: no notices (release is off then anyway).
    ReleaseRequests(MailRelease& release, ReleaseRequestRepo& repo, MailSender* sender,
                    AuditLog& audit, ReleaseRequestOptions options, Clock clock = {});

    [[nodiscard]] UserRelease Mode() const { return options_.user_release; }

    // kPermissionDenied ("release_requests_off") unless in request mode;
    // MailRelease's errors for the mail and addresses; kInvalidArgument for
    // a comment that is too long, not UTF-8 or holds control characters;
    // kConflict when the requester has one pending for the mail already.
    [[nodiscard]] Result<ReleaseRequestRecord> Create(const Requester& who, std::int64_t mail_id,
                                                      const ReleaseRequest& request,
                                                      std::string comment);
    // A release as the mode says: administrators (`admin`) and everybody in
    // direct mode release; in request mode a user's call makes a request
    // (without comment); off: kPermissionDenied ("release_off").
    [[nodiscard]] Result<ReleaseOrRequestOutcome> ReleaseOrRequest(const Requester& who, bool admin,
                                                                   std::int64_t mail_id,
                                                                   const ReleaseRequest& request);
    // `mine`: only the requests of `user_id` (users); else all (administrators).
    [[nodiscard]] Result<std::vector<ReleaseRequestRecord>> List(ReleaseRequestQuery query,
                                                                 bool mine, std::int64_t user_id);
    // Administrators. kNotFound; kConflict unless pending; kUnavailable when
    // the relay is down or refuses (the request stays pending).
    [[nodiscard]] Result<ReleaseRequestRecord> Approve(const Actor& admin, std::int64_t id);
    [[nodiscard]] Result<ReleaseRequestRecord> Refuse(const Actor& admin, std::int64_t id,
                                                      std::string reason);
    // The requester only (anybody else: kNotFound, as for a request they
    // cannot see); kConflict unless pending.
    [[nodiscard]] Result<ReleaseRequestRecord> Cancel(const Actor& who, std::int64_t id);
    // The requester's pending request for a mail (the mail detail).
    [[nodiscard]] Result<std::optional<ReleaseRequestRecord>> PendingOf(
        std::int64_t mail_id, const std::string& requester);
    [[nodiscard]] Result<std::int64_t> CountPending();

    // Approvals whose release never finished (the process died between
    // taking the request and sending: the request says approved, but some of
    // its addresses have no delivered release since it was asked) go back to
    // pending, audited, so that an administrator sees and approves them again
    // (only to the addresses not reached). Approvals younger than
    // kInterruptedGraceMs may still be sending and are left alone; requests
    // asked more than kInterruptedLookbackMs ago are not looked at. Returns
    // how many were reopened.
    static constexpr std::int64_t kInterruptedGraceMs = 15 * 60 * 1000;
    static constexpr std::int64_t kInterruptedLookbackMs = 8LL * 24 * 3600 * 1000;
    [[nodiscard]] Result<std::size_t> ReopenInterrupted();

  private:
    // The request's addresses that no delivered release reached since it was asked.
    [[nodiscard]] Result<std::vector<std::string>> Unreached(const ReleaseRequestRecord& r);
    // Best effort: a failure is logged.
    void Notify(const std::string& to, std::string data);
    void TellAdmins(const ReleaseRequestRecord& r);
    void TellRequester(const ReleaseRequestRecord& r);

    MailRelease& release_;
    ReleaseRequestRepo& repo_;
    MailSender* sender_;
    ReleaseRequestOptions options_;
    Clock clock_;
    AuditTrail audit_;
};

// kInvalidArgument unless `text` is at most kMaxRequestText bytes of UTF-8
// without control characters (line feeds and tabs allowed). `field` names it.
[[nodiscard]] Result<void> CheckRequestText(std::string_view text, std::string_view field);

// The notice of a decision to the requester (exposed for tests).
[[nodiscard]] std::string ComposeDecisionNotice(const ReleaseRequestOptions& options,
                                                const ReleaseRequestRecord& request,
                                                std::int64_t now_ms);

}  // namespace rqwatch::app
