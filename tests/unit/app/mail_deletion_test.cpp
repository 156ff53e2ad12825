// MailViewer's scope check and symbol order; MailDeletion's rules: who may
// delete what, and that the file goes before the row says "deleted".

#include "app/mail_deletion.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "mail_fakes.hpp"

namespace rqwatch::app {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using fakes::Audit;
using fakes::Blobs;
using fakes::Mails;
using fakes::NoParser;

class Retention final : public RetentionRepo {
  public:
    Mails& mails;
    Blobs& blobs;
    Retention(Mails& m, Blobs& b) : mails(m), blobs(b) {}
    Result<std::vector<RetentionRow>> ListReceivedBefore(std::int64_t, std::int64_t,
                                                         std::size_t) override {
        return std::vector<RetentionRow>{};
    }
    Result<std::vector<RetentionRow>> ListWithFiles(std::int64_t, std::int64_t, std::int64_t,
                                                    std::size_t) override {
        return std::vector<RetentionRow>{};
    }
    Result<std::size_t> MarkPurged(const std::vector<std::int64_t>& ids) override {
        for (auto id : ids) {
            blobs.log.push_back("mark " + std::to_string(id));
            mails.rows[id].purged = true;
        }
        return ids.size();
    }
    Result<std::size_t> Delete(const std::vector<std::int64_t>&) override { return 0; }
    Result<std::size_t> DeleteRollupsBefore(std::int64_t) override { return 0; }
    Result<std::size_t> DeleteNotifyMarksBefore(std::int64_t) override { return 0; }
};

class MailDeletionTest : public ::testing::Test {
  protected:
    void SetUp() override {
        Add(1, {"alice@example.com"});
        Add(2, {"alice@example.com", "bob@example.com"});
        Add(3, {"bob@sales.example"});
    }
    void Add(std::int64_t id, std::vector<std::string> rcpts, std::string server = "node1") {
        MailRecord m;
        m.id = id;
        m.rcpt_to = std::move(rcpts);
        m.stored = true;
        m.server = std::move(server);
        m.quarantine_path = "d/" + std::to_string(id) + ".eml";
        m.subject = "s" + std::to_string(id);
        mails_.rows[id] = m;
        blobs_.files[m.quarantine_path] = "raw";
    }
    MailDeletion Deletion(bool users_may_delete) {
        return MailDeletion(viewer_, retention_, blobs_, audit_, nullptr, "node1",
                            users_may_delete, [] { return 42; });
    }
    static MailDeleter Admin() { return {{1, "admin", "192.0.2.50", ""}, std::nullopt, false}; }
    static MailDeleter Alice() {
        return {{2, "alice", "192.0.2.51", ""}, std::vector<std::string>{"alice@example.com"},
                false};
    }

    Mails mails_;
    Blobs blobs_;
    Retention retention_{mails_, blobs_};
    Audit audit_;
    NoParser parser_;
    MailViewer viewer_{mails_, blobs_, parser_, nullptr, nullptr, nullptr, {.local_node = "node1"}};
};

TEST_F(MailDeletionTest, AdminDeletesTheFileThenMarksTheRowAudited) {
    auto d = Deletion(false);
    auto out = d.Delete(Admin(), 2);
    ASSERT_TRUE(out.has_value()) << out.error().public_msg;
    EXPECT_TRUE(out->deleted);
    EXPECT_THAT(blobs_.log, ElementsAre("remove d/2.eml", "mark 2"));
    ASSERT_EQ(audit_.entries.size(), 1u);
    EXPECT_EQ(audit_.entries[0].action, "mail.delete");
    EXPECT_EQ(audit_.entries[0].target, "mail:2");
    EXPECT_EQ(audit_.entries[0].actor, "admin");
    EXPECT_EQ(audit_.entries[0].at, 42);
    // Again: nothing left to delete, nothing audited.
    auto again = d.Delete(Admin(), 2);
    ASSERT_TRUE(again.has_value());
    EXPECT_FALSE(again->deleted);
    EXPECT_EQ(audit_.entries.size(), 1u);
}

TEST_F(MailDeletionTest, UsersNeedTheSettingAndMailThatIsOnlyTheirs) {
    auto refused = Deletion(false).Delete(Alice(), 1);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().code, ErrorCode::kPermissionDenied);
    auto d = Deletion(true);
    auto shared = d.Delete(Alice(), 2);
    ASSERT_FALSE(shared.has_value());
    EXPECT_EQ(shared.error().code, ErrorCode::kPermissionDenied);
    EXPECT_THAT(shared.error().public_msg, HasSubstr("also addressed to others"));
    auto others = d.Delete(Alice(), 3);
    ASSERT_FALSE(others.has_value());
    EXPECT_EQ(others.error().code, ErrorCode::kNotFound);  // not hers: does not exist
    auto own = d.Delete(Alice(), 1);
    ASSERT_TRUE(own.has_value());
    EXPECT_TRUE(own->deleted);
    EXPECT_THAT(blobs_.log, ElementsAre("remove d/1.eml", "mark 1"));
}

TEST_F(MailDeletionTest, DomainAdminsDeleteWithinTheirDomainsWithoutTheSetting) {
    const MailDeleter domain_admin{{5, "dom", "", ""},
                                   std::vector<std::string>{"@sales.example"}, true};
    auto d = Deletion(false);
    EXPECT_TRUE(d.Delete(domain_admin, 3).has_value());
    EXPECT_EQ(d.Delete(domain_admin, 1).error().code, ErrorCode::kNotFound);
}

TEST_F(MailDeletionTest, AMailOfAnotherNodeIsNotMarkedDeletedHere) {
    Add(4, {"alice@example.com"}, "node2");
    blobs_.files.erase("d/4.eml");  // on node2's disk, not here
    auto out = Deletion(false).Delete(Admin(), 4);
    ASSERT_FALSE(out.has_value());
    EXPECT_EQ(out.error().code, ErrorCode::kUnavailable);
    EXPECT_FALSE(mails_.rows[4].purged);
    auto raw = viewer_.Raw(std::nullopt, 4);
    ASSERT_FALSE(raw.has_value());
    EXPECT_EQ(raw.error().code, ErrorCode::kUnavailable);
}

TEST_F(MailDeletionTest, ViewerScopesAndExplainsMissingContent) {
    EXPECT_EQ(viewer_.Detail(Alice().scope, 3).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(viewer_.Raw(Alice().scope, 3).error().code, ErrorCode::kNotFound);
    auto raw = viewer_.Raw(Alice().scope, 1);
    ASSERT_TRUE(raw.has_value());
    EXPECT_EQ(raw->bytes, "raw");
    mails_.rows[1].purged = true;
    EXPECT_THAT(viewer_.Raw(Alice().scope, 1).error().public_msg, HasSubstr("deleted"));
    mails_.rows[1].stored = false;
    EXPECT_THAT(viewer_.Raw(Alice().scope, 1).error().public_msg, HasSubstr("not kept"));
}

class FakeRemote final : public RemoteNode {
  public:
    Result<std::string> FetchRaw(const std::string& node, std::int64_t id) override {
        asked.push_back(node + "/" + std::to_string(id));
        return std::string("from " + node);
    }
    Result<bool> DeleteRaw(const std::string& node, std::int64_t id) override {
        asked.push_back("delete " + node + "/" + std::to_string(id));
        return true;
    }
    std::vector<std::string> asked;
};

// Distributed mode: what is not on this disk comes from the node that keeps it.
TEST_F(MailDeletionTest, MailOfAnotherNodeIsReadFromThatNode) {
    FakeRemote remote;
    MailViewer viewer{mails_, blobs_, parser_, nullptr, nullptr, &remote, {.local_node = "node1"}};
    Add(4, {"alice@example.com"}, "node2");
    blobs_.files.erase("d/4.eml");
    auto raw = viewer.Raw(Alice().scope, 4);
    ASSERT_TRUE(raw.has_value()) << raw.error().public_msg;
    EXPECT_EQ(raw->bytes, "from node2");
    EXPECT_THAT(remote.asked, ElementsAre("node2/4"));
    // Still in the user's scope first; never for this node's own mail, nor
    // for what this node serves to the others.
    EXPECT_EQ(viewer.Raw(Alice().scope, 3).error().code, ErrorCode::kNotFound);
    blobs_.files.erase("d/1.eml");
    EXPECT_EQ(viewer.Raw(Alice().scope, 1).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(viewer.LocalRaw(4).error().code, ErrorCode::kNotFound);
    EXPECT_EQ(remote.asked.size(), 1u);
}

TEST_F(MailDeletionTest, MailOfAnotherNodeIsDeletedThereThenMarkedHere) {
    FakeRemote remote;
    MailDeletion d(viewer_, retention_, blobs_, audit_, &remote, "node1", false,
                   [] { return 42; });
    Add(4, {"alice@example.com"}, "node2");
    blobs_.files.erase("d/4.eml");
    auto out = d.Delete(Admin(), 4);
    ASSERT_TRUE(out.has_value()) << out.error().public_msg;
    EXPECT_TRUE(out->deleted);
    EXPECT_THAT(remote.asked, ElementsAre("delete node2/4"));
    EXPECT_TRUE(mails_.rows[4].purged);
    // What this node does for the others: its own file only, no row change.
    EXPECT_TRUE(*d.LocalRemove(1));
    EXPECT_FALSE(*d.LocalRemove(1));
    EXPECT_FALSE(mails_.rows[1].purged);
    EXPECT_EQ(d.LocalRemove(99).error().code, ErrorCode::kNotFound);
}

TEST_F(MailDeletionTest, DetailListsSenderAndRelaysAndSortsSymbols) {
    MailRecord& m = mails_.rows[1];
    m.ip = "198.51.100.4";
    m.score = 5;
    m.symbols = {{"A", 0.5, "", {}, {}}, {"B", 3, "", {}, {}}, {"C", -1, "", {}, {}}};
    auto d = viewer_.Detail(std::nullopt, 1);
    ASSERT_TRUE(d.has_value());
    ASSERT_TRUE(d->sender.has_value());
    EXPECT_EQ(d->sender->ip, "198.51.100.4");
    ASSERT_EQ(d->relays.size(), 1u);
    EXPECT_EQ(d->relays[0].ip, "192.0.2.7");
    EXPECT_TRUE(d->content_available);
    std::vector<std::string> order;
    for (const auto& s : d->mail.symbols) order.push_back(s.name);
    EXPECT_THAT(order, ElementsAre("B", "A", "C"));
    m.score = -2;
    d = viewer_.Detail(std::nullopt, 1);
    order.clear();
    for (const auto& s : d->mail.symbols) order.push_back(s.name);
    EXPECT_THAT(order, ElementsAre("C", "A", "B"));
}

}  // namespace
}  // namespace rqwatch::app
