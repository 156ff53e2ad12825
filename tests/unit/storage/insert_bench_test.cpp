// Throughput of SqlMailRepo::InsertBatch on each engine. Disabled by default
// (it measures, it does not check); run it from a release build:
//   unit_storage --gtest_also_run_disabled_tests --gtest_filter='*InsertThroughput*'
// with RQWATCH_TEST_DB_DIR from tests/harness/db_servers.sh (start it with
// RQWATCH_DB_DURABLE=1 so that commits are fsync'ed as on a real server).
// SQLite: RQWATCH_BENCH_DIR picks the directory (default: the system temp
// dir), so the fsync cost of the real disk is included.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "storage/sql_mail_repo.hpp"
#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

using testing::DbTest;
using testing::MakeRecord;

TEST_P(DbTest, DISABLED_InsertThroughput) {
    constexpr int kBatchSize = 200;
    constexpr int kBatches = 100;
    auto options = Options();
    options.pool_size = 1;
    if (const char* dir = std::getenv("RQWATCH_BENCH_DIR");
        dir && Engine() == DialectKind::kSqlite) {
        const std::string path = std::string(dir) + "/rqwatch-bench.db";
        options.url = "sqlite:" + path;
        std::remove(path.c_str());
        std::remove((path + "-wal").c_str());
        std::remove((path + "-shm").c_str());
    }
    auto db = OpenDb(options);
    ASSERT_TRUE(db);
    ASSERT_TRUE(Migrate(*db));
    SqlMailRepo repo(db);

    std::vector<std::vector<MailRecord>> batches(kBatches);
    for (int b = 0; b < kBatches; ++b) {
        for (int i = 0; i < kBatchSize; ++i) {
            batches[b].push_back(MakeRecord("bench-" + std::to_string(b * kBatchSize + i)));
        }
    }
    const auto start = std::chrono::steady_clock::now();
    for (auto& batch : batches) ASSERT_TRUE(repo.InsertBatch(batch));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const int mails = kBatchSize * kBatches;
    std::printf(
        "%s InsertBatch: %d mails in %d batches of %d: %.3f s, %.0f mails/s, %.2f ms/batch\n",
        testing::EngineName(Engine()).c_str(), mails, kBatches, kBatchSize, seconds,
        mails / seconds, 1000 * seconds / kBatches);
}

}  // namespace
}  // namespace rqwatch::storage
