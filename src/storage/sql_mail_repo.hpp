#pragma once
// app::MailRepo on SQL (SOCI): mails + mail_recipients + mail_symbols.

#include <memory>

#include "app/ports/mail_repo.hpp"
#include "storage/database.hpp"

namespace rqwatch::storage {

class SqlMailRepo final : public app::MailRepo {
  public:
    explicit SqlMailRepo(std::shared_ptr<Database> db) : db_(std::move(db)) {}

    [[nodiscard]] Result<void> InsertBatch(std::vector<MailRecord>& records) override;
    [[nodiscard]] Result<app::MailPage> Search(const app::MailSearch& search) override;
    [[nodiscard]] Result<MailRecord> Get(std::int64_t id) override;

  private:
    std::shared_ptr<Database> db_;
};

}  // namespace rqwatch::storage
