#pragma once
// Turns validated search filters (core/mail_filter.hpp) and a user's scope
// into the WHERE clause of a mails query. Every value is bound (:p0, :p1 …);
// only column names and operators chosen here become SQL text.

#include <soci/soci.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/mail_filter.hpp"
#include "storage/dialect.hpp"

namespace rqwatch::storage {

// A range of mail ids: from <= id < below (either side open when unset).
struct IdWindow {
    std::optional<std::int64_t> from;
    std::optional<std::int64_t> below;
};

class SearchSql {
  public:
    // `window` limits the mails and every child-row subquery to those ids,
    // so that a filter no index serves reads only the window's child rows.
    explicit SearchSql(const Dialect& dialect, IdWindow window = {});

    // True when a filter selects mails by child rows (recipients, symbols)
    // that no index can find: a substring or pattern, a symbol's score, a
    // negation. Such a search is run in id windows (SqlMailRepo::Search).
    [[nodiscard]] static bool NeedsIdWindows(const std::vector<MailFilter>& filters);

    void AddFilter(const MailFilter& filter);
    // A date filter on another day column (the roll-ups' report_daily.day).
    void AddDayFilter(const MailFilter& filter, std::string_view day_column);
    // A condition without values (constants chosen in code only).
    void AddConstant(std::string condition) { Add(std::move(condition)); }
    // `column IN (…)` over integers, each bound; an empty list matches nothing.
    void AddIntegerIn(std::string_view column, const std::vector<std::int64_t>& values);
    // Only mails in this scope (core/mail_scope.hpp: addresses and
    // "@domain"s); an empty list matches nothing (a user without an
    // address sees no mail). Add it after the filters: its best form
    // depends on theirs.
    void AddScope(const std::vector<std::string>& scope);
    // A search's filters, then its scope if it has one.
    void AddSearch(const std::vector<MailFilter>& filters,
                   const std::optional<std::vector<std::string>>& scope);
    // Kept, not yet purged mails (the quarantine), optionally before a day.
    void AddQuarantined(std::optional<std::int64_t> before_day);

    // " WHERE a AND b" or "".
    [[nodiscard]] std::string Where() const;
    // Binds every value; the statement must not outlive this object.
    void Bind(soci::statement& st);

  private:
    std::string Text(std::string value);
    std::string Number(double value);
    std::string Integer(std::int64_t value);
    // Condition on a text expression for the text operators.
    std::string TextCondition(const std::string& expr, FilterOp op, const std::string& value);
    void Add(std::string condition) { conditions_.push_back(std::move(condition)); }
    // Mails with (or without) a child row matching `condition`.
    std::string ChildWhere(std::string_view table, std::string_view alias, std::string condition,
                           bool indexed);
    std::string NoChildWhere(std::string_view table, std::string_view alias, std::string condition);
    // The window's bounds on `column`, " AND …" each.
    std::string WindowOn(std::string_view column);

    const Dialect& dialect_;
    IdWindow window_;
    std::vector<std::string> conditions_;
    // Whether a condition selects ids from a child table's index.
    bool indexed_child_ = false;
    // deques: bound by reference, so their elements must never move.
    std::deque<std::string> texts_;
    std::deque<double> numbers_;
    std::deque<long long> integers_;
    std::vector<std::function<void(soci::statement&)>> binders_;
};

}  // namespace rqwatch::storage
