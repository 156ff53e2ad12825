#include "quarantine/fs_spool.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <limits>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "app/ingest_envelope.hpp"
#include "quarantine/spool_record.hpp"
#include "temp_dir.hpp"
#include "util/ids.hpp"

namespace rqwatch::quarantine {
namespace {

using ::testing::ElementsAre;
using testing::Files;
using ::testing::IsEmpty;
using testing::Put;
using testing::Slurp;
using testing::TempDir;
using namespace std::string_literals;

SpoolOptions Options(const TempDir& dir, bool fsync = false) {
    SpoolOptions o;
    o.dir = dir.path() + "/spool";
    o.fsync = fsync;
    o.min_free_bytes = 0;
    return o;
}

std::unique_ptr<FsSpool> OpenSpool(const SpoolOptions& options) {
    auto s = FsSpool::Open(options);
    EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().detail);
    return s ? std::move(*s) : nullptr;
}

// Commits and waits for the committer's callback.
Result<void> CommitAndWait(app::Spool& spool, app::SpoolDraft draft, std::string metadata,
                           std::optional<std::string> message,
                           std::shared_ptr<const app::IngestEnvelope> decoded = nullptr) {
    std::promise<Result<void>> done;
    auto fut = done.get_future();
    spool.Commit(std::move(draft), std::move(metadata), std::move(message), std::move(decoded),
                 [&done](Result<void> r) { done.set_value(std::move(r)); });
    return fut.get();
}

// A committed entry; returns its id.
std::string AddEntry(app::Spool& spool, const std::string& metadata,
                     std::optional<std::string> message,
                     std::shared_ptr<const app::IngestEnvelope> decoded = nullptr) {
    auto draft = spool.Begin();
    EXPECT_TRUE(draft.has_value());
    if (!draft) return {};
    const std::string id = draft->id;
    auto r = CommitAndWait(spool, std::move(*draft), metadata, std::move(message),
                           std::move(decoded));
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().detail);
    return id;
}

std::vector<app::SpoolEntry> NextOrDie(app::Spool& spool, std::size_t max) {
    auto r = spool.Next(max);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().detail);
    return r.value_or(std::vector<app::SpoolEntry>{});
}

std::vector<std::string> Ids(const std::vector<app::SpoolEntry>& entries) {
    std::vector<std::string> ids;
    for (const auto& e : entries) ids.push_back(e.id);
    return ids;
}

// Waits up to 5 s for `flag` to reach `at_least` (OnCommitted runs after the callbacks).
bool WaitFor(const std::atomic<int>& flag, int at_least) {
    for (int i = 0; i < 500 && flag.load() < at_least; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return flag.load() >= at_least;
}

const std::string kSegment1 = "0000000000000001.log";

TEST(FsSpoolTest, OpenCreatesLayout) {
    TempDir dir;
    auto spool = OpenSpool(Options(dir));
    ASSERT_NE(spool, nullptr);
    EXPECT_THAT(Files(dir.path() + "/spool"), ElementsAre("bad", "checkpoint", "segments"));
    EXPECT_THAT(Files(dir.path() + "/spool/segments"), ElementsAre(kSegment1));
    EXPECT_EQ(spool->Pending(), 0u);
    EXPECT_THAT(NextOrDie(*spool, 10), IsEmpty());
}

TEST(FsSpoolTest, CommitNextMarkImported) {
    TempDir dir;
    auto spool = OpenSpool(Options(dir));
    ASSERT_NE(spool, nullptr);
    std::atomic<int> notified{0};
    spool->OnCommitted([&] { ++notified; });

    auto draft = spool->Begin();
    ASSERT_TRUE(draft.has_value()) << draft.error().detail;
    EXPECT_TRUE(util::IsValidSpoolId(draft->id)) << draft->id;
    EXPECT_GT(draft->received_at, 1'700'000'000'000);
    const std::string id = draft->id;
    const std::string message = "Subject: hi\r\n\r\nbody\r\n--x\r\n\0binary\xff"s;

    auto committed = CommitAndWait(*spool, std::move(*draft), R"({"v":1})", message);
    ASSERT_TRUE(committed.has_value()) << committed.error().detail;
    EXPECT_TRUE(WaitFor(notified, 1));
    EXPECT_EQ(notified.load(), 1);
    EXPECT_EQ(spool->Pending(), 1u);

    const auto entries = NextOrDie(*spool, 10);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].id, id);
    EXPECT_EQ(entries[0].metadata_json, R"({"v":1})");
    ASSERT_TRUE(entries[0].message.has_value());
    EXPECT_EQ(*entries[0].message, message);
    EXPECT_EQ(entries[0].position.segment, 1u);
    const std::uint64_t record_bytes =
        kRecordHeaderBytes + id.size() + 7 + message.size() + kRecordFooterBytes;
    EXPECT_EQ(entries[0].position.end_offset, record_bytes);
    EXPECT_EQ(std::filesystem::file_size(dir.path() + "/spool/segments/" + kSegment1),
              record_bytes);

    // Until it is marked imported, the entry is delivered again.
    EXPECT_THAT(Ids(NextOrDie(*spool, 10)), ElementsAre(id));

    ASSERT_TRUE(spool->MarkImported(entries[0].position, 1).has_value());
    EXPECT_EQ(spool->Pending(), 0u);
    EXPECT_THAT(NextOrDie(*spool, 10), IsEmpty());
    EXPECT_EQ(Slurp(dir.path() + "/spool/checkpoint")
                  .substr(0, 2 + std::to_string(record_bytes).size() + 1),
              "1 " + std::to_string(record_bytes) + "\n");
}

TEST(FsSpoolTest, EntryWithoutMessage) {
    TempDir dir;
    auto spool = OpenSpool(Options(dir));
    ASSERT_NE(spool, nullptr);
    const std::string id = AddEntry(*spool, "{\"json\":true}", std::nullopt);
    const auto entries = NextOrDie(*spool, 10);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].id, id);
    EXPECT_EQ(entries[0].metadata_json, "{\"json\":true}");
    EXPECT_FALSE(entries[0].message.has_value());
}

TEST(FsSpoolTest, EmptyMessageIsNotNoMessage) {
    TempDir dir;
    auto spool = OpenSpool(Options(dir));
    ASSERT_NE(spool, nullptr);
    AddEntry(*spool, "{}", std::string());
    const auto entries = NextOrDie(*spool, 10);
    ASSERT_EQ(entries.size(), 1u);
    ASSERT_TRUE(entries[0].message.has_value());
    EXPECT_EQ(*entries[0].message, "");
}

TEST(FsSpoolTest, CommitWithFsync) {
    TempDir dir;
    auto spool = OpenSpool(Options(dir, /*fsync=*/true));
    ASSERT_NE(spool, nullptr);
    const std::string id = AddEntry(*spool, "{}", "raw");
    EXPECT_EQ(spool->Pending(), 1u);
    const auto entries = NextOrDie(*spool, 5);
    ASSERT_EQ(entries.size(), 1u);
    EXPECT_EQ(entries[0].id, id);
    EXPECT_EQ(entries[0].message, std::optional<std::string>("raw"));
}

TEST(FsSpoolTest, GroupCommitFromManyThreads) {
    TempDir dir;
    auto spool = OpenSpool(Options(dir));
    ASSERT_NE(spool, nullptr);
    constexpr int kThreads = 8;
    constexpr int kPerThread = 25;
    std::atomic<int> ok{0};
    std::atomic<int> failed{0};
    std::atomic<int> batches{0};
    spool->OnCommitted([&] { ++batches; });
    std::mutex ids_mu;
    std::set<std::string> ids;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::vector<std::future<Result<void>>> futures;
            for (int i = 0; i < kPerThread; ++i) {
                auto draft = spool->Begin();
                if (!draft) {
                    ++failed;
                    continue;
                }
                {
                    std::lock_guard lock(ids_mu);
                    ids.insert(draft->id);
                }
                const std::string body = "mail " + std::to_string(t) + "/" + std::to_string(i);
                auto p = std::make_shared<std::promise<Result<void>>>();
                futures.push_back(p->get_future());
                spool->Commit(std::move(*draft), "{\"n\":\"" + body + "\"}", body, nullptr,
                              [p](Result<void> r) { p->set_value(std::move(r)); });
            }
            for (auto& f : futures) (f.get() ? ok : failed)++;
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(ok.load(), kThreads * kPerThread);
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(kThreads * kPerThread));
    EXPECT_EQ(spool->Pending(), static_cast<std::size_t>(kThreads * kPerThread));
    EXPECT_TRUE(WaitFor(batches, 1));
    EXPECT_LE(batches.load(), kThreads * kPerThread);

    const auto entries = NextOrDie(*spool, 1000);
    ASSERT_EQ(entries.size(), ids.size());
    const auto got = Ids(entries);
    EXPECT_EQ(std::set<std::string>(got.begin(), got.end()), ids);
    for (std::size_t i = 1; i < entries.size(); ++i) {
        EXPECT_GT(entries[i].position.end_offset, entries[i - 1].position.end_offset);
    }
    for (const auto& e : entries) {
        ASSERT_TRUE(e.message.has_value());
        EXPECT_EQ(e.metadata_json, "{\"n\":\"" + *e.message + "\"}");
    }
    EXPECT_EQ(NextOrDie(*spool, 7).size(), 7u);
}

TEST(FsSpoolTest, NextReturnsCommitOrderAndHonoursMax) {
    TempDir dir;
    auto spool = OpenSpool(Options(dir));
    ASSERT_NE(spool, nullptr);
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i)
        ids.push_back(AddEntry(*spool, "{\"i\":" + std::to_string(i) + "}", "m"));
    EXPECT_EQ(Ids(NextOrDie(*spool, 10)), ids);
    const auto first2 = NextOrDie(*spool, 2);
    EXPECT_THAT(Ids(first2), ElementsAre(ids[0], ids[1]));
    EXPECT_THAT(NextOrDie(*spool, 0), IsEmpty());
    ASSERT_TRUE(spool->MarkImported(first2.back().position, 2).has_value());
    EXPECT_EQ(spool->Pending(), 3u);
    EXPECT_THAT(Ids(NextOrDie(*spool, 10)), ElementsAre(ids[2], ids[3], ids[4]));
}

std::shared_ptr<const app::IngestEnvelope> Envelope(const std::string& server) {
    auto e = std::make_shared<app::IngestEnvelope>();
    e->server = server;
    return e;
}
std::vector<std::string> DecodedServers(const std::vector<app::SpoolEntry>& entries) {
    std::vector<std::string> servers;
    for (const auto& e : entries) servers.push_back(e.decoded ? e.decoded->server : "disk");
    return servers;
}

// Committed entries reach the importer from memory, with their decoded
// envelope; what it gets again (not marked imported) comes from the log, and
// both carry the same bytes and positions.
TEST(FsSpoolTest, CommittedEntriesAreHandedOverInMemory) {
    TempDir dir;
    auto spool = OpenSpool(Options(dir));
    ASSERT_NE(spool, nullptr);
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        const std::string n = std::to_string(i);
        ids.push_back(AddEntry(*spool, "{\"i\":" + n + "}", "mail " + n, Envelope("mx" + n)));
    }
    const auto memory = NextOrDie(*spool, 10);
    EXPECT_EQ(Ids(memory), ids);
    EXPECT_THAT(DecodedServers(memory), ElementsAre("mx0", "mx1", "mx2"));
    const auto disk = NextOrDie(*spool, 10);
    EXPECT_EQ(Ids(disk), ids);
    EXPECT_THAT(DecodedServers(disk), ElementsAre("disk", "disk", "disk"));
    ASSERT_EQ(disk.size(), 3u);
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(memory[i].metadata_json, disk[i].metadata_json);
        EXPECT_EQ(memory[i].message, disk[i].message);
        EXPECT_EQ(memory[i].position.segment, disk[i].position.segment);
        EXPECT_EQ(memory[i].position.end_offset, disk[i].position.end_offset);
    }
}

// Beyond its memory budget the spool keeps entries on disk only; the importer
// still gets every entry once, in commit order, switching between the two.
TEST(FsSpoolTest, HandoffBudgetFallsBackToTheLogInOrder) {
    TempDir dir;
    SpoolOptions opts = Options(dir);
    opts.handoff_bytes = 2 * (2 + 6);  // two entries of metadata "{}" and a 6-byte message
    auto spool = OpenSpool(opts);
    ASSERT_NE(spool, nullptr);
    std::vector<std::string> ids;
    for (int i = 0; i < 5; ++i) {
        const std::string n = std::to_string(i);
        ids.push_back(AddEntry(*spool, "{}", "mail " + n, Envelope("mx" + n)));
    }
    auto batch = NextOrDie(*spool, 10);  // memory only: it stops where memory does
    EXPECT_THAT(Ids(batch), ElementsAre(ids[0], ids[1]));
    EXPECT_THAT(DecodedServers(batch), ElementsAre("mx0", "mx1"));
    ASSERT_TRUE(spool->MarkImported(batch.back().position, batch.size()).has_value());

    // Memory has room again: entries 5 and 6 are kept there, after a gap of
    // three on disk; the log is read up to the gap's end, memory after it.
    ids.push_back(AddEntry(*spool, "{}", "mail 5", Envelope("mx5")));
    ids.push_back(AddEntry(*spool, "{}", "mail 6", Envelope("mx6")));
    batch = NextOrDie(*spool, 4);
    EXPECT_THAT(Ids(batch), ElementsAre(ids[2], ids[3], ids[4], ids[5]));
    EXPECT_THAT(DecodedServers(batch), ElementsAre("disk", "disk", "disk", "mx5"));
    ASSERT_FALSE(batch.empty());
    ASSERT_TRUE(spool->MarkImported(batch.back().position, batch.size()).has_value());

    batch = NextOrDie(*spool, 10);
    EXPECT_THAT(Ids(batch), ElementsAre(ids[6]));
    EXPECT_THAT(DecodedServers(batch), ElementsAre("mx6"));
    ASSERT_FALSE(batch.empty());
    ASSERT_TRUE(spool->MarkImported(batch.back().position, batch.size()).has_value());
    EXPECT_EQ(spool->Pending(), 0u);
    EXPECT_THAT(NextOrDie(*spool, 10), IsEmpty());
}

// Across segment rotation the in-memory entries still follow the cursor.
TEST(FsSpoolTest, HandoffAcrossSegments) {
    TempDir dir;
    SpoolOptions opts = Options(dir);
    opts.segment_bytes = 1;  // every record in its own segment
    auto spool = OpenSpool(opts);
    ASSERT_NE(spool, nullptr);
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) ids.push_back(AddEntry(*spool, "{}", "m", Envelope("mx")));
    for (std::size_t i = 0; i < 3; ++i) {
        const auto one = NextOrDie(*spool, 1);
        ASSERT_EQ(one.size(), 1u);
        EXPECT_EQ(one[0].id, ids[i]);
        EXPECT_NE(one[0].decoded, nullptr);
        EXPECT_EQ(one[0].position.segment, i + 1);
        ASSERT_TRUE(spool->MarkImported(one[0].position, 1).has_value());
    }
    EXPECT_EQ(spool->Pending(), 0u);
}

TEST(FsSpoolTest, ReopenKeepsUnimportedEntries) {
    TempDir dir;
    const SpoolOptions opts = Options(dir);
    std::vector<std::string> ids;
    {
        auto spool = OpenSpool(opts);
        ASSERT_NE(spool, nullptr);
        for (int i = 0; i < 3; ++i)
            ids.push_back(AddEntry(*spool, "{}", "message " + std::to_string(i)));
        const auto first = NextOrDie(*spool, 1);
        ASSERT_EQ(first.size(), 1u);
        ASSERT_TRUE(spool->MarkImported(first[0].position, 1).has_value());
    }
    auto spool = OpenSpool(opts);
    ASSERT_NE(spool, nullptr);
    EXPECT_EQ(spool->Pending(), 2u);
    const auto entries = NextOrDie(*spool, 10);
    EXPECT_THAT(Ids(entries), ElementsAre(ids[1], ids[2]));
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[1].message, std::optional<std::string>("message 2"));
    // New commits go after them.
    const std::string next = AddEntry(*spool, "{}", "late");
    EXPECT_THAT(Ids(NextOrDie(*spool, 10)), ElementsAre(ids[1], ids[2], next));
}

TEST(FsSpoolTest, ReopenCutsTornTail) {
    TempDir dir;
    const SpoolOptions opts = Options(dir);
    const std::string segment = opts.dir + "/segments/" + kSegment1;
    std::vector<std::string> ids;
    std::string first_record;
    {
        auto spool = OpenSpool(opts);
        ASSERT_NE(spool, nullptr);
        ids.push_back(AddEntry(*spool, "{\"a\":1}", "one"));
        ids.push_back(AddEntry(*spool, "{\"a\":2}", std::nullopt));
        const auto entries = NextOrDie(*spool, 1);
        ASSERT_EQ(entries.size(), 1u);
        first_record = Slurp(segment).substr(0, entries[0].position.end_offset);
    }
    const auto good_size = std::filesystem::file_size(segment);
    // A crash in the middle of writing a third record.
    {
        std::ofstream out(segment, std::ios::binary | std::ios::app);
        out << first_record.substr(0, first_record.size() - 5);
    }
    ASSERT_GT(std::filesystem::file_size(segment), good_size);

    auto spool = OpenSpool(opts);
    ASSERT_NE(spool, nullptr);
    EXPECT_EQ(std::filesystem::file_size(segment), good_size);
    EXPECT_EQ(spool->Pending(), 2u);
    const std::string third = AddEntry(*spool, "{\"a\":3}", "three");
    const auto entries = NextOrDie(*spool, 10);
    EXPECT_THAT(Ids(entries), ElementsAre(ids[0], ids[1], third));
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(entries[2].message, std::optional<std::string>("three"));
}

TEST(FsSpoolTest, ReopenCutsGarbageTail) {
    TempDir dir;
    const SpoolOptions opts = Options(dir);
    const std::string segment = opts.dir + "/segments/" + kSegment1;
    std::string id;
    {
        auto spool = OpenSpool(opts);
        ASSERT_NE(spool, nullptr);
        id = AddEntry(*spool, "{}", "m");
    }
    const auto good_size = std::filesystem::file_size(segment);
    {
        std::ofstream out(segment, std::ios::binary | std::ios::app);
        out << std::string(100, '\0') << "RQWSPL01 not a real header at all, just bytes";
    }
    auto spool = OpenSpool(opts);
    ASSERT_NE(spool, nullptr);
    EXPECT_EQ(std::filesystem::file_size(segment), good_size);
    EXPECT_EQ(spool->Pending(), 1u);
    EXPECT_THAT(Ids(NextOrDie(*spool, 10)), ElementsAre(id));
}

TEST(FsSpoolTest, UnreadableCheckpointReplaysFromTheStart) {
    TempDir dir;
    const SpoolOptions opts = Options(dir);
    std::vector<std::string> ids;
    {
        auto spool = OpenSpool(opts);
        ASSERT_NE(spool, nullptr);
        for (int i = 0; i < 3; ++i) ids.push_back(AddEntry(*spool, "{}", "m"));
        ASSERT_TRUE(spool->MarkImported(NextOrDie(*spool, 2).back().position, 2).has_value());
    }
    Put(opts.dir + "/checkpoint", "garbage");
    auto spool = OpenSpool(opts);
    ASSERT_NE(spool, nullptr);
    EXPECT_EQ(spool->Pending(), 3u);  // replayed; the importer skips known ids
    EXPECT_EQ(Ids(NextOrDie(*spool, 10)), ids);
}

TEST(FsSpoolTest, SegmentsRotateAndImportedOnesAreDeleted) {
    TempDir dir;
    SpoolOptions opts = Options(dir);
    opts.segment_bytes = 1;  // every record in its own segment
    std::vector<std::string> ids;
    {
        auto spool = OpenSpool(opts);
        ASSERT_NE(spool, nullptr);
        for (int i = 0; i < 3; ++i)
            ids.push_back(AddEntry(*spool, "{}", "mail " + std::to_string(i)));
        EXPECT_THAT(Files(opts.dir + "/segments"),
                    ElementsAre(kSegment1, "0000000000000002.log", "0000000000000003.log"));
        const auto entries = NextOrDie(*spool, 10);
        EXPECT_EQ(Ids(entries), ids);
        ASSERT_EQ(entries.size(), 3u);
        EXPECT_EQ(entries[0].position.segment, 1u);
        EXPECT_EQ(entries[1].position.segment, 2u);
        EXPECT_EQ(entries[2].position.segment, 3u);
        EXPECT_EQ(entries[2].message, std::optional<std::string>("mail 2"));
        EXPECT_THAT(Ids(NextOrDie(*spool, 2)), ElementsAre(ids[0], ids[1]));

        ASSERT_TRUE(spool->MarkImported(entries[1].position, 2).has_value());
        EXPECT_THAT(Files(opts.dir + "/segments"),
                    ElementsAre("0000000000000002.log", "0000000000000003.log"));
        EXPECT_EQ(spool->Pending(), 1u);
        EXPECT_THAT(Ids(NextOrDie(*spool, 10)), ElementsAre(ids[2]));
    }
    auto spool = OpenSpool(opts);
    ASSERT_NE(spool, nullptr);
    EXPECT_EQ(spool->Pending(), 1u);
    EXPECT_THAT(Ids(NextOrDie(*spool, 10)), ElementsAre(ids[2]));
}

TEST(FsSpoolTest, SetAsideWritesBadFiles) {
    TempDir dir;
    auto spool = OpenSpool(Options(dir));
    ASSERT_NE(spool, nullptr);
    const std::string with = AddEntry(*spool, "not json", "broken\r\n");
    const std::string without = AddEntry(*spool, "{bad", std::nullopt);
    const auto entries = NextOrDie(*spool, 10);
    ASSERT_EQ(entries.size(), 2u);
    spool->SetAside(entries[0], "unreadable metadata");
    spool->SetAside(entries[1], "unreadable metadata");
    EXPECT_THAT(Files(dir.path() + "/spool/bad"),
                ::testing::UnorderedElementsAre(with + ".eml", with + ".json", without + ".json"));
    EXPECT_EQ(Slurp(dir.path() + "/spool/bad/" + with + ".json"), "not json");
    EXPECT_EQ(Slurp(dir.path() + "/spool/bad/" + with + ".eml"), "broken\r\n");
    EXPECT_EQ(Slurp(dir.path() + "/spool/bad/" + without + ".json"), "{bad");
}

TEST(FsSpoolTest, SetAsideWithUnsafeIdWritesNothing) {
    TempDir dir;
    auto spool = OpenSpool(Options(dir));
    ASSERT_NE(spool, nullptr);
    app::SpoolEntry evil{"../../etc/passwd", "{}", std::string("x"), {}};
    spool->SetAside(evil, "test");
    EXPECT_THAT(Files(dir.path() + "/spool/bad"), IsEmpty());
    EXPECT_FALSE(std::filesystem::exists(dir.path() + "/etc"));
}

TEST(FsSpoolTest, DiskFullMakesBeginUnavailable) {
    TempDir dir;
    SpoolOptions opts = Options(dir);
    opts.min_free_bytes = std::numeric_limits<std::uint64_t>::max();
    auto spool = OpenSpool(opts);
    ASSERT_NE(spool, nullptr);
    auto d = spool->Begin();
    ASSERT_FALSE(d.has_value());
    EXPECT_EQ(d.error().code, ErrorCode::kUnavailable);
    EXPECT_TRUE(d.error().Temporary());
}

TEST(FsSpoolTest, CommitAfterStopFails) {
    TempDir dir;
    auto spool = OpenSpool(Options(dir));
    ASSERT_NE(spool, nullptr);
    auto draft = spool->Begin();
    ASSERT_TRUE(draft.has_value());
    spool->Stop();
    std::optional<Result<void>> got;
    spool->Commit(std::move(*draft), "{}", "late", nullptr, [&](Result<void> r) { got = std::move(r); });
    ASSERT_TRUE(got.has_value());
    ASSERT_FALSE(got->has_value());
    EXPECT_EQ(got->error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(spool->Pending(), 0u);
}

TEST(SpoolIdTest, ShapeAndValidation) {
    const std::string id = util::NewSpoolId(0x0123456789ab);
    EXPECT_EQ(id.size(), 29u);
    EXPECT_EQ(id.substr(0, 13), "0123456789ab-");
    EXPECT_TRUE(util::IsValidSpoolId(id));
    EXPECT_NE(util::NewSpoolId(5), util::NewSpoolId(5));
    EXPECT_LT(util::NewSpoolId(1000), util::NewSpoolId(2000));  // time-ordered
    EXPECT_TRUE(util::IsValidSpoolId("000000000000-0000000000000000"));
    EXPECT_FALSE(util::IsValidSpoolId("../etc/passwd"));
    EXPECT_FALSE(util::IsValidSpoolId(""));
    EXPECT_FALSE(util::IsValidSpoolId("000000000000-000000000000000"));   // one short
    EXPECT_FALSE(util::IsValidSpoolId("000000000000_0000000000000000"));  // wrong separator
    EXPECT_FALSE(util::IsValidSpoolId("00000000000A-0000000000000000"));  // upper case
    EXPECT_FALSE(util::IsValidSpoolId("000000000000-000000000000000/"));
}

TEST(SpoolIdTest, BeginGivesValidDistinctIds) {
    TempDir dir;
    auto spool = OpenSpool(Options(dir));
    ASSERT_NE(spool, nullptr);
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        auto d = spool->Begin();
        ASSERT_TRUE(d.has_value());
        EXPECT_TRUE(util::IsValidSpoolId(d->id)) << d->id;
        char prefix[16];
        std::snprintf(prefix, sizeof prefix, "%012llx",
                      static_cast<unsigned long long>(d->received_at));
        EXPECT_EQ(d->id.substr(0, 12), prefix);
        EXPECT_TRUE(seen.insert(d->id).second);
    }
}

TEST(SpoolRecordTest, HeaderRoundTrip) {
    const RecordHeader h{29, 1234, 3'000'000'000ull, kRecordHasMessage};
    const std::string bytes = EncodeRecordHeader(h);
    ASSERT_EQ(bytes.size(), kRecordHeaderBytes);
    EXPECT_EQ(bytes.substr(0, 8), "RQWSPL01");
    auto back = DecodeRecordHeader(bytes);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->id_len, 29u);
    EXPECT_EQ(back->meta_len, 1234u);
    EXPECT_EQ(back->body_len, 3'000'000'000ull);
    EXPECT_EQ(back->flags, kRecordHasMessage);
    EXPECT_EQ(back->TotalBytes(), 32u + 29 + 1234 + 3'000'000'000ull + 16);
}

TEST(SpoolRecordTest, BadHeadersRejected) {
    std::string bytes = EncodeRecordHeader(RecordHeader{29, 10, 20, 0});
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        std::string copy = bytes;
        copy[i] = static_cast<char>(copy[i] ^ 0x01);
        EXPECT_FALSE(DecodeRecordHeader(copy).has_value()) << "flipped byte " << i;
    }
    EXPECT_FALSE(DecodeRecordHeader(bytes.substr(0, 31)).has_value());
    EXPECT_FALSE(DecodeRecordHeader(std::string(32, '\0')).has_value());
    EXPECT_FALSE(
        DecodeRecordHeader(EncodeRecordHeader(RecordHeader{0, 10, 20, 0})).has_value());  // no id
    EXPECT_FALSE(DecodeRecordHeader(EncodeRecordHeader(RecordHeader{65, 10, 20, 0}))
                     .has_value());  // id too long
    EXPECT_FALSE(DecodeRecordHeader(EncodeRecordHeader(RecordHeader{29, 10, (4ull << 30) + 1, 0}))
                     .has_value());
    EXPECT_FALSE(DecodeRecordHeader(EncodeRecordHeader(RecordHeader{29, (64u << 20) + 1, 0, 0}))
                     .has_value());
}

TEST(SpoolRecordTest, Footer) {
    const std::string footer = EncodeRecordFooter("id-1", "{\"a\":1}");
    ASSERT_EQ(footer.size(), kRecordFooterBytes);
    EXPECT_EQ(footer.substr(0, 8), "RQWEND01");
    EXPECT_TRUE(FooterMatches(footer, "id-1", "{\"a\":1}"));
    EXPECT_FALSE(FooterMatches(footer, "id-2", "{\"a\":1}"));
    EXPECT_FALSE(FooterMatches(footer, "id-1", "{\"a\":2}"));
    EXPECT_FALSE(FooterMatches(footer.substr(0, 15), "id-1", "{\"a\":1}"));
}

}  // namespace
}  // namespace rqwatch::quarantine
