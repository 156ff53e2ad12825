#include "storage/mail_search_sql.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/mail.hpp"
#include "core/mail_scope.hpp"
#include "storage/like_pattern.hpp"
#include "storage/sqlite_functions.hpp"

namespace rqwatch::storage {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;

bool Negated(FilterOp op) {
    return op == FilterOp::kNe || op == FilterOp::kNotContains || op == FilterOp::kNotRegexp;
}

FilterOp Positive(FilterOp op) {
    switch (op) {
        case FilterOp::kNe:
            return FilterOp::kEq;
        case FilterOp::kNotContains:
            return FilterOp::kContains;
        case FilterOp::kNotRegexp:
            return FilterOp::kRegexp;
        default:
            return op;
    }
}

std::string_view Comparison(FilterOp op) {
    switch (op) {
        case FilterOp::kEq:
            return "=";
        case FilterOp::kNe:
            return "<>";
        case FilterOp::kGt:
            return ">";
        case FilterOp::kGe:
            return ">=";
        case FilterOp::kLt:
            return "<";
        case FilterOp::kLe:
            return "<=";
        default:
            return "=";
    }
}

// The mails column behind a text field.
std::string_view TextColumn(FilterField field) {
    switch (field) {
        case FilterField::kSubject:
            return "mails.subject";
        case FilterField::kAction:
            return "mails.action";
        case FilterField::kIp:
            return "mails.ip";
        case FilterField::kMailFrom:
            return "mails.mail_from";
        case FilterField::kMimeFrom:
            return "mails.mime_from";
        case FilterField::kMimeTo:
            return "mails.mime_to";
        case FilterField::kHeaders:
            return "mails.headers";
        case FilterField::kSymbols:
            return "mails.symbols_json";
        case FilterField::kServer:
            return "mails.server";
        case FilterField::kCountry:
            return "mails.country";
        default:
            return "mails.subject";
    }
}

std::string_view FlagExpression(FilterField field) {
    switch (field) {
        case FilterField::kStored:
            return "mails.stored = 1";
        case FilterField::kHasVirus:
            return "mails.has_virus = 1";
        case FilterField::kReleased:
            return "mails.released = 1";
        case FilterField::kNotified:
            return "mails.notified = 1";
        case FilterField::kNotificationPending:
            // Reference §4: stored, not yet notified, and held for the user.
            return "(mails.stored = 1 AND mails.notified = 0 AND mails.action IN ('discard', "
                   "'reject'))";
        default:
            return "mails.stored = 1";
    }
}

// Whether a child-table condition is an equality on its (value, mail_id)
// index: then "id IN (subquery)" lets the engines start from the few
// matching child rows (one user's page in 1 M mails on SQLite: 110 -> 0.8
// ms). Otherwise (LIKE, regexp, a score range, a negation) the engines
// either read the whole child table first (3 -> 460 ms on SQLite, 330 ms on
// PostgreSQL at 1 M) or walk the mails newest first and probe each one's
// child rows until the page is full; a correlated EXISTS leaves them that
// choice, and the id windows bound it.
bool IndexedChildFilter(const MailFilter& f) {
    const FieldKind kind = KindOf(f.field);
    return f.op == FilterOp::kEq && (kind == FieldKind::kRecipient || kind == FieldKind::kSymbol);
}

bool ChildFilter(const MailFilter& f) {
    const FieldKind kind = KindOf(f.field);
    return kind == FieldKind::kRecipient || kind == FieldKind::kSymbol ||
           kind == FieldKind::kSymbolScore;
}

}  // namespace

SearchSql::SearchSql(const Dialect& dialect, IdWindow window) : dialect_(dialect), window_(window) {
    if (window_.from) Add("mails.id >= " + Integer(*window_.from));
    if (window_.below) Add("mails.id < " + Integer(*window_.below));
}

bool SearchSql::NeedsIdWindows(const std::vector<MailFilter>& filters) {
    return std::ranges::any_of(
        filters, [](const MailFilter& f) { return ChildFilter(f) && !IndexedChildFilter(f); });
}

std::string SearchSql::WindowOn(std::string_view column) {
    std::string out;
    if (window_.from) out += fmt::format(" AND {} >= {}", column, Integer(*window_.from));
    if (window_.below) out += fmt::format(" AND {} < {}", column, Integer(*window_.below));
    return out;
}

std::string SearchSql::ChildWhere(std::string_view table, std::string_view alias,
                                  std::string condition, bool indexed) {
    condition += WindowOn(fmt::format("{}.mail_id", alias));
    if (indexed) {
        indexed_child_ = true;
        return fmt::format("mails.id IN (SELECT {}.mail_id FROM {} WHERE {})", alias, table,
                           condition);
    }
    return fmt::format("EXISTS (SELECT 1 FROM {} WHERE {}.mail_id = mails.id AND {})", table, alias,
                       condition);
}

// Mails without such a child row ("no recipient is X").
std::string SearchSql::NoChildWhere(std::string_view table, std::string_view alias,
                                    std::string condition) {
    condition += WindowOn(fmt::format("{}.mail_id", alias));
    return fmt::format("NOT EXISTS (SELECT 1 FROM {} WHERE {}.mail_id = mails.id AND {})", table,
                       alias, condition);
}

std::string SearchSql::Text(std::string value) {
    const std::string name = fmt::format("p{}", binders_.size());
    std::string& stored = texts_.emplace_back(std::move(value));
    binders_.push_back(
        [&stored, name](soci::statement& st) { st.exchange(soci::use(stored, name)); });
    return ":" + name;
}

std::string SearchSql::Number(double value) {
    const std::string name = fmt::format("p{}", binders_.size());
    double& stored = numbers_.emplace_back(value);
    binders_.push_back(
        [&stored, name](soci::statement& st) { st.exchange(soci::use(stored, name)); });
    return ":" + name;
}

std::string SearchSql::Integer(std::int64_t value) {
    const std::string name = fmt::format("p{}", binders_.size());
    long long& stored = integers_.emplace_back(value);
    binders_.push_back(
        [&stored, name](soci::statement& st) { st.exchange(soci::use(stored, name)); });
    return ":" + name;
}

std::string SearchSql::TextCondition(const std::string& expr, FilterOp op,
                                     const std::string& value) {
    switch (op) {
        // Case-insensitive, as the old system's MySQL collation was. The
        // value is lowered here, not with LOWER(:p): PostgreSQL cannot type
        // a bare parameter for an overloaded function.
        case FilterOp::kEq:
        case FilterOp::kNe:
            return fmt::format("LOWER({}) {} {}", expr, Comparison(op), Text(Utf8Lower(value)));
        case FilterOp::kContains:
            return fmt::format("LOWER({}) LIKE {} ESCAPE '!'", expr,
                               Text(ContainsPattern(Utf8Lower(value))));
        case FilterOp::kNotContains:
            return fmt::format("LOWER({}) NOT LIKE {} ESCAPE '!'", expr,
                               Text(ContainsPattern(Utf8Lower(value))));
        case FilterOp::kRegexp:
            return dialect_.RegexpMatch(expr, Text(dialect_.RegexpValue(value)));
        case FilterOp::kNotRegexp:
            return "NOT (" + dialect_.RegexpMatch(expr, Text(dialect_.RegexpValue(value))) + ")";
        default:
            return fmt::format("{} {} {}", expr, Comparison(op), Text(value));
    }
}

void SearchSql::AddFilter(const MailFilter& f) {
    switch (KindOf(f.field)) {
        case FieldKind::kText:
            if (f.field == FilterField::kMailFrom &&
                (f.op == FilterOp::kEq || f.op == FilterOp::kNe)) {
                // The normalised, indexed copy (migration 0004).
                Add(fmt::format("mails.mail_from_norm {} {}", Comparison(f.op),
                                Text(NormalizeAddress(f.value))));
                return;
            }
            Add(TextCondition(std::string(TextColumn(f.field)), f.op, f.value));
            return;
        case FieldKind::kRecipient: {
            // Through the recipients table (one row per address), never the
            // joined column. Recipients are stored normalised, so equality is
            // exact and uses the (recipient, mail_id) index.
            const FilterOp op = Positive(f.op);
            const std::string inner = op == FilterOp::kEq
                                          ? "r.recipient = " + Text(NormalizeAddress(f.value))
                                          : TextCondition("r.recipient", op, f.value);
            Add(Negated(f.op) ? NoChildWhere("mail_recipients r", "r", inner)
                              : ChildWhere("mail_recipients r", "r", inner, IndexedChildFilter(f)));
            return;
        }
        case FieldKind::kSymbol: {
            const FilterOp op = Positive(f.op);
            const std::string inner = op == FilterOp::kEq
                                          ? "s.name = " + Text(f.value)  // exact: uses the index
                                          : TextCondition("s.name", op, f.value);
            Add(Negated(f.op) ? NoChildWhere("mail_symbols s", "s", inner)
                              : ChildWhere("mail_symbols s", "s", inner, IndexedChildFilter(f)));
            return;
        }
        case FieldKind::kSymbolScore:
            Add(ChildWhere("mail_symbols s", "s",
                           fmt::format("s.name = {} AND s.score {} {}", Text(f.symbol),
                                       Comparison(f.op), Number(f.number)),
                           /*indexed=*/false));
            return;
        case FieldKind::kNumber:
            if (f.field == FilterField::kSize) {
                // size is an integer column; PostgreSQL will not compare it
                // with a fractional literal, so the bound is made whole here.
                Add(fmt::format("mails.size {} {}", Comparison(f.op),
                                Integer(static_cast<std::int64_t>(f.number))));
            } else {
                Add(fmt::format("mails.score {} {}", Comparison(f.op), Number(f.number)));
            }
            return;
        case FieldKind::kFlag: {
            const bool want = (f.op == FilterOp::kEq) == f.flag;
            Add(fmt::format("{}{}", want ? "" : "NOT ", FlagExpression(f.field)));
            return;
        }
        case FieldKind::kDate: {
            // Days are whole UTC days, so the filter compares received_day
            // (filled at import), which leads the index that also covers the
            // statistics: a 30-day window is read from the index alone.
            // "=" matches the whole day.
            AddDayFilter(f, "mails.received_day");
            return;
        }
    }
}

void SearchSql::AddDayFilter(const MailFilter& f, std::string_view day_column) {
    Add(fmt::format("{} {} {}", day_column, Comparison(f.op), Integer(f.day_start_ms / kDayMs)));
}

void SearchSql::AddIntegerIn(std::string_view column, const std::vector<std::int64_t>& values) {
    if (values.empty()) {
        Add("1 = 0");
        return;
    }
    std::string list;
    for (const std::int64_t value : values) {
        if (!list.empty()) list += ", ";
        list += Integer(value);
    }
    Add(fmt::format("{} IN ({})", column, list));
}

void SearchSql::AddScope(const std::vector<std::string>& scope) {
    if (scope.empty()) {
        Add("1 = 0");
        return;
    }
    std::string addresses, domains;
    for (const std::string& entry : scope) {
        std::string& list = IsDomainScopeEntry(entry) ? domains : addresses;
        if (!list.empty()) list += ", ";
        list += Text(IsDomainScopeEntry(entry) ? entry.substr(1) : entry);
    }
    // Each through its (value, mail_id) index; a domain admin who also has
    // addresses of their own gets both.
    std::string condition;
    if (!addresses.empty()) condition = "r.recipient IN (" + addresses + ")";
    if (!domains.empty()) {
        condition += (condition.empty() ? "" : " OR ") + std::string("r.domain IN (") + domains + ")";
        if (!addresses.empty()) condition = "(" + condition + ")";
    }
    if (scope.size() > 1 && !indexed_child_ && dialect_.Kind() == DialectKind::kPostgresql) {
        // PostgreSQL reads several addresses' (recipient, mail_id) ranges
        // unordered, then merges them with a backward walk of all mails
        // until a page matches (86 ms for 3 addresses at 10 M). Handing it
        // the user's ids as an array lets it probe the primary key newest
        // first (~4 ms). Not beside another indexed child filter: then it
        // hash-joins the two id lists (28 ms), where the array would fetch
        // each of the user's mails (106 ms); and two arrays on one column
        // make PostgreSQL 15 probe their cross product.
        Add(fmt::format("mails.id = ANY(ARRAY(SELECT r.mail_id FROM mail_recipients r WHERE {}{}))",
                        condition, WindowOn("r.mail_id")));
        return;
    }
    Add(ChildWhere("mail_recipients r", "r", condition, /*indexed=*/true));
}

void SearchSql::AddQuarantined(std::optional<std::int64_t> before_day) {
    Add("mails.stored = 1 AND mails.purged = 0");
    if (before_day) Add("mails.received_day < " + Integer(*before_day));
}

void SearchSql::AddSearch(const std::vector<MailFilter>& filters,
                          const std::optional<std::vector<std::string>>& scope) {
    for (const MailFilter& f : filters) AddFilter(f);
    if (scope) AddScope(*scope);
}

std::string SearchSql::Where() const {
    std::string out;
    for (const std::string& c : conditions_) {
        out += out.empty() ? " WHERE " : " AND ";
        out += c;
    }
    return out;
}

void SearchSql::Bind(soci::statement& st) {
    for (auto& bind : binders_) bind(st);
}

}  // namespace rqwatch::storage
