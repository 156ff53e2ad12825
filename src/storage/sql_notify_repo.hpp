#pragma once
// app::NotifyRepo on SQL (SOCI): mail_notifications (migration 0018),
// mails.notified / notify_date, notify_recipients and the users' schedule
// columns (migration 0019).

#include <memory>

#include "app/ports/notify_repo.hpp"
#include "storage/database.hpp"

namespace rqwatch::storage {

class SqlNotifyRepo final : public app::NotifyRepo {
  public:
    explicit SqlNotifyRepo(std::shared_ptr<Database> db) : db_(std::move(db)) {}

    [[nodiscard]] Result<std::vector<app::NotifyItem>> Pending(
        const app::NotifyQuery& query) override;
    [[nodiscard]] Result<app::NotifyRecipient> Recipient(const std::string& address) override;
    [[nodiscard]] Result<void> MarkNotified(const std::string& recipient,
                                            const std::vector<std::int64_t>& mail_ids,
                                            std::int64_t at) override;

  private:
    std::shared_ptr<Database> db_;
};

}  // namespace rqwatch::storage
