#pragma once
// app::ReleaseRequestRepo on SQL (SOCI): release_requests (migration 0020).

#include <memory>

#include "app/ports/release_request_repo.hpp"
#include "storage/database.hpp"

namespace rqwatch::storage {

class SqlReleaseRequestRepo final : public app::ReleaseRequestRepo {
  public:
    explicit SqlReleaseRequestRepo(std::shared_ptr<Database> db) : db_(std::move(db)) {}

    [[nodiscard]] Result<std::int64_t> Add(const app::ReleaseRequestRecord& request) override;
    [[nodiscard]] Result<app::ReleaseRequestRecord> Find(std::int64_t id) override;
    [[nodiscard]] Result<std::vector<app::ReleaseRequestRecord>> List(
        const app::ReleaseRequestQuery& query) override;
    [[nodiscard]] Result<std::optional<app::ReleaseRequestRecord>> PendingOf(
        std::int64_t mail_id, const std::string& requester) override;
    [[nodiscard]] Result<std::int64_t> CountPending() override;
    [[nodiscard]] Result<void> Decide(std::int64_t id, const app::ReleaseDecision& decision) override;
    [[nodiscard]] Result<bool> Reopen(std::int64_t id, std::int64_t decided_at) override;

  private:
    std::shared_ptr<Database> db_;
};

}  // namespace rqwatch::storage
