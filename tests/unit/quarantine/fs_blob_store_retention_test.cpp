// Retention side of FsBlobStore: the safe delete (reference B4), the prune
// of empty day directories (B5) and Put() after a prune.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "quarantine/fs_blob_store.hpp"
#include "temp_dir.hpp"

namespace rqwatch::quarantine {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using testing::Files;
using ::testing::HasSubstr;
using testing::Put;
using testing::Slurp;
using testing::TempDir;
using Kind = app::BlobRemoval::Kind;

class FsBlobStoreRetentionTest : public ::testing::Test {
  protected:
    void SetUp() override {
        root_ = dir_.path() + "/q";
        outside_ = dir_.path() + "/outside";
        fs::create_directories(outside_);
        Put(outside_ + "/secret.txt", "not the quarantine's");
        auto s = FsBlobStore::Open(root_, /*fsync=*/false);
        ASSERT_TRUE(s.has_value()) << s.error().detail;
        store_ = std::move(*s);
    }

    // A mail file of `size` bytes at root/<relative>.
    void Mail(const std::string& relative, std::size_t size = 10) {
        fs::create_directories(fs::path(root_ + "/" + relative).parent_path());
        Put(root_ + "/" + relative, std::string(size, 'm'));
    }

    // The error of Remove(relative), which must fail; also checks that the
    // dry run fails the same way.
    Error RemoveError(const std::string& relative) {
        auto checked = store_->CheckRemove(relative);
        EXPECT_FALSE(checked.has_value()) << relative;
        auto r = store_->Remove(relative);
        EXPECT_FALSE(r.has_value()) << relative;
        if (!checked.has_value() && !r.has_value()) {
            EXPECT_EQ(checked.error().public_msg, r.error().public_msg);
        }
        return r.has_value() ? Error{} : r.error();
    }

    bool OutsideIntact() const { return Slurp(outside_ + "/secret.txt") == "not the quarantine's"; }

    TempDir dir_;
    std::string root_;
    std::string outside_;
    std::unique_ptr<FsBlobStore> store_;
};

TEST_F(FsBlobStoreRetentionTest, RemovesARegularFileAndReportsItsSize) {
    Mail("2026-01-01/a.eml", 1234);
    Mail("2026-01-01/b.eml", 5);
    auto r = store_->Remove("2026-01-01/a.eml");
    ASSERT_TRUE(r.has_value()) << r.error().detail;
    EXPECT_EQ(r->kind, Kind::kFile);
    EXPECT_EQ(r->bytes, 1234u);
    EXPECT_THAT(Files(root_ + "/2026-01-01"), ElementsAre("b.eml"));
}

TEST_F(FsBlobStoreRetentionTest, CheckRemoveChangesNothing) {
    Mail("2026-01-01/a.eml", 77);
    auto r = store_->CheckRemove("2026-01-01/a.eml");
    ASSERT_TRUE(r.has_value()) << r.error().detail;
    EXPECT_EQ(r->kind, Kind::kFile);
    EXPECT_EQ(r->bytes, 77u);
    EXPECT_THAT(Files(root_ + "/2026-01-01"), ElementsAre("a.eml"));
}

TEST_F(FsBlobStoreRetentionTest, MissingFileIsAlreadyGone) {
    fs::create_directories(root_ + "/2026-01-01");
    for (const char* rel : {"2026-01-01/gone.eml", "2026-01-09/gone.eml"}) {
        auto r = store_->Remove(rel);
        ASSERT_TRUE(r.has_value()) << rel << ": " << r.error().detail;
        EXPECT_EQ(r->kind, Kind::kMissing) << rel;
        EXPECT_EQ(r->bytes, 0u);
        auto c = store_->CheckRemove(rel);
        ASSERT_TRUE(c.has_value());
        EXPECT_EQ(c->kind, Kind::kMissing);
    }
}

TEST_F(FsBlobStoreRetentionTest, SymlinkToAFileOutsideIsUnlinkedNotFollowed) {
    fs::create_directories(root_ + "/2026-01-01");
    fs::create_symlink(outside_ + "/secret.txt", root_ + "/2026-01-01/evil.eml");
    auto c = store_->CheckRemove("2026-01-01/evil.eml");
    ASSERT_TRUE(c.has_value()) << c.error().detail;
    EXPECT_EQ(c->kind, Kind::kSymlink);
    EXPECT_TRUE(fs::is_symlink(root_ + "/2026-01-01/evil.eml"));

    auto r = store_->Remove("2026-01-01/evil.eml");
    ASSERT_TRUE(r.has_value()) << r.error().detail;
    EXPECT_EQ(r->kind, Kind::kSymlink);
    EXPECT_EQ(r->bytes, 0u);
    EXPECT_FALSE(fs::exists(fs::symlink_status(root_ + "/2026-01-01/evil.eml")));
    EXPECT_TRUE(OutsideIntact());
}

TEST_F(FsBlobStoreRetentionTest, DanglingSymlinkIsUnlinked) {
    fs::create_directories(root_ + "/2026-01-01");
    fs::create_symlink("/nonexistent/target", root_ + "/2026-01-01/dangling.eml");
    auto r = store_->Remove("2026-01-01/dangling.eml");
    ASSERT_TRUE(r.has_value()) << r.error().detail;
    EXPECT_EQ(r->kind, Kind::kSymlink);
    EXPECT_THAT(Files(root_ + "/2026-01-01"), ::testing::IsEmpty());
}

TEST_F(FsBlobStoreRetentionTest, SymlinkedDayDirectoryPointingOutsideIsRefused) {
    fs::create_directory_symlink(outside_, root_ + "/2026-01-01");
    const Error e = RemoveError("2026-01-01/secret.txt");
    EXPECT_EQ(e.code, ErrorCode::kInternal);
    EXPECT_THAT(e.public_msg, HasSubstr("outside the quarantine"));
    EXPECT_THAT(e.detail, HasSubstr(outside_));
    EXPECT_TRUE(OutsideIntact());
    // Not even a link that sits in the outside directory.
    fs::create_symlink("secret.txt", outside_ + "/link.eml");
    RemoveError("2026-01-01/link.eml");
    EXPECT_TRUE(fs::is_symlink(outside_ + "/link.eml"));
}

TEST_F(FsBlobStoreRetentionTest, DotDotIsRefused) {
    Mail("2026-01-01/a.eml");
    for (const char* rel : {"../outside/secret.txt", "2026-01-01/../../outside/secret.txt",
                            "2026-01-01/..", "2026-01-01/../2026-01-01/a.eml", ".."}) {
        const Error e = RemoveError(rel);
        EXPECT_EQ(e.code, ErrorCode::kInvalidArgument) << rel;
        EXPECT_EQ(e.public_msg, "unsafe quarantine path") << rel;
    }
    EXPECT_TRUE(OutsideIntact());
    EXPECT_THAT(Files(root_ + "/2026-01-01"), ElementsAre("a.eml"));
}

TEST_F(FsBlobStoreRetentionTest, AbsoluteEmptyAndDirectoryPathsAreRefused) {
    for (const std::string& rel :
         {outside_ + "/secret.txt", std::string("/"), std::string(), std::string("2026-01-01/"),
          std::string("2026-01-01/."), std::string("2026-01-01/a.eml\0/x", 19)}) {
        const Error e = RemoveError(rel);
        EXPECT_EQ(e.code, ErrorCode::kInvalidArgument) << rel;
    }
    EXPECT_TRUE(OutsideIntact());
}

TEST_F(FsBlobStoreRetentionTest, FileDirectlyInTheRootIsRefused) {
    Put(root_ + "/stray.eml", "x");
    const Error e = RemoveError("stray.eml");
    EXPECT_EQ(e.code, ErrorCode::kInternal);
    EXPECT_EQ(Slurp(root_ + "/stray.eml"), "x");
}

TEST_F(FsBlobStoreRetentionTest, FifoAborts) {
    fs::create_directories(root_ + "/2026-01-01");
    ASSERT_EQ(::mkfifo((root_ + "/2026-01-01/pipe.eml").c_str(), 0600), 0);
    const Error e = RemoveError("2026-01-01/pipe.eml");
    EXPECT_EQ(e.code, ErrorCode::kInternal);
    EXPECT_EQ(e.public_msg, "refusing to delete a fifo in the quarantine");
    EXPECT_TRUE(fs::is_fifo(root_ + "/2026-01-01/pipe.eml"));
}

TEST_F(FsBlobStoreRetentionTest, DirectoryAborts) {
    Mail("2026-01-01/dir.eml/inner.eml");
    const Error e = RemoveError("2026-01-01/dir.eml");
    EXPECT_EQ(e.code, ErrorCode::kInternal);
    EXPECT_EQ(e.public_msg, "refusing to delete a directory in the quarantine");
    EXPECT_THAT(Files(root_ + "/2026-01-01/dir.eml"), ElementsAre("inner.eml"));
}

// The quarantine root may itself be reached through a symlink
// (/var/lib/rqwatch/quarantine -> /srv/quarantine): files below it are inside.
TEST_F(FsBlobStoreRetentionTest, RootBehindASymlink) {
    fs::create_directory_symlink(root_, dir_.path() + "/q-link");
    auto s = FsBlobStore::Open(dir_.path() + "/q-link", false);
    ASSERT_TRUE(s.has_value());
    Mail("2026-01-01/a.eml", 3);
    auto r = (*s)->Remove("2026-01-01/a.eml");
    ASSERT_TRUE(r.has_value()) << r.error().detail;
    EXPECT_EQ(r->kind, Kind::kFile);
    EXPECT_FALSE(fs::exists(root_ + "/2026-01-01/a.eml"));
}

TEST_F(FsBlobStoreRetentionTest, PruneRemovesOnlyEmptyValidDaysBeforeTheDay) {
    for (const char* d : {"2026-01-01", "2026-02-28", "2026-03-01", "2026-03-02", "lost+found",
                          "2026-13-45", "2026-02-30", "notes", "2026-1-01"}) {
        fs::create_directories(root_ + "/" + d);
    }
    Mail("2026-01-02/kept.eml");                             // not empty
    Put(root_ + "/2025-12-31", "a file with a day's name");  // not a directory
    fs::create_directories(outside_ + "/empty");
    fs::create_directory_symlink(outside_ + "/empty", root_ + "/2025-12-30");  // a link

    auto count = store_->CountEmptyDays("2026-03-01");
    ASSERT_TRUE(count.has_value()) << count.error().detail;
    EXPECT_EQ(*count, 2u);
    EXPECT_EQ(Files(root_).size(), 12u);  // the count removed nothing

    auto pruned = store_->PruneEmptyDays("2026-03-01");
    ASSERT_TRUE(pruned.has_value()) << pruned.error().detail;
    EXPECT_EQ(*pruned, 2u);
    EXPECT_THAT(Files(root_),
                ElementsAre("2025-12-30", "2025-12-31", "2026-01-02", "2026-02-30", "2026-03-01",
                            "2026-03-02", "2026-1-01", "2026-13-45", "lost+found", "notes"));
    EXPECT_TRUE(fs::is_directory(outside_ + "/empty"));
    EXPECT_TRUE(OutsideIntact());

    pruned = store_->PruneEmptyDays("2026-03-01");
    ASSERT_TRUE(pruned.has_value());
    EXPECT_EQ(*pruned, 0u);
}

TEST_F(FsBlobStoreRetentionTest, PruneNeedsAValidDay) {
    EXPECT_FALSE(store_->PruneEmptyDays("yesterday").has_value());
    EXPECT_FALSE(store_->CountEmptyDays("2026-02-30").has_value());
}

// serve's store caches the day directories it created; a purge in another
// process may remove one while it is empty.
TEST_F(FsBlobStoreRetentionTest, PutRecreatesADayDirectoryPrunedBehindItsBack) {
    auto s = FsBlobStore::Open(root_, /*fsync=*/true);
    ASSERT_TRUE(s.has_value());
    FsBlobStore& serve = **s;
    ASSERT_TRUE(serve.Put("1970-01-02/a.eml", "first").has_value());
    ASSERT_TRUE(serve.Sync().has_value());

    ASSERT_TRUE(store_->Remove("1970-01-02/a.eml").has_value());
    auto pruned = store_->PruneEmptyDays("1970-01-03");
    ASSERT_TRUE(pruned.has_value());
    ASSERT_EQ(*pruned, 1u);
    ASSERT_FALSE(fs::exists(root_ + "/1970-01-02"));

    auto put = serve.Put("1970-01-02/b.eml", "second");
    ASSERT_TRUE(put.has_value()) << put.error().detail;
    EXPECT_TRUE(serve.Sync().has_value());
    EXPECT_EQ(Slurp(root_ + "/1970-01-02/b.eml"), "second");
}

// The store's own prune forgets the directory, so its next Put creates it.
TEST_F(FsBlobStoreRetentionTest, PutAfterItsOwnPrune) {
    ASSERT_TRUE(store_->Put("1970-01-02/a.eml", "first").has_value());
    ASSERT_TRUE(store_->Remove("1970-01-02/a.eml").has_value());
    ASSERT_EQ(store_->PruneEmptyDays("1970-01-03").value_or(0), 1u);
    ASSERT_TRUE(store_->Put("1970-01-02/b.eml", "second").has_value());
    EXPECT_EQ(Slurp(root_ + "/1970-01-02/b.eml"), "second");
}

// Read() (the viewer) makes the same path checks as the safe delete.
TEST_F(FsBlobStoreRetentionTest, ReadsAMailFile) {
    Mail("2026-01-01/a.eml", 123);
    auto bytes = store_->Read("2026-01-01/a.eml", 1000);
    ASSERT_TRUE(bytes.has_value()) << bytes.error().detail;
    EXPECT_EQ(*bytes, std::string(123, 'm'));
}

TEST_F(FsBlobStoreRetentionTest, ReadRefusesWhatIsNotAMailFileInside) {
    Mail("2026-01-01/big.eml", 2000);
    auto big = store_->Read("2026-01-01/big.eml", 1999);
    ASSERT_FALSE(big.has_value());
    EXPECT_EQ(big.error().code, ErrorCode::kTooLarge);
    auto missing = store_->Read("2026-01-01/none.eml", 1000);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
    EXPECT_EQ(store_->Read("2030-01-01/none.eml", 1000).error().code, ErrorCode::kNotFound);
    // A link inside, pointing outside: never followed.
    fs::create_symlink(outside_ + "/secret.txt", root_ + "/2026-01-01/link.eml");
    auto link = store_->Read("2026-01-01/link.eml", 1000);
    ASSERT_FALSE(link.has_value());
    EXPECT_EQ(link.error().code, ErrorCode::kInternal);
    // A day directory that is a link to elsewhere.
    fs::create_directory_symlink(outside_, root_ + "/2026-01-02");
    auto via_dir = store_->Read("2026-01-02/secret.txt", 1000);
    ASSERT_FALSE(via_dir.has_value());
    EXPECT_THAT(via_dir.error().public_msg, HasSubstr("outside the quarantine"));
    for (const char* rel : {"../outside/secret.txt", "/etc/passwd", "2026-01-01/.."}) {
        auto r = store_->Read(rel, 1000);
        ASSERT_FALSE(r.has_value()) << rel;
        EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument) << rel;
    }
    // A fifo would block a reader forever.
    ASSERT_EQ(::mkfifo((root_ + "/2026-01-01/pipe.eml").c_str(), 0600), 0);
    auto fifo = store_->Read("2026-01-01/pipe.eml", 1000);
    ASSERT_FALSE(fifo.has_value());
    EXPECT_EQ(fifo.error().public_msg, "refusing to read a fifo in the quarantine");
}

}  // namespace
}  // namespace rqwatch::quarantine
