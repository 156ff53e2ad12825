#pragma once
// Port: statistics, top reports and the quarantine's days (reference §C7,
// §D4, §D6), over the mails a search selects (filters and user scope apply).
// Implemented in storage/.

#include <cstdint>
#include <optional>

#include "app/ports/mail_repo.hpp"
#include "core/mail_report.hpp"

namespace rqwatch::app {

struct ReportQuery {
    ReportField field = ReportField::kAction;
    ReportMode mode = ReportMode::kCount;
    ReportSplit split = ReportSplit::kNone;  // kAction: for the field date only
    std::int64_t limit = 30;  // 1..1000
    MailSearch search;        // filters and scope; its limit and before_id are not used
};

class MailReports {
  public:
    virtual ~MailReports() = default;

    [[nodiscard]] virtual Result<MailStats> Stats(const MailSearch& search) = 0;
    // kInvalidArgument for mode "day" or a split with another field than
    // date, or a bad limit.
    [[nodiscard]] virtual Result<MailReport> Report(const ReportQuery& query) = 0;
    // Days with kept (not purged) mail, newest first; `before` pages back
    // (days strictly before it).
    [[nodiscard]] virtual Result<std::vector<QuarantineDay>> QuarantineDays(
        const std::optional<std::vector<std::string>>& scope, std::int64_t limit,
        std::optional<std::int64_t> before_day_ms) = 0;
};

}  // namespace rqwatch::app
