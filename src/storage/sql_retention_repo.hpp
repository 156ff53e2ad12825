#pragma once
// app::RetentionRepo on SQL (SOCI): the purge's reads, UPDATEs and DELETEs
// of mails rows, in batches of at most RetentionRepo::kMaxBatch ids.

#include <memory>

#include "app/ports/retention_repo.hpp"
#include "storage/database.hpp"

namespace rqwatch::storage {

class SqlRetentionRepo final : public app::RetentionRepo {
  public:
    explicit SqlRetentionRepo(std::shared_ptr<Database> db) : db_(std::move(db)) {}

    [[nodiscard]] Result<std::vector<app::RetentionRow>> ListReceivedBefore(
        std::int64_t before_ms, std::int64_t after_id, std::size_t limit) override;
    [[nodiscard]] Result<std::vector<app::RetentionRow>> ListWithFiles(std::int64_t from_ms,
                                                                       std::int64_t before_ms,
                                                                       std::int64_t after_id,
                                                                       std::size_t limit) override;
    [[nodiscard]] Result<std::size_t> MarkPurged(const std::vector<std::int64_t>& ids) override;
    [[nodiscard]] Result<std::size_t> Delete(const std::vector<std::int64_t>& ids) override;
    [[nodiscard]] Result<std::size_t> DeleteRollupsBefore(std::int64_t cutoff_ms) override;
    [[nodiscard]] Result<std::size_t> DeleteNotifyMarksBefore(std::int64_t cutoff_ms) override;

  private:
    // Runs `statement_head` + " IN (…ids…)" in a write transaction of its own.
    [[nodiscard]] Result<std::size_t> ChangeRows(std::string_view context,
                                                 std::string_view statement_head,
                                                 const std::vector<std::int64_t>& ids);

    std::shared_ptr<Database> db_;
};

}  // namespace rqwatch::storage
