// MailRelease's rules (who releases what to whom, one transaction per
// recipient, what is recorded when the relay fails) and MailLearning's
// (administrators only, which controller, failures recorded).

#include "app/mail_release.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/mail_learning.hpp"
#include "mail_fakes.hpp"

namespace rqwatch::app {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

using fakes::Actions;
using fakes::Sender;

class Controller final : public RspamdController {
  public:
    std::vector<std::string> asked;  // "url spam|ham", "url fuzzyadd|fuzzydel FLAG WEIGHT"
    bool up = true;
    bool already = false;     // Bayes answers "already learned"
    bool fuzzy_fails = false;  // e.g. no writable rule has the flag
    Result<LearnResult> Learn(const std::string& url, bool spam, const std::string&) override {
        if (!up) return Fail(ErrorCode::kUnavailable, "the server cannot be reached");
        asked.push_back(url + (spam ? " spam" : " ham"));
        return already ? LearnResult::kAlreadyLearned : LearnResult::kLearned;
    }
    Result<void> Fuzzy(const std::string& url, const FuzzyRequest& r,
                       const std::string& message) override {
        EXPECT_EQ(message, "Subject: x\r\n\r\nbody\r\n");
        asked.push_back(url + (r.add ? " fuzzyadd " : " fuzzydel ") + std::to_string(r.flag) +
                        " " + std::to_string(r.weight));
        if (fuzzy_fails) return Fail(ErrorCode::kUnavailable, "no rule for flag");
        return {};
    }
    Result<std::string> Stat(const std::string&) override { return std::string("{}"); }
};

class MailReleaseTest : public ::testing::Test {
  protected:
    void SetUp() override {
        Add(1, {"alice@example.com"});
        Add(2, {"Alice@Example.com", "bob@example.com", "unknown"});
        Add(3, {"bob@example.com"});
        mails_.rows[3].rspamd_server = "scanner2";
    }
    void Add(std::int64_t id, std::vector<std::string> rcpts) {
        MailRecord m;
        m.id = id;
        m.rcpt_to = std::move(rcpts);
        m.stored = true;
        m.server = "node1";
        m.quarantine_path = "d/" + std::to_string(id) + ".eml";
        mails_.rows[id] = m;
        blobs_.files[m.quarantine_path] = "Subject: x\r\n\r\nbody\r\n";
    }
    MailRelease Release(MailSender* sender) {
        return MailRelease(viewer_, sender, actions_, audit_,
                           {ReleaseMode::kOriginal, "q@example.com", ""}, [] { return 42; });
    }
    static Releaser Admin() { return {{1, "admin", "192.0.2.50", ""}, std::nullopt}; }
    static Releaser Alice() {
        return {{2, "alice", "192.0.2.51", ""},
                std::vector<std::string>{"alice@example.com", "ali@example.com"}};
    }
    std::vector<std::string> SentTo() const {
        std::vector<std::string> out;
        for (const auto& m : sender_.sent) out.push_back(m.to);
        return out;
    }

    fakes::Mails mails_;
    fakes::Blobs blobs_;
    fakes::Audit audit_;
    fakes::NoParser parser_;
    Sender sender_;
    Actions actions_;
    MailViewer viewer_{mails_, blobs_, parser_, nullptr, nullptr, nullptr, {.local_node = "node1"}};
};

TEST_F(MailReleaseTest, AdminReleasesToEveryOriginalRecipientAndAlternatesOnePerTransaction) {
    auto r = Release(&sender_).Release(Admin(), 2, {true, {"x@Example.net", "bob@example.com"}});
    ASSERT_TRUE(r) << r.error().public_msg;
    // "unknown" is nobody; addresses are normalised and each gets one copy.
    EXPECT_THAT(r->delivered_to, ElementsAre("alice@example.com", "bob@example.com",
                                             "x@example.net"));
    EXPECT_EQ(SentTo(), r->delivered_to);
    EXPECT_EQ(sender_.sent[0].from, "q@example.com");
    EXPECT_EQ(sender_.sent[0].data,
              "X-Rqwatch-Released: by admin; at 1970-01-01T00:00:00Z; id 2\r\n"
              "Subject: x\r\n\r\nbody\r\n");
    ASSERT_EQ(actions_.releases.size(), 3u);
    EXPECT_TRUE(actions_.releases[2].ok);
    ASSERT_EQ(audit_.entries.size(), 1u);
    EXPECT_EQ(audit_.entries[0].action, "mail.release");
}

TEST_F(MailReleaseTest, AUserReleasesOwnMailToOwnAddressesOnly) {
    auto r = Release(&sender_).Release(Alice(), 2, {true, {"ali@example.com"}});
    ASSERT_TRUE(r) << r.error().public_msg;
    EXPECT_THAT(r->delivered_to, ElementsAre("alice@example.com", "ali@example.com"));
    // Never to a co-recipient or a stranger; another's mail does not exist.
    for (const char* to : {"bob@example.com", "eve@elsewhere.example"}) {
        auto denied = Release(&sender_).Release(Alice(), 2, {false, {to}});
        EXPECT_EQ(denied.error().code, ErrorCode::kPermissionDenied) << to;
    }
    EXPECT_EQ(Release(&sender_).Release(Alice(), 3, {true, {}}).error().code,
              ErrorCode::kNotFound);
    EXPECT_EQ(SentTo().size(), 2u);
}

TEST_F(MailReleaseTest, BadRequestsAndNoRelay) {
    auto release = Release(&sender_);
    EXPECT_EQ(release.Release(Admin(), 1, {false, {}}).error().code,
              ErrorCode::kInvalidArgument);
    EXPECT_EQ(release.Release(Admin(), 1, {false, {"not an address"}}).error().code,
              ErrorCode::kInvalidArgument);
    EXPECT_EQ(release.Release(Admin(), 1, {false, std::vector<std::string>(21, "a@b.example")})
                  .error()
                  .code,
              ErrorCode::kInvalidArgument);
    mails_.rows[1].rcpt_to = {"unknown"};
    EXPECT_THAT(release.Release(Admin(), 1, {true, {}}).error().public_msg,
                HasSubstr("no original recipient"));
    auto off = Release(nullptr).Release(Admin(), 3, {true, {}});
    EXPECT_EQ(off.error().code, ErrorCode::kUnavailable);
    mails_.rows[3].purged = true;
    EXPECT_EQ(release.Release(Admin(), 3, {true, {}}).error().code, ErrorCode::kNotFound);
    EXPECT_TRUE(sender_.sent.empty());
    EXPECT_TRUE(actions_.releases.empty());
}

TEST_F(MailReleaseTest, ARelayFailureStopsAndIsRecordedNotReleased) {
    sender_.refuse = "bob@example.com";
    auto r = Release(&sender_).Release(Admin(), 2, {true, {"x@example.net"}});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
    EXPECT_THAT(r.error().public_msg, HasSubstr("bob@example.com"));
    // alice got hers before; x was not tried after the failure.
    EXPECT_EQ(SentTo(), std::vector<std::string>{"alice@example.com"});
    ASSERT_EQ(actions_.releases.size(), 2u);
    EXPECT_TRUE(actions_.releases[0].ok);
    EXPECT_FALSE(actions_.releases[1].ok);
    EXPECT_EQ(actions_.releases[1].result, "550 no");
}

TEST_F(MailReleaseTest, LearningIsForAdminsAtTheScanningNodesController) {
    Controller c;
    MailLearning learning(viewer_, &c, {{"scanner2", "http://s2"}, {"*", "http://any"}},
                          actions_, audit_, {}, [] { return 7; });
    EXPECT_EQ(learning.Learn({2, "alice"}, std::vector<std::string>{"alice@example.com"}, 1,
                             "spam")
                  .error()
                  .code,
              ErrorCode::kPermissionDenied);
    EXPECT_EQ(learning.Learn({1, "admin"}, std::nullopt, 1, "maybe").error().code,
              ErrorCode::kInvalidArgument);
    auto one = learning.Learn({1, "admin"}, std::nullopt, 1, "spam");
    ASSERT_TRUE(one) << one.error().public_msg;
    EXPECT_EQ(one->node, "*");
    auto three = learning.Learn({1, "admin"}, std::nullopt, 3, "ham");
    ASSERT_TRUE(three);
    EXPECT_EQ(three->node, "scanner2");
    EXPECT_THAT(c.asked, ElementsAre("http://any spam", "http://s2 ham"));
    c.up = false;
    EXPECT_EQ(learning.Learn({1, "admin"}, std::nullopt, 1, "ham").error().code,
              ErrorCode::kUnavailable);
    ASSERT_EQ(actions_.learns.size(), 3u);
    EXPECT_FALSE(actions_.learns[2].ok);
    EXPECT_EQ(actions_.learns[2].at, 7);
    EXPECT_EQ(audit_.entries.size(), 2u);  // the failure changed nothing
    MailLearning off(viewer_, &c, {}, actions_, audit_);
    EXPECT_EQ(off.Learn({1, "admin"}, std::nullopt, 1, "spam").error().code,
              ErrorCode::kUnavailable);
    // Without a fuzzy flag nothing but Bayes is asked, and that is recorded.
    EXPECT_EQ(actions_.learns[0].fuzzy, "skipped");
    EXPECT_EQ(actions_.learns[0].fuzzy_result, "fuzzy learning is off");
}

TEST_F(MailReleaseTest, SpamAddsFuzzyHashesHamDeletesThemAFuzzyFailureIsRecordedNotFatal) {
    Controller c;
    MailLearning learning(viewer_, &c, {{"*", "http://any"}}, actions_, audit_,
                          {.flag = 1, .weight = 10}, [] { return 7; });
    auto spam = learning.Learn({1, "admin"}, std::nullopt, 1, "spam");
    ASSERT_TRUE(spam) << spam.error().public_msg;
    EXPECT_EQ(spam->fuzzy.status, "ok");
    EXPECT_EQ(spam->fuzzy.message, "added to flag 1 (weight 10)");
    // Bayes knew it already: the hashes are still added (the flag may be
    // newer than the first learn).
    c.already = true;
    auto again = learning.Learn({1, "admin"}, std::nullopt, 1, "spam");
    ASSERT_TRUE(again);
    EXPECT_TRUE(again->already);
    EXPECT_EQ(again->fuzzy.status, "ok");
    c.already = false;
    c.fuzzy_fails = true;
    auto ham = learning.Learn({1, "admin"}, std::nullopt, 1, "ham");
    ASSERT_TRUE(ham) << "Bayes learned it; the fuzzy failure is reported, not fatal";
    EXPECT_EQ(ham->fuzzy.status, "failed");
    EXPECT_EQ(ham->fuzzy.message, "no rule for flag");
    EXPECT_THAT(c.asked, ElementsAre("http://any spam", "http://any fuzzyadd 1 10",
                                     "http://any spam", "http://any fuzzyadd 1 10",
                                     "http://any ham", "http://any fuzzydel 1 10"));
    // Bayes down: the fuzzy storage is not tried.
    c.up = false;
    EXPECT_FALSE(learning.Learn({1, "admin"}, std::nullopt, 1, "spam"));
    EXPECT_EQ(c.asked.size(), 6u);
    ASSERT_EQ(actions_.learns.size(), 4u);
    EXPECT_EQ((std::vector<std::string>{actions_.learns[0].fuzzy, actions_.learns[2].fuzzy,
                                        actions_.learns[3].fuzzy}),
              (std::vector<std::string>{"ok", "failed", "skipped"}));
    EXPECT_EQ(actions_.learns[2].fuzzy_result, "no rule for flag");
    EXPECT_EQ(actions_.learns[3].fuzzy_result, "not tried: Bayes learning failed");
    EXPECT_THAT(audit_.entries.back().detail, HasSubstr("fuzzy: failed (no rule for flag)"));
}

}  // namespace
}  // namespace rqwatch::app
