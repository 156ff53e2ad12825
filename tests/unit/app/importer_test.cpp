#include "app/importer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "app/ingest_envelope.hpp"
#include "rspamd/ingest_metadata.hpp"

namespace rqwatch::app {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// ---------------------------------------------------------------- fakes

// Importer side of a spool, in memory: entries in commit order and a cursor
// that only MarkImported() moves (position.end_offset = index + 1).
class FakeSpool final : public Spool {
  public:
    void Add(const std::string& id, const std::string& metadata_json,
             std::optional<std::string> message,
             std::shared_ptr<const IngestEnvelope> decoded = nullptr) {
        std::lock_guard lock(mu_);
        const std::uint64_t n = entries_.size() + 1;
        entries_.push_back(SpoolEntry{id, metadata_json, std::move(message), SpoolPosition{0, n},
                                      std::move(decoded)});
    }

    Result<SpoolDraft> Begin() override { return Fail(ErrorCode::kInternal, "not used"); }
    void Commit(SpoolDraft, std::string, std::optional<std::string>,
                std::shared_ptr<const IngestEnvelope>,
                std::function<void(Result<void>)> done) override {
        done(Fail(ErrorCode::kInternal, "not used"));
    }

    Result<std::vector<SpoolEntry>> Next(std::size_t max) override {
        std::lock_guard lock(mu_);
        ++next_calls;
        if (fail_next) return Fail(ErrorCode::kUnavailable, "spool unreadable", "injected");
        std::vector<SpoolEntry> out;
        for (std::size_t i = cursor_; i < entries_.size() && out.size() < max; ++i)
            out.push_back(entries_[i]);
        return out;
    }
    Result<void> MarkImported(const SpoolPosition& last, std::size_t count) override {
        std::lock_guard lock(mu_);
        if (fail_mark) return Fail(ErrorCode::kInternal, "checkpoint failed", "injected");
        marks.emplace_back(last.end_offset, count);
        cursor_ = last.end_offset;
        return {};
    }
    void SetAside(const SpoolEntry& entry, const std::string& reason) override {
        std::lock_guard lock(mu_);
        set_aside.emplace_back(entry.id, reason);
    }
    std::size_t Pending() const override {
        std::lock_guard lock(mu_);
        return entries_.size() - cursor_;
    }
    void OnCommitted(std::function<void()>) override {}

    bool fail_next = false;
    bool fail_mark = false;
    int next_calls = 0;
    std::vector<std::pair<std::uint64_t, std::size_t>> marks;    // (end_offset, count)
    std::vector<std::pair<std::string, std::string>> set_aside;  // (id, reason)

  private:
    mutable std::mutex mu_;
    std::vector<SpoolEntry> entries_;
    std::size_t cursor_ = 0;
};

// Records every committed batch; skips spool ids it already has, like the SQL repo.
class FakeRepo final : public MailRepo {
  public:
    Result<void> InsertBatch(std::vector<MailRecord>& records) override {
        std::lock_guard lock(mu_);
        ++calls;
        if (fail_next > 0) {
            --fail_next;
            return Fail(ErrorCode::kUnavailable, "database unavailable", "injected");
        }
        std::vector<MailRecord> batch;
        for (auto& r : records) {
            if (auto it = ids_.find(r.spool_id); it != ids_.end()) {
                r.id = it->second;
                continue;
            }
            r.id = next_id_++;
            ids_[r.spool_id] = r.id;
            batch.push_back(r);
        }
        batches.push_back(std::move(batch));
        if (log) log->push_back("insert");
        return {};
    }
    Result<MailPage> Search(const MailSearch&) override { return MailPage{}; }
    Result<MailRecord> Get(std::int64_t) override {
        return Fail(ErrorCode::kNotFound, "no such mail");
    }

    // Every record inserted, in order.
    std::vector<MailRecord> All() const {
        std::lock_guard lock(mu_);
        std::vector<MailRecord> all;
        for (const auto& b : batches) all.insert(all.end(), b.begin(), b.end());
        return all;
    }
    const MailRecord* Find(const std::string& spool_id) const {
        for (const auto& b : batches) {
            for (const auto& r : b) {
                if (r.spool_id == spool_id) return &r;
            }
        }
        return nullptr;
    }

    int fail_next = 0;
    int calls = 0;
    std::vector<std::vector<MailRecord>> batches;
    std::vector<std::string>* log = nullptr;

  private:
    mutable std::mutex mu_;
    std::map<std::string, std::int64_t> ids_;
    std::int64_t next_id_ = 1;
};

class FakeBlobStore final : public BlobStore {
  public:
    std::string RelativePath(const std::string& spool_id,
                             std::int64_t received_at_ms) const override {
        return "day" + std::to_string(received_at_ms / 86'400'000) + "/" + spool_id + ".eml";
    }
    std::string AbsolutePath(const std::string& relative) const override {
        return "/q/" + relative;
    }
    Result<void> Put(const std::string& relative, std::string_view bytes) override {
        if (fail_put) return Fail(ErrorCode::kUnavailable, "quarantine disk full", "injected");
        files[relative] = std::string(bytes);
        ++puts;
        ++unsynced;
        if (log) log->push_back("put " + relative);
        return {};
    }
    Result<void> Sync() override {
        ++syncs;
        if (fail_sync) return Fail(ErrorCode::kUnavailable, "sync failed", "injected");
        unsynced = 0;
        if (log) log->push_back("sync");
        return {};
    }
    // Retention is not the importer's business (purge_test.cpp has its own fake).
    Result<BlobRemoval> Remove(const std::string&) override {
        return Fail(ErrorCode::kInternal, "not used");
    }
    Result<BlobRemoval> CheckRemove(const std::string&) const override {
        return Fail(ErrorCode::kInternal, "not used");
    }
    Result<std::string> Read(const std::string&, std::uint64_t) const override {
        return Fail(ErrorCode::kInternal, "not used");
    }
    Result<std::size_t> PruneEmptyDays(std::string_view) override {
        return Fail(ErrorCode::kInternal, "not used");
    }
    Result<std::size_t> CountEmptyDays(std::string_view) const override {
        return Fail(ErrorCode::kInternal, "not used");
    }

    bool fail_put = false;
    bool fail_sync = false;
    int puts = 0;
    int syncs = 0;
    int unsynced = 0;
    std::map<std::string, std::string> files;
    std::vector<std::string>* log = nullptr;
};

class FakeParser final : public MailParser {
  public:
    void Fill(std::string_view raw, MailRecord& record) override {
        ++fills;
        record.headers = std::string(raw.substr(0, raw.find("\r\n\r\n")));
        record.message_id = "parsed@example.org";
    }
    std::string DecodeHeader(std::string_view value) override {
        if (value == "=?UTF-8?Q?M=C3=BCnchen?=") return "M\xc3\xbcnchen";
        return std::string(value);
    }
    int fills = 0;
};

// ---------------------------------------------------------------- fixture

constexpr std::int64_t kDay = 86'400'000;

rspamd::IngestMetadata Meta(const std::string& action, double score) {
    rspamd::IngestMetadata m;
    m.qid = "Q" + std::to_string(static_cast<int>(score * 10));
    m.action = action;
    m.score = score;
    m.ip = "198.51.100.7";
    m.mail_from = "Sender@Example.org";
    m.rcpt = {"r1@example.net", "R2@Example.NET"};
    m.rspamd_server = "vm";
    m.scan_time_ms = 146;
    m.subject = "=?UTF-8?Q?M=C3=BCnchen?=";
    Symbol s;
    s.name = "DATE_IN_PAST";
    s.score = 1;
    s.group = "headers";
    s.options = {"9042"};
    m.symbols = {s};
    return m;
}

std::string Envelope(const rspamd::IngestMetadata& m, bool has_message,
                     std::int64_t received_at = 3 * kDay + 5,
                     const std::string& shape = "default") {
    IngestEnvelope e;
    e.server = "mx1";
    e.received_at = received_at;
    e.has_message = has_message;
    e.shape = shape;
    e.metadata = m;
    return EncodeIngestEnvelope(e);
}

const std::string kRaw = "Subject: x\r\nFrom: a@example.org\r\n\r\nbody -- with CRLF\r\n";

StorePolicy DefaultPolicy() {
    StorePolicy p;
    p.actions = {"reject", "discard", "add header", "rewrite subject"};
    return p;
}

class ImporterTest : public ::testing::Test {
  protected:
    ImporterTest()
        : importer_(spool_, repo_, blobs_, parser_, DefaultPolicy(),
                    ImporterOptions{200, 10, 0, 10}) {}

    FakeSpool spool_;
    FakeRepo repo_;
    FakeBlobStore blobs_;
    FakeParser parser_;
    Importer importer_;
};

// Ids sort in arrival order, like real spool ids.
const std::string kA = "000000000001-aaaaaaaaaaaaaaaa";
const std::string kB = "000000000002-bbbbbbbbbbbbbbbb";
const std::string kC = "000000000003-cccccccccccccccc";
const std::string kD = "000000000004-dddddddddddddddd";

// ---------------------------------------------------------------- tests

TEST_F(ImporterTest, EmptySpoolImportsNothing) {
    auto n = importer_.RunOnce();
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(*n, 0u);
    EXPECT_EQ(repo_.calls, 0);
    EXPECT_TRUE(spool_.marks.empty());
}

TEST_F(ImporterTest, ImportsAndMarksEntries) {
    std::vector<std::string> log;
    repo_.log = &log;
    blobs_.log = &log;
    spool_.Add(kA, Envelope(Meta("reject", 20.9), true), kRaw);
    spool_.Add(kB, Envelope(Meta("no action", 0.9), true), kRaw + "ham");

    auto n = importer_.RunOnce();
    ASSERT_TRUE(n.has_value()) << n.error().public_msg;
    EXPECT_EQ(*n, 2u);
    ASSERT_EQ(repo_.batches.size(), 1u);
    ASSERT_EQ(repo_.batches[0].size(), 2u);
    EXPECT_THAT(spool_.marks, ElementsAre(std::make_pair(std::uint64_t{2}, std::size_t{2})));
    EXPECT_EQ(spool_.Pending(), 0u);
    EXPECT_THAT(spool_.set_aside, IsEmpty());
    EXPECT_EQ(importer_.Stats().imported_total, 2u);
    EXPECT_EQ(importer_.Stats().failures_total, 0u);
    // The quarantine file is durable before any row points at it.
    EXPECT_THAT(log, ElementsAre("put day3/" + kA + ".eml", "sync", "insert"));

    const MailRecord& reject = repo_.batches[0][0];
    EXPECT_EQ(reject.spool_id, kA);
    EXPECT_EQ(reject.server, "mx1");
    EXPECT_EQ(reject.received_at, 3 * kDay + 5);
    EXPECT_EQ(reject.qid, "Q209");
    EXPECT_EQ(reject.action, "reject");
    EXPECT_DOUBLE_EQ(reject.score, 20.9);
    EXPECT_EQ(reject.ip, "198.51.100.7");
    EXPECT_EQ(reject.mail_from, "Sender@Example.org");
    EXPECT_THAT(reject.rcpt_to, ElementsAre("r1@example.net", "R2@Example.NET"));
    EXPECT_EQ(reject.rspamd_server, "vm");
    EXPECT_EQ(reject.scan_time_ms, 146);
    ASSERT_EQ(reject.symbols.size(), 1u);
    EXPECT_EQ(reject.symbols[0].name, "DATE_IN_PAST");
    EXPECT_EQ(reject.subject, "M\xc3\xbcnchen");  // decoded through the parser
    EXPECT_EQ(reject.size, kRaw.size());
    EXPECT_EQ(reject.headers, "Subject: x\r\nFrom: a@example.org");
    EXPECT_EQ(reject.message_id, "parsed@example.org");
    EXPECT_TRUE(reject.stored);
    EXPECT_FALSE(reject.has_virus);
    EXPECT_EQ(reject.quarantine_path, "day3/" + kA + ".eml");
    EXPECT_EQ(blobs_.files.at(reject.quarantine_path), kRaw);

    const MailRecord& ham = repo_.batches[0][1];
    EXPECT_EQ(ham.spool_id, kB);
    EXPECT_EQ(ham.action, "no action");
    EXPECT_FALSE(ham.stored);
    EXPECT_EQ(ham.quarantine_path, "");
    EXPECT_EQ(ham.size, kRaw.size() + 3);

    EXPECT_EQ(blobs_.files.size(), 1u);
    EXPECT_EQ(blobs_.unsynced, 0);
    EXPECT_EQ(parser_.fills, 2);

    auto again = importer_.RunOnce();
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(*again, 0u);
    EXPECT_EQ(repo_.batches.size(), 1u);
}

TEST_F(ImporterTest, VirusStoredEvenForNoAction) {
    rspamd::IngestMetadata m = Meta("no action", 0.5);
    Symbol av;
    av.name = "CLAM_VIRUS";
    av.group = "antivirus";
    av.options = {"Eicar-Signature"};
    m.symbols.push_back(av);
    spool_.Add(kA, Envelope(m, true), kRaw);
    ASSERT_TRUE(importer_.RunOnce().has_value());
    const MailRecord* r = repo_.Find(kA);
    ASSERT_NE(r, nullptr);
    EXPECT_TRUE(r->has_virus);
    EXPECT_EQ(r->virus, "Eicar-Signature");
    EXPECT_TRUE(r->stored);
    EXPECT_EQ(r->quarantine_path, "day3/" + kA + ".eml");
    EXPECT_EQ(blobs_.files.at("day3/" + kA + ".eml"), kRaw);
}

TEST_F(ImporterTest, MetadataOnlyEntry) {
    rspamd::IngestMetadata m = Meta("add header", 7.37);
    m.message_id = "20261119100000.ABC@example.org";
    m.header_from = {"Alice Example <Alice@Example.ORG>"};
    m.header_to = {"r1@example.net", "Bob <bob@example.net>"};
    spool_.Add(kA, Envelope(m, false, 0, "json"), std::nullopt);
    auto n = importer_.RunOnce();
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(*n, 1u);
    const MailRecord* r = repo_.Find(kA);
    ASSERT_NE(r, nullptr);
    EXPECT_FALSE(r->stored);  // nothing to keep
    EXPECT_EQ(r->quarantine_path, "");
    EXPECT_EQ(r->size, 0u);
    EXPECT_EQ(r->message_id, "20261119100000.ABC@example.org");
    EXPECT_EQ(r->mime_from, "Alice Example <Alice@Example.ORG>");
    EXPECT_EQ(r->mime_from_addr, "alice example <alice@example.org>");
    ASSERT_EQ(r->mime_to.size(), 2u);
    EXPECT_EQ(r->mime_to[1].address, "Bob <bob@example.net>");
    EXPECT_EQ(r->subject, "M\xc3\xbcnchen");
    EXPECT_EQ(parser_.fills, 0);
    EXPECT_TRUE(blobs_.files.empty());
}

TEST_F(ImporterTest, RepoUnavailableMarksNothingThenImportsExactlyOnce) {
    spool_.Add(kA, Envelope(Meta("reject", 20.9), true), kRaw);
    spool_.Add(kB, Envelope(Meta("no action", 0.9), true), kRaw);
    spool_.Add(kC, Envelope(Meta("add header", 8.9), false, 0, "json"), std::nullopt);
    repo_.fail_next = 1;

    auto failed = importer_.RunOnce();
    ASSERT_FALSE(failed.has_value());
    EXPECT_EQ(failed.error().code, ErrorCode::kUnavailable);
    EXPECT_TRUE(failed.error().Temporary());
    EXPECT_TRUE(spool_.marks.empty());
    EXPECT_EQ(spool_.Pending(), 3u);
    EXPECT_THAT(spool_.set_aside, IsEmpty());
    EXPECT_TRUE(repo_.batches.empty());
    EXPECT_EQ(importer_.Stats().imported_total, 0u);

    ASSERT_TRUE(importer_.Stats().last_error.has_value());
    EXPECT_NE(importer_.Stats().last_error->find("database"), std::string::npos)
        << *importer_.Stats().last_error;
    auto ok = importer_.RunOnce();
    ASSERT_TRUE(ok.has_value()) << ok.error().public_msg;
    EXPECT_EQ(*ok, 3u);
    EXPECT_EQ(spool_.Pending(), 0u);
    EXPECT_THAT(spool_.marks, ElementsAre(std::make_pair(std::uint64_t{3}, std::size_t{3})));
    const auto all = repo_.All();
    ASSERT_EQ(all.size(), 3u);
    std::multiset<std::string> ids;
    for (const auto& r : all) ids.insert(r.spool_id);
    EXPECT_EQ(ids, (std::multiset<std::string>{kA, kB, kC}));

    const MailRecord* reject = repo_.Find(kA);
    ASSERT_NE(reject, nullptr);
    EXPECT_TRUE(reject->stored);
    EXPECT_EQ(blobs_.files.at(reject->quarantine_path), kRaw);  // rewritten, same bytes
    EXPECT_EQ(importer_.Stats().imported_total, 3u);

    EXPECT_FALSE(importer_.Stats().last_error.has_value());
    auto nothing = importer_.RunOnce();
    ASSERT_TRUE(nothing.has_value());
    EXPECT_EQ(*nothing, 0u);
    EXPECT_EQ(repo_.All().size(), 3u);
}

TEST_F(ImporterTest, QuarantineFailureWritesNoRows) {
    spool_.Add(kA, Envelope(Meta("reject", 20.9), true), kRaw);
    blobs_.fail_put = true;
    auto r = importer_.RunOnce();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(repo_.calls, 0);
    EXPECT_TRUE(spool_.marks.empty());

    blobs_.fail_put = false;
    blobs_.fail_sync = true;
    r = importer_.RunOnce();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(repo_.calls, 0);  // no row may point at a file that is not durable
    EXPECT_TRUE(spool_.marks.empty());

    blobs_.fail_sync = false;
    auto ok = importer_.RunOnce();
    ASSERT_TRUE(ok.has_value()) << ok.error().public_msg;
    EXPECT_EQ(*ok, 1u);
    const MailRecord* rec = repo_.Find(kA);
    ASSERT_NE(rec, nullptr);
    EXPECT_TRUE(rec->stored);
    EXPECT_EQ(spool_.Pending(), 0u);
}

TEST_F(ImporterTest, SpoolErrorsAreReturned) {
    spool_.Add(kA, Envelope(Meta("reject", 20.9), true), kRaw);
    spool_.fail_next = true;
    auto r = importer_.RunOnce();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(repo_.calls, 0);

    // Rows committed but the spool could not record it: the replay is skipped by the repo.
    spool_.fail_next = false;
    spool_.fail_mark = true;
    r = importer_.RunOnce();
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInternal);
    EXPECT_EQ(repo_.All().size(), 1u);
    spool_.fail_mark = false;
    auto ok = importer_.RunOnce();
    ASSERT_TRUE(ok.has_value());
    EXPECT_EQ(repo_.All().size(), 1u);
    EXPECT_EQ(spool_.Pending(), 0u);
}

TEST_F(ImporterTest, UnreadableMetadataIsSetAsideNotRetried) {
    spool_.Add(kA, "this is not json", kRaw);
    spool_.Add(kB, R"({"v":1,"server":"mx1","rspamd":{"score":1}})", kRaw);  // no action
    spool_.Add(kC, Envelope(Meta("reject", 20.9), true), kRaw);

    auto n = importer_.RunOnce();
    ASSERT_TRUE(n.has_value()) << n.error().public_msg;
    EXPECT_EQ(*n, 3u);  // entries consumed, set-aside ones included (Loop relies on this)
    ASSERT_EQ(spool_.set_aside.size(), 2u);
    EXPECT_EQ(spool_.set_aside[0].first, kA);
    EXPECT_EQ(spool_.set_aside[1].first, kB);
    EXPECT_THAT(spool_.set_aside[1].second, ::testing::HasSubstr("missing action"));
    EXPECT_THAT(spool_.marks, ElementsAre(std::make_pair(std::uint64_t{3}, std::size_t{3})));
    ASSERT_EQ(repo_.All().size(), 1u);
    EXPECT_EQ(repo_.All()[0].spool_id, kC);
    EXPECT_EQ(importer_.Stats().set_aside_total, 2u);
    EXPECT_EQ(importer_.Stats().imported_total, 1u);

    auto again = importer_.RunOnce();
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(*again, 0u);
    EXPECT_EQ(spool_.set_aside.size(), 2u);  // not tried again
    EXPECT_EQ(importer_.Stats().set_aside_total, 2u);
}

TEST_F(ImporterTest, OnlyBadEntriesStillAdvanceTheSpool) {
    spool_.Add(kA, "{}", std::nullopt);
    auto n = importer_.RunOnce();
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(repo_.calls, 0);
    EXPECT_EQ(spool_.set_aside.size(), 1u);
    EXPECT_EQ(spool_.Pending(), 0u);
}

// Regression test of a fixed bug; before the fix (src/app/importer.cpp, RunOnce): SetAside() and
// set_aside_++ happen before the batch is committed. When the batch then fails (e.g. database
// down), the next RunOnce gets the same entries from Spool::Next() and sets
// the bad entry aside AGAIN: ImporterStats::set_aside_total counts it twice
// and FsSpool rewrites spool/bad/<id>.* once per retry.
TEST_F(ImporterTest, BadEntryIsSetAsideOnceAcrossRetries) {
    spool_.Add(kA, "not json", kRaw);
    spool_.Add(kB, Envelope(Meta("reject", 20.9), true), kRaw);
    repo_.fail_next = 1;
    ASSERT_FALSE(importer_.RunOnce().has_value());
    ASSERT_TRUE(importer_.RunOnce().has_value());
    EXPECT_EQ(spool_.set_aside.size(), 1u);
    EXPECT_EQ(importer_.Stats().set_aside_total, 1u);
}

TEST_F(ImporterTest, UnknownActionFollowsPolicy) {
    spool_.Add(kA, Envelope(Meta("custom action", 3), true), kRaw);
    ASSERT_TRUE(importer_.RunOnce().has_value());
    const MailRecord* r = repo_.Find(kA);
    ASSERT_NE(r, nullptr);
    EXPECT_TRUE(r->stored);

    StorePolicy p = DefaultPolicy();
    p.unknown_actions = false;
    Importer strict(spool_, repo_, blobs_, parser_, p, ImporterOptions{});
    spool_.Add(kB, Envelope(Meta("custom action", 3), true), kRaw);
    ASSERT_TRUE(strict.RunOnce().has_value());
    const MailRecord* r2 = repo_.Find(kB);
    ASSERT_NE(r2, nullptr);
    EXPECT_FALSE(r2->stored);
}

TEST_F(ImporterTest, BatchSizeLimitsEachRun) {
    Importer small(spool_, repo_, blobs_, parser_, DefaultPolicy(), ImporterOptions{2, 10, 0, 10});
    for (const auto& id : {kA, kB, kC, kD})
        spool_.Add(id, Envelope(Meta("no action", 0), true), kRaw);
    std::vector<std::size_t> counts;
    for (int i = 0; i < 3; ++i) {
        auto n = small.RunOnce();
        ASSERT_TRUE(n.has_value());
        counts.push_back(*n);
    }
    EXPECT_THAT(counts, ElementsAre(2u, 2u, 0u));
    ASSERT_EQ(repo_.batches.size(), 2u);
    EXPECT_EQ(repo_.batches[0][0].spool_id, kA);
    EXPECT_EQ(repo_.batches[1][1].spool_id, kD);
}

TEST_F(ImporterTest, BackgroundThreadImportsAndRetries) {
    repo_.fail_next = 1;
    spool_.Add(kA, Envelope(Meta("reject", 20.9), true), kRaw);
    importer_.Start();
    importer_.Wake();
    for (int i = 0; i < 500 && spool_.Pending() > 0; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    importer_.Stop();
    EXPECT_EQ(spool_.Pending(), 0u);
    EXPECT_EQ(repo_.All().size(), 1u);
    EXPECT_EQ(importer_.Stats().imported_total, 1u);
    EXPECT_EQ(importer_.Stats().failures_total, 1u);
}

// Regression test of a fixed bug; before the fix (src/app/importer.cpp vs importer.hpp):
// ImporterStats documents failures_total as "failed batches (retried) and entries set aside", but
// RunOnce only increments set_aside_ when it sets an entry aside; failures_
// is only incremented by Loop() for failed batches.
TEST_F(ImporterTest, SetAsideCountsAsFailure) {
    spool_.Add(kA, "not json", kRaw);
    ASSERT_TRUE(importer_.RunOnce().has_value());
    EXPECT_EQ(importer_.Stats().set_aside_total, 1u);
    EXPECT_EQ(importer_.Stats().failures_total, 1u);
}

// An entry handed over in memory is imported from its decoded envelope: its
// JSON is not decoded again (here it is not even JSON).
TEST_F(ImporterTest, UsesTheDecodedEnvelopeWhenTheSpoolHasIt) {
    auto e = std::make_shared<IngestEnvelope>();
    e->server = "mx-memory";
    e->received_at = 3 * kDay + 5;
    e->has_message = true;
    e->shape = "default";
    e->metadata = Meta("reject", 20.9);
    spool_.Add(kA, "not json: must not be decoded", kRaw, e);
    auto n = importer_.RunOnce();
    ASSERT_TRUE(n.has_value()) << n.error().detail;
    EXPECT_EQ(importer_.Stats().set_aside_total, 0u);
    const auto rows = repo_.All();
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].server, "mx-memory");
    EXPECT_EQ(rows[0].action, "reject");
    EXPECT_TRUE(rows[0].stored);
}

TEST(IngestEnvelopeTest, RoundTrip) {
    IngestEnvelope in;
    in.server = "mx1";
    in.received_at = 1'795'391'999'999;
    in.has_message = true;
    in.shape = "multipart";
    in.metadata = Meta("reject", 20.9);
    auto out = DecodeIngestEnvelope(EncodeIngestEnvelope(in));
    ASSERT_TRUE(out.has_value()) << out.error().public_msg;
    EXPECT_EQ(out->server, "mx1");
    EXPECT_EQ(out->received_at, 1'795'391'999'999);
    EXPECT_TRUE(out->has_message);
    EXPECT_EQ(out->shape, "multipart");
    EXPECT_EQ(out->metadata.action, "reject");
    EXPECT_EQ(out->metadata.score, 20.9);
    EXPECT_EQ(out->metadata.rcpt, (std::vector<std::string>{"r1@example.net", "R2@Example.NET"}));
    EXPECT_EQ(rspamd::MetadataToJsonText(out->metadata), rspamd::MetadataToJsonText(in.metadata));
}

TEST(IngestEnvelopeTest, EncodedShape) {
    IngestEnvelope in;
    in.server = "n";
    in.metadata = Meta("reject", 1);
    const auto j = nlohmann::json::parse(EncodeIngestEnvelope(in));
    EXPECT_EQ(j["v"], 1);
    EXPECT_EQ(j["server"], "n");
    EXPECT_EQ(j["received_at"], 0);
    EXPECT_EQ(j["has_message"], false);
    EXPECT_EQ(j["rspamd"]["action"], "reject");
}

TEST(IngestEnvelopeTest, InvalidUtf8IsReplacedNotThrown) {
    IngestEnvelope in;
    in.server = "bad \xff byte";
    in.metadata = Meta("reject", 1);
    auto out = DecodeIngestEnvelope(EncodeIngestEnvelope(in));
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(out->server, "bad \xef\xbf\xbd byte");
}

TEST(IngestEnvelopeTest, DecodeErrors) {
    for (const char* bad : {"", "not json", "[]", R"({"v":2,"rspamd":{}})", R"({"v":1})",
                            R"({"rspamd":{}})", R"({"v":1,"rspamd":{}})"}) {
        auto r = DecodeIngestEnvelope(bad);
        ASSERT_FALSE(r.has_value()) << bad;
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << bad;
    }
}

}  // namespace
}  // namespace rqwatch::app
