#include "storage/sql_mail_repo.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <limits>
#include <thread>
#include <utility>

#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

using testing::DbTest;
using testing::MakeRecord;

class SqlMailRepoTest : public testing::RepoTest<SqlMailRepo> {
  protected:
    // Rows of a two-column (text, number) query, e.g. recipients or symbols.
    std::vector<std::pair<std::string, double>> Pairs(const std::string& query,
                                                      std::int64_t mail_id) {
        auto r = db_->Run<std::vector<std::pair<std::string, double>>>(
            "test query",
            [&](soci::session& sql) -> Result<std::vector<std::pair<std::string, double>>> {
                std::string text;
                double number = 0;
                soci::statement st = MakeStatement(sql, query, soci::use(mail_id, "id"),
                                                   soci::into(text), soci::into(number));
                st.execute();
                std::vector<std::pair<std::string, double>> out;
                while (st.fetch()) out.emplace_back(text, number);
                return out;
            });
        EXPECT_TRUE(r) << r.error().detail;
        return r.value_or(std::vector<std::pair<std::string, double>>{});
    }

    int CountMails() {
        auto r = db_->Run<int>("count", [](soci::session& sql) -> Result<int> {
            int n = 0;
            ExecuteOnce(sql, "SELECT COUNT(*) FROM mails", soci::into(n));
            return n;
        });
        return r.value_or(-1);
    }

    // Inserts `n` records spool-0..spool-(n-1); returns their ids in order.
    std::vector<std::int64_t> InsertN(int n) {
        std::vector<MailRecord> batch;
        for (int i = 0; i < n; ++i) batch.push_back(MakeRecord("spool-" + std::to_string(i)));
        auto r = repo_->InsertBatch(batch);
        EXPECT_TRUE(r) << r.error().detail;
        std::vector<std::int64_t> ids;
        for (const auto& m : batch) ids.push_back(m.id);
        return ids;
    }
};

MailRecord FullRecord() {
    MailRecord r;
    r.spool_id = "20240101-abcdef";
    r.received_at = 1'704'067'200'123;
    r.server = "mx2.example.net";
    r.qid = "4TQxyz0abc";
    r.action = "reject";
    r.score = 15.75;
    r.ip = "2001:db8::1";
    r.mail_from = "Bounce+Tag@Example.ORG";
    r.rcpt_to = {"<User@Example.com>", "other@example.com"};
    r.auth_user = "smtp-user";
    r.rspamd_server = "rspamd-2";
    r.scan_time_ms = 87;
    r.symbols = {
        Symbol{"BAYES_SPAM", 5.1, "statistics", {"statistics", "bayes"}, {"99.00%"}},
        Symbol{"R_DKIM_ALLOW", -0.2, "", {}, {}},
        Symbol{"MIME_GOOD",
               -0.1,
               "mime_types",
               {"mime_types"},
               {"multipart/alternative", "text/plain"}},
    };
    r.fuzzy_json = R"([{"type":"fuzzy","hash":"abc"}])";
    r.subject = "Grüße aus Köln — 日本語 ✉️";
    r.mime_from = "\"Bounce, Tag\" <bounce@example.org>";
    r.mime_from_addr = "bounce@example.org";
    r.mime_to = {{"Ünïcode Name", "user@example.com"}, {"", "second@example.com"}};
    r.mime_cc = {{"Carol", "carol@example.net"}};
    r.message_id = "CAF=abc@mail.example.org";
    r.mail_date = 1'704'067'100;
    r.size = 123'456;
    r.headers = "Subject: =?UTF-8?B?R3LDvMOfZQ==?=\r\nFrom: x@example.org\r\n";
    r.attachments = {{"Rechnung März.pdf", "application/pdf", 98'765}, {"", "image/png", 1}};
    r.has_virus = true;
    r.virus = "Eicar-Test-Signature";
    r.country = "NL";
    r.stored = true;
    r.quarantine_path = "2024-01-01/20240101-abcdef.eml";
    r.notified = true;
    r.notify_date = 1'704'067'300'000;
    r.released = false;
    r.release_date = std::nullopt;
    return r;
}

void ExpectSameSymbols(const std::vector<Symbol>& a, const std::vector<Symbol>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].name, b[i].name);
        EXPECT_DOUBLE_EQ(a[i].score, b[i].score);
        EXPECT_EQ(a[i].group, b[i].group);
        EXPECT_EQ(a[i].groups, b[i].groups);
        EXPECT_EQ(a[i].options, b[i].options);
    }
}

void ExpectSameAddresses(const std::vector<MailAddress>& a, const std::vector<MailAddress>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].name, b[i].name);
        EXPECT_EQ(a[i].address, b[i].address);
    }
}

void ExpectSameRecord(const MailRecord& got, const MailRecord& want) {
    EXPECT_EQ(got.id, want.id);
    EXPECT_EQ(got.spool_id, want.spool_id);
    EXPECT_EQ(got.received_at, want.received_at);
    EXPECT_EQ(got.server, want.server);
    EXPECT_EQ(got.qid, want.qid);
    EXPECT_EQ(got.action, want.action);
    EXPECT_DOUBLE_EQ(got.score, want.score);
    EXPECT_EQ(got.ip, want.ip);
    EXPECT_EQ(got.mail_from, want.mail_from);
    EXPECT_EQ(got.rcpt_to, want.rcpt_to);
    EXPECT_EQ(got.auth_user, want.auth_user);
    EXPECT_EQ(got.rspamd_server, want.rspamd_server);
    EXPECT_EQ(got.scan_time_ms, want.scan_time_ms);
    ExpectSameSymbols(got.symbols, want.symbols);
    EXPECT_EQ(got.fuzzy_json, want.fuzzy_json);
    EXPECT_EQ(got.subject, want.subject);
    EXPECT_EQ(got.mime_from, want.mime_from);
    EXPECT_EQ(got.mime_from_addr, want.mime_from_addr);
    ExpectSameAddresses(got.mime_to, want.mime_to);
    ExpectSameAddresses(got.mime_cc, want.mime_cc);
    EXPECT_EQ(got.message_id, want.message_id);
    EXPECT_EQ(got.mail_date, want.mail_date);
    EXPECT_EQ(got.size, want.size);
    EXPECT_EQ(got.headers, want.headers);
    ASSERT_EQ(got.attachments.size(), want.attachments.size());
    for (std::size_t i = 0; i < got.attachments.size(); ++i) {
        EXPECT_EQ(got.attachments[i].filename, want.attachments[i].filename);
        EXPECT_EQ(got.attachments[i].content_type, want.attachments[i].content_type);
        EXPECT_EQ(got.attachments[i].size, want.attachments[i].size);
    }
    EXPECT_EQ(got.has_virus, want.has_virus);
    EXPECT_EQ(got.virus, want.virus);
    EXPECT_EQ(got.country, want.country);
    EXPECT_EQ(got.stored, want.stored);
    EXPECT_EQ(got.quarantine_path, want.quarantine_path);
    EXPECT_EQ(got.notified, want.notified);
    EXPECT_EQ(got.notify_date, want.notify_date);
    EXPECT_EQ(got.released, want.released);
    EXPECT_EQ(got.release_date, want.release_date);
}

TEST_P(SqlMailRepoTest, RoundTripsEveryField) {
    std::vector<MailRecord> batch = {FullRecord()};
    // The second record flips every optional/boolean the first leaves unset.
    MailRecord second = MakeRecord("second");
    second.mail_date = std::nullopt;
    second.notify_date = std::nullopt;
    second.released = true;
    second.release_date = 1'704'067'400'000;
    second.rcpt_to.clear();
    second.symbols.clear();
    second.attachments.clear();
    second.mail_from.clear();  // null sender <>
    second.qid.clear();
    second.scan_time_ms = -1;
    batch.push_back(second);

    ASSERT_TRUE(repo_->InsertBatch(batch));
    ASSERT_GT(batch[0].id, 0);
    ASSERT_GT(batch[1].id, batch[0].id);

    for (const MailRecord& want : batch) {
        auto got = repo_->Get(want.id);
        ASSERT_TRUE(got) << got.error().detail;
        ExpectSameRecord(*got, want);
    }
}

TEST_P(SqlMailRepoTest, StoresRcptToJoinedForDisplay) {
    std::vector<MailRecord> batch = {FullRecord()};
    ASSERT_TRUE(repo_->InsertBatch(batch));
    auto rows = Pairs("SELECT rcpt_to, 0 FROM mails WHERE id = :id", batch[0].id);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].first, "<User@Example.com>, other@example.com");
}

TEST_P(SqlMailRepoTest, EmptyBatchIsNoop) {
    std::vector<MailRecord> batch;
    EXPECT_TRUE(repo_->InsertBatch(batch));
    EXPECT_EQ(CountMails(), 0);
}

TEST_P(SqlMailRepoTest, RejectsRecordWithoutSpoolId) {
    std::vector<MailRecord> batch = {MakeRecord("a"), MakeRecord("")};
    auto r = repo_->InsertBatch(batch);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(CountMails(), 0);
}

TEST_P(SqlMailRepoTest, ReplayWithinOneBatchKeepsOneRow) {
    MailRecord first = MakeRecord("dup");
    MailRecord again = MakeRecord("dup");
    again.subject = "a different subject";  // ignored: the first one wins
    std::vector<MailRecord> batch = {first, MakeRecord("other"), again};
    ASSERT_TRUE(repo_->InsertBatch(batch));
    EXPECT_EQ(CountMails(), 2);
    EXPECT_GT(batch[0].id, 0);
    EXPECT_EQ(batch[2].id, batch[0].id);
    EXPECT_NE(batch[1].id, batch[0].id);
    auto got = repo_->Get(batch[0].id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->subject, first.subject);
    // The skipped duplicate added no child rows either.
    EXPECT_EQ(
        Pairs("SELECT recipient, 0 FROM mail_recipients WHERE mail_id = :id", batch[0].id).size(),
        2u);
}

TEST_P(SqlMailRepoTest, ReplayAcrossBatchesReturnsExistingId) {
    std::vector<MailRecord> first = {MakeRecord("a"), MakeRecord("b")};
    ASSERT_TRUE(repo_->InsertBatch(first));
    // Spool replay after a crash: same records again, plus a new one.
    std::vector<MailRecord> replay = {MakeRecord("b"), MakeRecord("c"), MakeRecord("a")};
    ASSERT_TRUE(repo_->InsertBatch(replay));
    EXPECT_EQ(CountMails(), 3);
    EXPECT_EQ(replay[0].id, first[1].id);
    EXPECT_EQ(replay[2].id, first[0].id);
    EXPECT_GT(replay[1].id, first[1].id);
}

TEST_P(SqlMailRepoTest, NormalisesAndDeduplicatesRecipients) {
    MailRecord r = MakeRecord("rcpt");
    r.rcpt_to = {
        "Alice@Example.COM", " <alice@example.com> ", "bob@example.com", "BOB@example.com", "",
        "carol@example.com"};
    std::vector<MailRecord> batch = {r};
    ASSERT_TRUE(repo_->InsertBatch(batch));
    auto rows = Pairs(
        "SELECT recipient, 0 FROM mail_recipients WHERE mail_id = :id "
        "ORDER BY recipient",
        batch[0].id);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].first, "alice@example.com");
    EXPECT_EQ(rows[1].first, "bob@example.com");
    EXPECT_EQ(rows[2].first, "carol@example.com");
    // The display column and Get keep what was sent.
    auto got = repo_->Get(batch[0].id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->rcpt_to, r.rcpt_to);
}

TEST_P(SqlMailRepoTest, DeduplicatesSymbolsKeepingTheFirst) {
    MailRecord r = MakeRecord("sym");
    r.symbols = {Symbol{"A", 1.0}, Symbol{"B", 2.0}, Symbol{"A", 9.0}, Symbol{"C", -1.5}};
    std::vector<MailRecord> batch = {r};
    ASSERT_TRUE(repo_->InsertBatch(batch));
    auto rows = Pairs("SELECT name, score FROM mail_symbols WHERE mail_id = :id ORDER BY name",
                      batch[0].id);
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0], (std::pair<std::string, double>{"A", 1.0}));
    EXPECT_EQ(rows[1], (std::pair<std::string, double>{"B", 2.0}));
    EXPECT_EQ(rows[2], (std::pair<std::string, double>{"C", -1.5}));
    // symbols_json keeps the list as Rspamd sent it.
    auto got = repo_->Get(batch[0].id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->symbols.size(), 4u);
}

TEST_P(SqlMailRepoTest, DeletingAMailCascadesToChildRows) {
    auto ids = InsertN(1);
    ASSERT_EQ(ids.size(), 1u);
    auto deleted = db_->Run<bool>("delete", [&](soci::session& sql) -> Result<bool> {
        ExecuteOnce(sql, "DELETE FROM mails WHERE id = :id", soci::use(ids[0], "id"));
        return true;
    });
    ASSERT_TRUE(deleted);
    EXPECT_TRUE(
        Pairs("SELECT recipient, 0 FROM mail_recipients WHERE mail_id = :id", ids[0]).empty());
    EXPECT_TRUE(Pairs("SELECT name, score FROM mail_symbols WHERE mail_id = :id", ids[0]).empty());
}

TEST_P(SqlMailRepoTest, ListsNewestFirstWithKeysetPagination) {
    const auto ids = InsertN(5);  // ascending
    ASSERT_EQ(ids.size(), 5u);

    auto page1 = repo_->Search({.limit = 2});
    ASSERT_TRUE(page1) << page1.error().detail;
    ASSERT_EQ(page1->items.size(), 2u);
    EXPECT_EQ(page1->items[0].id, ids[4]);
    EXPECT_EQ(page1->items[1].id, ids[3]);
    EXPECT_EQ(page1->items[0].spool_id, "spool-4");
    EXPECT_EQ(page1->items[0].symbols.size(), 10u);  // full records, not just ids
    ASSERT_TRUE(page1->next_before_id);
    EXPECT_EQ(*page1->next_before_id, ids[3]);

    auto page2 = repo_->Search({.limit = 2, .before_id = page1->next_before_id});
    ASSERT_TRUE(page2);
    ASSERT_EQ(page2->items.size(), 2u);
    EXPECT_EQ(page2->items[0].id, ids[2]);
    EXPECT_EQ(page2->items[1].id, ids[1]);
    ASSERT_TRUE(page2->next_before_id);

    auto page3 = repo_->Search({.limit = 2, .before_id = page2->next_before_id});
    ASSERT_TRUE(page3);
    ASSERT_EQ(page3->items.size(), 1u);
    EXPECT_EQ(page3->items[0].id, ids[0]);
    EXPECT_FALSE(page3->next_before_id);
}

TEST_P(SqlMailRepoTest, NoNextPageWhenTheLastPageIsExactlyFull) {
    const auto ids = InsertN(4);
    auto page1 = repo_->Search({.limit = 2});
    ASSERT_TRUE(page1);
    ASSERT_TRUE(page1->next_before_id);
    auto page2 = repo_->Search({.limit = 2, .before_id = page1->next_before_id});
    ASSERT_TRUE(page2);
    ASSERT_EQ(page2->items.size(), 2u);
    EXPECT_EQ(page2->items[1].id, ids[0]);
    EXPECT_FALSE(page2->next_before_id);

    auto all = repo_->Search({.limit = 4});
    ASSERT_TRUE(all);
    EXPECT_EQ(all->items.size(), 4u);
    EXPECT_FALSE(all->next_before_id);
}

TEST_P(SqlMailRepoTest, ListOnEmptyTableAndBadLimit) {
    auto empty = repo_->Search({.limit = 50});
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->items.empty());
    EXPECT_FALSE(empty->next_before_id);

    auto bad = repo_->Search({.limit = 0});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument);
}

TEST_P(SqlMailRepoTest, GetUnknownIdIsNotFound) {
    InsertN(1);
    auto got = repo_->Get(999'999);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().code, ErrorCode::kNotFound);
}

TEST_P(SqlMailRepoTest, DamagedJsonIsAnErrorNotACrash) {
    const auto ids = InsertN(1);
    ASSERT_TRUE(db_->Run<bool>("damage", [&](soci::session& sql) -> Result<bool> {
        ExecuteOnce(sql, "UPDATE mails SET symbols_json = '{not json' WHERE id = :id",
                    soci::use(ids[0], "id"));
        return true;
    }));
    auto got = repo_->Get(ids[0]);
    ASSERT_FALSE(got);
    EXPECT_EQ(got.error().code, ErrorCode::kInternal);
}

TEST_P(SqlMailRepoTest, InvalidUtf8InSymbolOptionsIsStored) {
    MailRecord r = MakeRecord("utf8");
    r.symbols = {Symbol{"X", 1, "", {}, {std::string("bad \xff\xfe bytes")}}};
    std::vector<MailRecord> batch = {r};
    ASSERT_TRUE(repo_->InsertBatch(batch));
    auto got = repo_->Get(batch[0].id);
    ASSERT_TRUE(got) << got.error().detail;
    ASSERT_EQ(got->symbols.size(), 1u);
    EXPECT_EQ(got->symbols[0].options.at(0), "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes");
}

TEST_P(SqlMailRepoTest, NonFiniteScoresDoNotFailTheBatch) {
    MailRecord r = MakeRecord("nan");
    r.score = std::numeric_limits<double>::quiet_NaN();
    r.symbols = {Symbol{"X", std::numeric_limits<double>::infinity()}};
    std::vector<MailRecord> batch = {r};
    auto inserted = repo_->InsertBatch(batch);
    ASSERT_TRUE(inserted) << inserted.error().detail;
    auto got = repo_->Get(batch[0].id);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->score, 0.0);
    EXPECT_EQ(Pairs("SELECT name, score FROM mail_symbols WHERE mail_id = :id", batch[0].id),
              (std::vector<std::pair<std::string, double>>{{"X", 0.0}}));
}

TEST_P(SqlMailRepoTest, LockedDatabaseIsUnavailableAndRetryWorks) {
    if (Engine() != DialectKind::kSqlite) GTEST_SKIP() << "SQLite's database lock";
    // A second "process": its own pool, short busy timeout.
    auto options = Options();
    options.busy_timeout_ms = 50;
    auto other_db = OpenDb(options);
    ASSERT_TRUE(other_db);
    SqlMailRepo other(other_db);

    std::vector<MailRecord> batch = {MakeRecord("locked-1"), MakeRecord("locked-2")};
    auto held = db_->Run<bool>("hold lock", [&](soci::session& sql) -> Result<bool> {
        ExecuteOnce(sql, "BEGIN IMMEDIATE");
        auto r = other.InsertBatch(batch);
        EXPECT_FALSE(r);
        if (!r) {
            EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
            EXPECT_TRUE(r.error().Temporary());
            EXPECT_EQ(r.error().public_msg, "database unavailable");
            EXPECT_NE(r.error().detail.find("locked"), std::string::npos) << r.error().detail;
        }
        auto user_read = other.Search({.limit = 10});  // readers are not blocked in WAL mode
        EXPECT_TRUE(user_read);
        ExecuteOnce(sql, "ROLLBACK");
        return true;
    });
    ASSERT_TRUE(held);
    EXPECT_EQ(batch[0].id, 0);  // not assigned on failure

    ASSERT_TRUE(other.InsertBatch(batch));  // the caller's retry
    EXPECT_GT(batch[0].id, 0);
    EXPECT_EQ(CountMails(), 2);
}

TEST_P(SqlMailRepoTest, ConcurrentBatchesFromThePool) {
    constexpr int kThreads = 4;
    constexpr int kBatches = 5;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int b = 0; b < kBatches; ++b) {
                std::vector<MailRecord> batch;
                for (int i = 0; i < 10; ++i) {
                    batch.push_back(MakeRecord(std::to_string(t) + "-" + std::to_string(b) + "-" +
                                               std::to_string(i)));
                }
                if (!repo_->InsertBatch(batch)) ++failures;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(CountMails(), kThreads * kBatches * 10);
}

std::size_t CodePoints(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

// Hostile lengths must not fail the import batch on any engine (MariaDB
// refuses over-long VARCHARs, PostgreSQL over-long index entries), and every
// engine keeps the same prefix, never half a UTF-8 character.
TEST_P(SqlMailRepoTest, OverLongValuesAreCutAlikeOnEveryEngine) {
    MailRecord r = MakeRecord("long-1");
    std::string two_byte;
    for (int i = 0; i < 3000; ++i) two_byte += "é";
    r.mail_from = two_byte + "@example.org";
    r.message_id = std::string(5000, 'm');
    r.subject = std::string(10'000, 's') + "✉️";
    r.server = std::string(400, 'x');
    r.rcpt_to = {std::string(1000, 'r') + "@example.com"};
    r.symbols = {Symbol{std::string(300, 'S'), 1.5, "", {}, {}},
                 Symbol{std::string(300, 'S') + "_OTHER_TAIL", 2.5, "", {}, {}}};
    std::vector<MailRecord> batch = {r};
    auto inserted = repo_->InsertBatch(batch);
    ASSERT_TRUE(inserted) << inserted.error().detail;
    auto got = repo_->Get(batch[0].id);
    ASSERT_TRUE(got) << got.error().detail;
    EXPECT_EQ(got->mail_from, two_byte.substr(0, 2 * 512));
    EXPECT_EQ(CodePoints(got->mail_from), 512u);
    EXPECT_EQ(got->message_id, std::string(512, 'm'));
    EXPECT_EQ(got->subject, std::string(4096, 's'));
    EXPECT_EQ(got->server, std::string(255, 'x'));
    // Two names equal in their first 255 characters are one symbol row.
    EXPECT_EQ(Pairs("SELECT name, score FROM mail_symbols WHERE mail_id = :id", batch[0].id),
              (std::vector<std::pair<std::string, double>>{{std::string(255, 'S'), 1.5}}));
    EXPECT_EQ(Pairs("SELECT recipient, 0 FROM mail_recipients WHERE mail_id = :id", batch[0].id),
              (std::vector<std::pair<std::string, double>>{{std::string(512, 'r'), 0}}));
}

RQWATCH_ON_EVERY_ENGINE(SqlMailRepoTest);

}  // namespace
}  // namespace rqwatch::storage
