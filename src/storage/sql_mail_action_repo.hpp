#pragma once
// app::MailActionRepo on SQL (SOCI): mail_releases and mail_learns
// (migration 0017), and mails.released / release_date.

#include <memory>

#include "app/ports/mail_action_repo.hpp"
#include "storage/database.hpp"

namespace rqwatch::storage {

class SqlMailActionRepo final : public app::MailActionRepo {
  public:
    explicit SqlMailActionRepo(std::shared_ptr<Database> db) : db_(std::move(db)) {}

    [[nodiscard]] Result<void> AddReleases(const std::vector<app::ReleaseRecord>& rows) override;
    [[nodiscard]] Result<std::vector<app::ReleaseRecord>> Releases(std::int64_t mail_id) override;
    [[nodiscard]] Result<void> AddLearn(const app::LearnRecord& row) override;
    [[nodiscard]] Result<std::vector<app::LearnRecord>> Learns(std::int64_t mail_id) override;

  private:
    std::shared_ptr<Database> db_;
};

}  // namespace rqwatch::storage
