#pragma once
// Port: where mail metadata lives (SQL). Implemented in storage/.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/mail.hpp"
#include "core/mail_filter.hpp"

namespace rqwatch::app {

// A page of mails, newest first. Every filter must hold (AND).
struct MailSearch {
    std::vector<MailFilter> filters;
    // Whose mail the caller may see (core/mail_scope.hpp: a user's addresses,
    // a domain admin's "@domain"s), enforced inside the query; nullopt =
    // every mail (administrators). An empty list sees nothing.
    std::optional<std::vector<std::string>> scope;
    std::int64_t limit = 50;                // 1..1000, checked by the repository
    std::optional<std::int64_t> before_id;  // keyset pagination: rows with id < before_id
};

struct MailPage {
    std::vector<MailRecord> items;               // newest first (id descending)
    std::optional<std::int64_t> next_before_id;  // set when more rows exist
};

class MailRepo {
  public:
    virtual ~MailRepo() = default;

    // Inserts every record (mails row + recipient rows + symbol rows) in ONE
    // transaction. A record whose spool_id already exists is skipped (spool
    // replay after a crash), not an error. Fills MailRecord::id of every
    // record (existing id for skipped ones). Returns kUnavailable when the
    // database cannot be reached or is locked, so the caller retries later.
    [[nodiscard]] virtual Result<void> InsertBatch(std::vector<MailRecord>& records) = 0;

    // kInvalidArgument for a limit outside 1..1000 or more than kMaxFilters
    // filters. The records' `headers` are left empty (Get() has them).
    [[nodiscard]] virtual Result<MailPage> Search(const MailSearch& search) = 0;

    // kNotFound when there is no such row.
    [[nodiscard]] virtual Result<MailRecord> Get(std::int64_t id) = 0;
};

}  // namespace rqwatch::app
