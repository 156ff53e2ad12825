#include "quarantine/fs_blob_store.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "temp_dir.hpp"

namespace rqwatch::quarantine {
namespace {

using ::testing::ElementsAre;
using testing::Files;
using ::testing::IsEmpty;
using testing::Put;
using testing::Slurp;
using testing::TempDir;
using namespace std::string_literals;

const std::string kId = "0123456789ab-0123456789abcdef";

std::unique_ptr<FsBlobStore> OpenStore(const std::string& root, bool fsync) {
    auto s = FsBlobStore::Open(root, fsync);
    EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().detail);
    return s ? std::move(*s) : nullptr;
}

TEST(FsBlobStoreTest, RelativePathUsesUtcDate) {
    TempDir dir;
    auto store = OpenStore(dir.path() + "/q", false);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->RelativePath(kId, 0), "1970-01-01/" + kId + ".eml");
    EXPECT_EQ(store->RelativePath(kId, 86'399'999), "1970-01-01/" + kId + ".eml");
    EXPECT_EQ(store->RelativePath(kId, 86'400'000), "1970-01-02/" + kId + ".eml");
    // 2026-11-22T23:59:59.999Z and one millisecond later.
    EXPECT_EQ(store->RelativePath("x", 1'795'391'999'999), "2026-11-22/x.eml");
    EXPECT_EQ(store->RelativePath("x", 1'795'392'000'000), "2026-11-23/x.eml");
    // Leap day.
    EXPECT_EQ(store->RelativePath("x", 1'709'208'000'000), "2024-02-29/x.eml");
}

TEST(FsBlobStoreTest, RelativePathIgnoresLocalTimeZone) {
    TempDir dir;
    auto store = OpenStore(dir.path() + "/q", false);
    ASSERT_NE(store, nullptr);
    const char* old = std::getenv("TZ");
    const std::string saved = old ? old : "";
    ::setenv("TZ", "XYZ-14", 1);  // POSIX form of UTC+14
    ::tzset();
    const std::string rel = store->RelativePath("x", 0);
    if (old) {
        ::setenv("TZ", saved.c_str(), 1);
    } else {
        ::unsetenv("TZ");
    }
    ::tzset();
    EXPECT_EQ(rel, "1970-01-01/x.eml");
}

TEST(FsBlobStoreTest, AbsolutePath) {
    TempDir dir;
    auto store = OpenStore(dir.path() + "/q", false);
    ASSERT_NE(store, nullptr);
    EXPECT_EQ(store->AbsolutePath("1970-01-01/a.eml"), dir.path() + "/q/1970-01-01/a.eml");
}

TEST(FsBlobStoreTest, OpenCreatesRoot) {
    TempDir dir;
    auto store = OpenStore(dir.path() + "/deep/quarantine", false);
    ASSERT_NE(store, nullptr);
    EXPECT_TRUE(std::filesystem::is_directory(dir.path() + "/deep/quarantine"));
}

TEST(FsBlobStoreTest, PutWritesFileAndSyncSucceeds) {
    TempDir dir;
    auto store = OpenStore(dir.path() + "/q", /*fsync=*/true);
    ASSERT_NE(store, nullptr);
    const std::string rel = store->RelativePath(kId, 0);
    const std::string bytes = "Subject: x\r\n\r\nbody\r\n\0\xff"s;
    ASSERT_TRUE(store->Put(rel, bytes).has_value());
    EXPECT_EQ(Slurp(store->AbsolutePath(rel)), bytes);
    EXPECT_THAT(Files(dir.path() + "/q"), ElementsAre("1970-01-01"));
    EXPECT_THAT(Files(dir.path() + "/q/1970-01-01"), ElementsAre(kId + ".eml"));
    EXPECT_TRUE(store->Sync().has_value());
    EXPECT_TRUE(store->Sync().has_value());  // nothing dirty
}

TEST(FsBlobStoreTest, PutRewritesTheSameFile) {
    TempDir dir;
    auto store = OpenStore(dir.path() + "/q", false);
    ASSERT_NE(store, nullptr);
    const std::string rel = store->RelativePath(kId, 0);
    ASSERT_TRUE(store->Put(rel, "a much longer first version").has_value());
    ASSERT_TRUE(store->Put(rel, "short").has_value());
    EXPECT_EQ(Slurp(store->AbsolutePath(rel)), "short");
    EXPECT_THAT(Files(dir.path() + "/q/1970-01-01"), ElementsAre(kId + ".eml"));
    EXPECT_TRUE(store->Sync().has_value());
}

TEST(FsBlobStoreTest, PutIntoSeveralDays) {
    TempDir dir;
    auto store = OpenStore(dir.path() + "/q", true);
    ASSERT_NE(store, nullptr);
    for (int day = 0; day < 3; ++day) {
        ASSERT_TRUE(store
                        ->Put(store->RelativePath("id" + std::to_string(day), day * 86'400'000LL),
                              "mail " + std::to_string(day))
                        .has_value());
    }
    EXPECT_TRUE(store->Sync().has_value());
    EXPECT_THAT(Files(dir.path() + "/q"), ElementsAre("1970-01-01", "1970-01-02", "1970-01-03"));
    EXPECT_EQ(Slurp(dir.path() + "/q/1970-01-03/id2.eml"), "mail 2");
}

TEST(FsBlobStoreTest, PutFailsWhenDayPathIsAFile) {
    TempDir dir;
    auto store = OpenStore(dir.path() + "/q", false);
    ASSERT_NE(store, nullptr);
    Put(dir.path() + "/q/1970-01-01", "a file where a directory should be");
    auto r = store->Put("1970-01-01/x.eml", "m");
    EXPECT_FALSE(r.has_value());
}

}  // namespace
}  // namespace rqwatch::quarantine
