#pragma once
// app::MailReports on SQL: GROUP BY over the mails a search selects.

#include <memory>

#include "app/ports/mail_reports.hpp"
#include "storage/database.hpp"

namespace rqwatch::storage {

class SqlMailReports final : public app::MailReports {
  public:
    explicit SqlMailReports(std::shared_ptr<Database> db) : db_(std::move(db)) {}

    [[nodiscard]] Result<MailStats> Stats(const app::MailSearch& search) override;
    [[nodiscard]] Result<MailReport> Report(const app::ReportQuery& query) override;
    [[nodiscard]] Result<std::vector<QuarantineDay>> QuarantineDays(
        const std::optional<std::vector<std::string>>& scope, std::int64_t limit,
        std::optional<std::int64_t> before_day_ms) override;

  private:
    std::shared_ptr<Database> db_;
};

}  // namespace rqwatch::storage
