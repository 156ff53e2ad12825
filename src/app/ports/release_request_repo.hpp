#pragma once
// Port: the users' requests to release a quarantined mail and the
// administrators' decisions, migration 0020 (SQL in storage/).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace rqwatch::app {

enum class RequestState { kPending, kApproved, kRefused, kCancelled };

[[nodiscard]] const char* RequestStateName(RequestState state);
// kInvalidArgument for anything but the four names.
[[nodiscard]] Result<RequestState> ParseRequestState(std::string_view name);

struct ReleaseRequestRecord {
    std::int64_t id = 0;
    std::int64_t mail_id = 0;
    std::optional<std::int64_t> requested_by;  // user id; none for a digest's link
    std::string requester;                     // the name audited
    std::string notice_to;                     // where the decision is mailed; "" nowhere
    std::vector<std::string> recipients;       // what the release will go to
    std::string comment;
    RequestState state = RequestState::kPending;
    std::string decided_by;
    std::optional<std::int64_t> decided_at;  // unix ms
    std::string reason;
    std::int64_t created_at = 0;  // unix ms
    // Of the mail, for lists (read, never written).
    std::string subject;
    std::string mail_from;
};

struct ReleaseRequestQuery {
    std::optional<RequestState> state;
    std::optional<std::int64_t> requested_by;  // only this user's requests
    int limit = 50;                            // 1..1000
    std::optional<std::int64_t> before_id;     // keyset: smaller ids (newest first)
};

struct ReleaseDecision {
    RequestState state = RequestState::kApproved;  // what the pending request becomes
    std::string decided_by;
    std::int64_t decided_at = 0;
    std::string reason;
};

class ReleaseRequestRepo {
  public:
    virtual ~ReleaseRequestRepo() = default;
    // Stores a pending request; kConflict when the requester has one pending
    // for that mail already (the unique key decides, also for two at once).
    [[nodiscard]] virtual Result<std::int64_t> Add(const ReleaseRequestRecord& request) = 0;
    // kNotFound when absent.
    [[nodiscard]] virtual Result<ReleaseRequestRecord> Find(std::int64_t id) = 0;
    [[nodiscard]] virtual Result<std::vector<ReleaseRequestRecord>> List(
        const ReleaseRequestQuery& query) = 0;
    // The pending request of `requester` for a mail, if any.
    [[nodiscard]] virtual Result<std::optional<ReleaseRequestRecord>> PendingOf(
        std::int64_t mail_id, const std::string& requester) = 0;
    [[nodiscard]] virtual Result<std::int64_t> CountPending() = 0;
    // Moves a pending request to the decision's state with one conditional
    // UPDATE; kConflict when it was not pending (any more): of two admins
    // deciding at once, one wins.
    [[nodiscard]] virtual Result<void> Decide(std::int64_t id, const ReleaseDecision& decision) = 0;
    // Back to pending after an approval whose release failed for a passing
    // reason (relay down) or was interrupted, so that it can be approved
    // again; only the approval decided at `decided_at`, with one conditional
    // UPDATE (a check that read an approval a moment ago must not reopen the
    // next one). False when the request is no longer that approval;
    // kConflict when the requester has asked again meanwhile.
    [[nodiscard]] virtual Result<bool> Reopen(std::int64_t id, std::int64_t decided_at) = 0;
};

}  // namespace rqwatch::app
