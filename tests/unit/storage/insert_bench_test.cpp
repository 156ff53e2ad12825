// Throughput of SqlMailRepo::InsertBatch. Disabled by default (it measures,
// it does not check); run it from a release build:
//   unit_storage --gtest_also_run_disabled_tests --gtest_filter='*InsertThroughput*'
// RQWATCH_BENCH_DIR picks the directory (default: the system temp dir), so
// the fsync cost of the real disk is included. RQWATCH_BENCH_PRAGMA="name = value"
// applies one extra PRAGMA for experiments.

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "storage/sql_mail_repo.hpp"
#include "test_db.hpp"

namespace rqwatch::storage {
namespace {

using testing::MakeRecord;
using testing::SqliteTest;

TEST_F(SqliteTest, DISABLED_InsertThroughput) {
    constexpr int kBatchSize = 200;
    constexpr int kBatches = 100;
    auto options = Options();
    options.pool_size = 1;  // so that RQWATCH_BENCH_PRAGMA reaches the connection used
    if (const char* dir = std::getenv("RQWATCH_BENCH_DIR")) {
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
    if (const char* pragma = std::getenv("RQWATCH_BENCH_PRAGMA")) {
        // Experiments, e.g. "synchronous = OFF" to see the fsync share.
        ASSERT_TRUE(db->Run<bool>("pragma", [&](soci::session& sql) -> Result<bool> {
            ExecuteOnce(sql, std::string("PRAGMA ") + pragma);
            return true;
        }));
    }

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
    std::printf("InsertBatch: %d mails in %d batches of %d: %.3f s, %.0f mails/s, %.2f ms/batch\n",
                mails, kBatches, kBatchSize, seconds, mails / seconds, 1000 * seconds / kBatches);
}

}  // namespace
}  // namespace rqwatch::storage
