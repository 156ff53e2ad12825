// ReleaseRequests' rules: only in request mode, the requester's own
// addresses (checked when asked, kept for the approval), one pending per
// mail and requester, who decides and cancels, a failed release leaves the
// request pending (and approving again skips whom it reached), notices (escaped; a failed notice
// keeps the decision), and what a release call does in each mode.

#include "app/release_requests.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "mail_fakes.hpp"

namespace rqwatch::app {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// The repository's contract in memory: one pending per (mail, requester),
// decisions only of pending requests.
class Requests final : public ReleaseRequestRepo {
  public:
    std::map<std::int64_t, ReleaseRequestRecord> rows;
    Result<std::int64_t> Add(const ReleaseRequestRecord& r) override {
        for (const auto& [id, row] : rows) {
            if (row.mail_id == r.mail_id && row.requester == r.requester &&
                row.state == RequestState::kPending) {
                return Fail(ErrorCode::kConflict, "pending already");
            }
        }
        const std::int64_t id = static_cast<std::int64_t>(rows.size()) + 1;
        rows[id] = r;
        rows[id].id = id;
        return id;
    }
    Result<ReleaseRequestRecord> Find(std::int64_t id) override {
        auto it = rows.find(id);
        if (it == rows.end()) return Fail(ErrorCode::kNotFound, "no such release request");
        return it->second;
    }
    Result<std::vector<ReleaseRequestRecord>> List(const ReleaseRequestQuery& q) override {
        std::vector<ReleaseRequestRecord> out;  // newest first, keyset by id
        for (auto it = rows.rbegin(); it != rows.rend(); ++it) {
            const auto& row = it->second;
            if (q.requested_by && row.requested_by != q.requested_by) continue;
            if (q.state && row.state != *q.state) continue;
            if (q.before_id && row.id >= *q.before_id) continue;
            if (out.size() == static_cast<std::size_t>(q.limit)) break;
            out.push_back(row);
        }
        return out;
    }
    Result<std::optional<ReleaseRequestRecord>> PendingOf(std::int64_t mail_id,
                                                          const std::string& who) override {
        for (const auto& [id, row] : rows) {
            if (row.mail_id == mail_id && row.requester == who &&
                row.state == RequestState::kPending) {
                return std::optional(row);
            }
        }
        return std::optional<ReleaseRequestRecord>();
    }
    Result<std::int64_t> CountPending() override { return 0; }
    Result<void> Decide(std::int64_t id, const ReleaseDecision& d) override {
        auto& row = rows.at(id);
        if (row.state != RequestState::kPending) return Fail(ErrorCode::kConflict, "decided");
        row.state = d.state;
        row.decided_by = d.decided_by;
        row.decided_at = d.decided_at;
        row.reason = d.reason;
        return {};
    }
    Result<bool> Reopen(std::int64_t id, std::int64_t decided_at) override {
        auto& row = rows.at(id);
        if (row.state != RequestState::kApproved || row.decided_at != decided_at) return false;
        for (const auto& [other, r] : rows) {
            if (other != id && r.mail_id == row.mail_id && r.requester == row.requester &&
                r.state == RequestState::kPending) {
                return Fail(ErrorCode::kConflict, "asked again meanwhile");
            }
        }
        row.state = RequestState::kPending;
        row.decided_at.reset();
        return true;
    }
};

class ReleaseRequestsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        MailRecord m;
        m.id = 7;
        m.rcpt_to = {"alice@example.com", "bob@example.com"};
        m.stored = true;
        m.server = "node1";
        m.subject = "<b>hi</b> & bye";
        m.mail_from = "sender@example.org";
        m.quarantine_path = "d/7.eml";
        mails_.rows[7] = m;
        blobs_.files[m.quarantine_path] = "Subject: x\r\n\r\nbody\r\n";
    }
    ReleaseRequests Make(UserRelease mode, std::vector<std::string> notify = {}) {
        return ReleaseRequests(release_, repo_, &sender_, audit_,
                               {.user_release = mode,
                                .notify = std::move(notify),
                                .from = "q@example.com",
                                .base_url = "https://q.example.com/"},
                               [this] { return now_; });
    }
    static Requester Alice() {
        return {{.id = 2, .username = "alice"},
                std::vector<std::string>{"alice@example.com", "ali@example.com"},
                "alice@example.com"};
    }
    static Actor Admin() { return {.id = 1, .username = "admin"}; }
    std::vector<std::string> SentTo() const {
        std::vector<std::string> out;
        for (const auto& m : sender_.sent) out.push_back(m.to);
        return out;
    }
    std::vector<std::string> Audited() const {
        std::vector<std::string> out;
        for (const auto& e : audit_.entries) out.push_back(e.action);
        return out;
    }

    fakes::Mails mails_;
    fakes::Blobs blobs_;
    fakes::Audit audit_;
    fakes::NoParser parser_;
    fakes::Sender sender_;
    fakes::Actions actions_;
    Requests repo_;
    std::int64_t now_ = 1000;
    MailViewer viewer_{mails_, blobs_, parser_, nullptr, nullptr, nullptr, {.local_node = "node1"}};
    MailRelease release_{viewer_,
                         &sender_,
                         actions_,
                         audit_,
                         ReleaseOptions{ReleaseMode::kOriginal, "q@example.com", ""},
                         [this] { return now_; }};
};

TEST_F(ReleaseRequestsTest, ARequestKeepsTheRequestersOwnAddressesAndSendsNothingYet) {
    auto rr = Make(UserRelease::kRequest, {"admins@example.com"});
    auto r = rr.Create(Alice(), 7, {.to_original = true}, "please");
    ASSERT_TRUE(r) << r.error().public_msg;
    // bob is a co-recipient: never part of alice's request.
    EXPECT_THAT(r->recipients, ElementsAre("alice@example.com"));
    EXPECT_EQ(r->state, RequestState::kPending);
    EXPECT_EQ(r->notice_to, "alice@example.com");
    EXPECT_TRUE(actions_.releases.empty());
    // Only the administrators' notice went out.
    EXPECT_THAT(SentTo(), ElementsAre("admins@example.com"));
    EXPECT_THAT(sender_.sent[0].data, HasSubstr("Subject: Release requested: <b>hi</b> & bye"));
    EXPECT_THAT(Audited(), ElementsAre("release_request.create"));
}

TEST_F(ReleaseRequestsTest, OnlyInRequestModeAndOnlyForOwnAddresses) {
    for (auto mode : {UserRelease::kDirect, UserRelease::kOff}) {
        auto r = Make(mode).Create(Alice(), 7, {.to_original = true}, "");
        ASSERT_FALSE(r);
        EXPECT_EQ(r.error().reason, "release_requests_off");
    }
    auto rr = Make(UserRelease::kRequest);
    EXPECT_EQ(rr.Create(Alice(), 7, {.alternates = {"bob@example.com"}}, "").error().code,
              ErrorCode::kPermissionDenied);
    EXPECT_EQ(rr.Create(Alice(), 8, {.to_original = true}, "").error().code, ErrorCode::kNotFound);
    Requester carol{{.id = 3, .username = "carol"}, std::vector<std::string>{"carol@x.org"}, ""};
    EXPECT_EQ(rr.Create(carol, 7, {.to_original = true}, "").error().code, ErrorCode::kNotFound);
    EXPECT_EQ(rr.Create(Alice(), 7, {}, "").error().code, ErrorCode::kInvalidArgument);
}

TEST_F(ReleaseRequestsTest, CommentsAreBoundedTextAndOnePendingPerMail) {
    auto rr = Make(UserRelease::kRequest);
    for (const std::string& bad : {std::string(1001, 'x'), std::string("a\rb"),
                                   std::string("nul\0x", 5), std::string("\xff\xfe")}) {
        EXPECT_EQ(rr.Create(Alice(), 7, {.to_original = true}, bad).error().code,
                  ErrorCode::kInvalidArgument);
    }
    ASSERT_TRUE(rr.Create(Alice(), 7, {.to_original = true}, "line\n\tsecond <b>"));
    EXPECT_EQ(rr.Create(Alice(), 7, {.to_original = true}, "").error().code, ErrorCode::kConflict);
}

TEST_F(ReleaseRequestsTest, ApprovalReleasesToTheRequestedAddressesAndTellsTheRequester) {
    auto rr = Make(UserRelease::kRequest);
    auto r = rr.Create(Alice(), 7, {.to_original = true, .alternates = {"ali@example.com"}}, "");
    ASSERT_TRUE(r);
    auto done = rr.Approve(Admin(), r->id);
    ASSERT_TRUE(done) << done.error().public_msg;
    EXPECT_EQ(done->state, RequestState::kApproved);
    EXPECT_THAT(SentTo(), ElementsAre("alice@example.com", "ali@example.com", "alice@example.com"));
    ASSERT_EQ(actions_.releases.size(), 2u);
    EXPECT_EQ(actions_.releases[0].by, "admin");
    const std::string& notice = sender_.sent.back().data;
    EXPECT_THAT(notice, HasSubstr("Subject: Release approved: <b>hi</b> & bye\r\n"));
    EXPECT_THAT(notice, HasSubstr("Content-Type: text/html"));
    EXPECT_EQ(rr.Approve(Admin(), r->id).error().code, ErrorCode::kConflict);
    EXPECT_EQ(rr.Refuse(Admin(), r->id, "").error().code, ErrorCode::kConflict);
    EXPECT_EQ(rr.Approve(Admin(), 99).error().code, ErrorCode::kNotFound);
    EXPECT_THAT(Audited(),
                ElementsAre("release_request.create", "mail.release", "release_request.approve"));
}

TEST_F(ReleaseRequestsTest, ARelayFailureLeavesTheRequestPending) {
    auto rr = Make(UserRelease::kRequest);
    auto r = rr.Create(Alice(), 7, {.to_original = true}, "");
    ASSERT_TRUE(r);
    sender_.refuse = "alice@example.com";
    EXPECT_EQ(rr.Approve(Admin(), r->id).error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(repo_.rows.at(r->id).state, RequestState::kPending);
    sender_.refuse.clear();
    EXPECT_TRUE(rr.Approve(Admin(), r->id));
}

// The relay takes the first address, then fails: approving again sends the
// mail only to the addresses it did not reach.
TEST_F(ReleaseRequestsTest, ApprovingAgainAfterAPartialReleaseSendsNobodyTwice) {
    auto rr = Make(UserRelease::kRequest);
    auto r = rr.Create(Alice(), 7, {.to_original = true, .alternates = {"ali@example.com"}}, "");
    ASSERT_TRUE(r);
    sender_.refuse = "ali@example.com";
    EXPECT_EQ(rr.Approve(Admin(), r->id).error().code, ErrorCode::kUnavailable);
    EXPECT_THAT(SentTo(), ElementsAre("alice@example.com"));
    EXPECT_EQ(repo_.rows.at(r->id).state, RequestState::kPending);
    sender_.refuse.clear();
    auto done = rr.Approve(Admin(), r->id);
    ASSERT_TRUE(done) << done.error().public_msg;
    // alice once, ali once, then the notice to alice.
    EXPECT_THAT(SentTo(), ElementsAre("alice@example.com", "ali@example.com", "alice@example.com"));
    EXPECT_THAT(sender_.sent.back().data, HasSubstr("Release approved"));
    EXPECT_THAT(Audited(), ElementsAre("release_request.create", "mail.release",
                                       "release_request.approve_failed", "mail.release",
                                       "release_request.approve"));
}

TEST_F(ReleaseRequestsTest, AFailedNoticeKeepsTheDecision) {
    auto rr = Make(UserRelease::kRequest);
    auto r = rr.Create(Alice(), 7, {.to_original = true}, "");
    ASSERT_TRUE(r);
    repo_.rows.at(r->id).notice_to = "gone@example.com";
    sender_.refuse = "gone@example.com";
    auto done = rr.Refuse(Admin(), r->id, "no <script>");
    ASSERT_TRUE(done);
    EXPECT_EQ(repo_.rows.at(r->id).state, RequestState::kRefused);
    EXPECT_TRUE(sender_.sent.empty());
}

TEST_F(ReleaseRequestsTest, TheRefusalNoticeEscapesTheReasonInHtml) {
    ReleaseRequestRecord r;
    r.state = RequestState::kRefused;
    r.notice_to = "alice@example.com";
    r.subject = "caf\xc3\xa9 \r\nBcc: x@evil";
    r.reason = "<script>x</script>";
    const std::string mail = ComposeDecisionNotice({.from = "q@example.com"}, r, 0);
    // A non-ASCII subject is not put in the header; no header is injected.
    EXPECT_THAT(mail, HasSubstr("Subject: Release refused\r\n"));
    EXPECT_THAT(mail, Not(HasSubstr("Bcc:")));
}

TEST_F(ReleaseRequestsTest, OnlyTheRequesterCancels) {
    auto rr = Make(UserRelease::kRequest);
    auto r = rr.Create(Alice(), 7, {.to_original = true}, "");
    ASSERT_TRUE(r);
    EXPECT_EQ(rr.Cancel({.id = 3, .username = "bob"}, r->id).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(rr.Cancel(Admin(), r->id).error().code, ErrorCode::kNotFound);
    auto done = rr.Cancel({.id = 2, .username = "alice"}, r->id);
    ASSERT_TRUE(done);
    EXPECT_EQ(done->state, RequestState::kCancelled);
    EXPECT_EQ(rr.Cancel({.id = 2, .username = "alice"}, r->id).error().code, ErrorCode::kConflict);
}

TEST_F(ReleaseRequestsTest, AReleaseCallFollowsTheMode) {
    auto direct =
        Make(UserRelease::kDirect).ReleaseOrRequest(Alice(), false, 7, {.to_original = true});
    ASSERT_TRUE(direct);
    EXPECT_TRUE(direct->released);
    auto off = Make(UserRelease::kOff).ReleaseOrRequest(Alice(), false, 7, {.to_original = true});
    EXPECT_EQ(off.error().reason, "release_off");
    auto asked =
        Make(UserRelease::kRequest).ReleaseOrRequest(Alice(), false, 7, {.to_original = true});
    ASSERT_TRUE(asked);
    EXPECT_TRUE(asked->requested);
    // Administrators release in every mode, to any recipient.
    Requester admin{Admin(), std::nullopt, ""};
    auto by_admin = Make(UserRelease::kOff).ReleaseOrRequest(admin, true, 7, {.to_original = true});
    ASSERT_TRUE(by_admin);
    EXPECT_THAT(by_admin->released->delivered_to,
                ElementsAre("alice@example.com", "bob@example.com"));
}

}  // namespace
}  // namespace rqwatch::app

namespace rqwatch::app {
namespace {

// A crash between taking the request and sending: approved, nothing sent.
std::int64_t ApprovedButNeverSent(Requests& repo, std::int64_t created_at,
                                  std::int64_t decided_at) {
    ReleaseRequestRecord r;
    r.mail_id = 7;
    r.requester = "alice";
    r.requested_by = 2;
    r.notice_to = "alice@example.com";
    r.recipients = {"alice@example.com", "ali@example.com"};
    r.created_at = created_at;
    auto id = repo.Add(r);
    EXPECT_TRUE(repo.Decide(*id, {RequestState::kApproved, "admin", decided_at, {}}));
    return *id;
}

TEST_F(ReleaseRequestsTest, AnApprovalACrashCutShortIsPendingAgainAndSentOnlyWhereItDidNotGo) {
    auto rr = Make(UserRelease::kRequest);
    now_ = 10'000'000;
    const std::int64_t id = ApprovedButNeverSent(repo_, now_ - 3'600'000, now_ - 3'000'000);
    // The process got as far as alice before it died.
    ASSERT_TRUE(actions_.AddReleases({ReleaseRecord{
        7, now_ - 3'000'000, "admin", "alice@example.com", "original", true, "250"}}));
    auto n = rr.ReopenInterrupted();
    ASSERT_TRUE(n) << n.error().public_msg;
    EXPECT_EQ(*n, 1U);
    EXPECT_EQ(repo_.rows.at(id).state, RequestState::kPending);
    ASSERT_FALSE(audit_.entries.empty());
    EXPECT_EQ(audit_.entries.back().action, "release_request.reopen");
    EXPECT_THAT(audit_.entries.back().detail, HasSubstr("ali@example.com"));
    EXPECT_THAT(audit_.entries.back().detail, Not(HasSubstr("alice@example.com")));
    EXPECT_EQ(*rr.ReopenInterrupted(), 0U);  // pending now: nothing more to do
    ASSERT_TRUE(rr.Approve(Admin(), id));
    EXPECT_THAT(SentTo(), ElementsAre("ali@example.com", "alice@example.com"));  // + the notice
}

TEST_F(ReleaseRequestsTest, FinishedYoungAndOldApprovalsAreLeftAlone) {
    auto rr = Make(UserRelease::kRequest);
    auto asked = rr.Create(Alice(), 7, {.to_original = true}, "");
    ASSERT_TRUE(asked);
    ASSERT_TRUE(rr.Approve(Admin(), asked->id));  // finished: alice reached
    now_ += ReleaseRequests::kInterruptedGraceMs + 1;
    // Asked longer ago than anybody looks (ids grow with time: listed after
    // the young one, and the look stops there).
    const std::int64_t old = ApprovedButNeverSent(
        repo_, now_ - ReleaseRequests::kInterruptedLookbackMs - 1, now_ - 3'600'000);
    // Still sending, maybe on another node: decided a moment ago.
    const std::int64_t young = ApprovedButNeverSent(repo_, now_ - 1000, now_ - 500);
    auto n = rr.ReopenInterrupted();
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 0U);
    EXPECT_EQ(repo_.rows.at(asked->id).state, RequestState::kApproved);
    EXPECT_EQ(repo_.rows.at(young).state, RequestState::kApproved);
    now_ += ReleaseRequests::kInterruptedGraceMs;  // the young one is stale now
    EXPECT_EQ(*rr.ReopenInterrupted(), 1U);
    EXPECT_EQ(repo_.rows.at(young).state, RequestState::kPending);
    EXPECT_EQ(repo_.rows.at(old).state, RequestState::kApproved);
}

TEST_F(ReleaseRequestsTest, AnInterruptedApprovalStaysApprovedWhenTheRequesterAskedAgain) {
    auto rr = Make(UserRelease::kRequest);
    now_ = 10'000'000;
    const std::int64_t id = ApprovedButNeverSent(repo_, now_ - 3'600'000, now_ - 3'000'000);
    auto again = rr.Create(Alice(), 7, {.to_original = true}, "still waiting");
    ASSERT_TRUE(again);
    auto n = rr.ReopenInterrupted();
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 0U);  // the new request is the one to decide
    EXPECT_EQ(repo_.rows.at(id).state, RequestState::kApproved);
}

}  // namespace
}  // namespace rqwatch::app
