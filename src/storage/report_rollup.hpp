#pragma once
// The daily roll-ups of migrations 0006 and 0008 (report_daily): which reports read
// them, and how a batch of newly inserted mails adds to them.

#include <soci/soci.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "core/mail_report.hpp"
#include "storage/dialect.hpp"

namespace rqwatch::storage {

enum class RollupKind : int {
    kMailFrom = 1,
    kRcptTo = 2,
    kSymbol = 3,
    kRcptToDomain = 4,
    kMailFromDomain = 5,
};

// Every kind, for statements over all of them: report_daily's key starts
// with the kind, so "kind IN (...) AND day < x" is an index range.
inline constexpr std::string_view kAllRollupKinds = "1, 2, 3, 4, 5";

// The roll-up behind a report field, if it has one.
[[nodiscard]] std::optional<RollupKind> RollupOf(ReportField field);

struct RollupSums {
    long long mails = 0;
    long long stored = 0;
    long long size = 0;
};

// (day, kind, value) -> sums, filled from the rows a batch inserts.
class RollupBatch {
  public:
    void Add(std::int64_t day, RollupKind kind, const std::string& value, bool stored,
             std::int64_t size);
    [[nodiscard]] bool Empty() const { return sums_.empty(); }
    // Adds every sum to report_daily (inside the caller's transaction).
    void Write(soci::session& sql, const Dialect& dialect);

  private:
    std::map<std::tuple<long long, int, std::string>, RollupSums> sums_;
};

}  // namespace rqwatch::storage
