#include "storage/sql_release_request_repo.hpp"

#include <soci/soci.h>

#include "storage/column_limits.hpp"
#include "storage/statement.hpp"
#include "storage/transaction.hpp"
#include "storage/unique_write.hpp"

namespace rqwatch::storage {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO release_requests (mail_id, requested_by, requester, notice_to, recipients, "
    "comment, state, open_one, decided_by, reason, created_at) VALUES (:mail_id, :requested_by, "
    ":requester, :notice_to, :recipients, :comment, 'pending', 1, '', '', :created_at)";
// The mail's subject and sender come along for the lists.
constexpr std::string_view kSelect =
    "SELECT r.id, r.mail_id, r.requested_by, r.requester, r.notice_to, r.recipients, r.comment, "
    "r.state, r.decided_by, r.decided_at, r.reason, r.created_at, m.subject, m.mail_from "
    "FROM release_requests r JOIN mails m ON m.id = r.mail_id";
constexpr std::string_view kDecide =
    "UPDATE release_requests SET state = :state, open_one = NULL, decided_by = :by, "
    "decided_at = :at, reason = :reason WHERE id = :id AND state = 'pending'";
constexpr std::string_view kReopen =
    "UPDATE release_requests SET state = 'pending', open_one = 1, decided_by = '', "
    "decided_at = NULL, reason = '' WHERE id = :id AND state = 'approved' AND decided_at = :at";
constexpr std::string_view kCountPending =
    "SELECT COUNT(*) FROM release_requests WHERE state = 'pending'";

std::string JoinLines(const std::vector<std::string>& values) {
    std::string out;
    for (const std::string& v : values) out += (out.empty() ? "" : "\n") + v;
    return out;
}

std::vector<std::string> SplitLines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        if (end > start) out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

// The columns of kSelect, bound once per statement.
struct RequestRow {
    long long id = 0, mail_id = 0, requested_by = 0, decided_at = 0, created_at = 0;
    soci::indicator requested_by_ind = soci::i_null, decided_at_ind = soci::i_null;
    std::string requester, notice_to, recipients, comment, state, decided_by, reason, subject,
        mail_from;

    void BindInto(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(mail_id));
        st.exchange(soci::into(requested_by, requested_by_ind));
        st.exchange(soci::into(requester));
        st.exchange(soci::into(notice_to));
        st.exchange(soci::into(recipients));
        st.exchange(soci::into(comment));
        st.exchange(soci::into(state));
        st.exchange(soci::into(decided_by));
        st.exchange(soci::into(decided_at, decided_at_ind));
        st.exchange(soci::into(reason));
        st.exchange(soci::into(created_at));
        st.exchange(soci::into(subject));
        st.exchange(soci::into(mail_from));
    }

    [[nodiscard]] app::ReleaseRequestRecord Get() const {
        app::ReleaseRequestRecord r;
        r.id = id;
        r.mail_id = mail_id;
        if (requested_by_ind == soci::i_ok) r.requested_by = requested_by;
        r.requester = requester;
        r.notice_to = notice_to;
        r.recipients = SplitLines(recipients);
        r.comment = comment;
        // Only this repository writes the column, with the four names.
        r.state = app::ParseRequestState(state).value_or(app::RequestState::kPending);
        r.decided_by = decided_by;
        if (decided_at_ind == soci::i_ok) r.decided_at = decided_at;
        r.reason = reason;
        r.created_at = created_at;
        r.subject = subject;
        r.mail_from = mail_from;
        return r;
    }
};

// Runs kSelect + `tail` with the extra bound values; every row.
template <class... Uses>
std::vector<app::ReleaseRequestRecord> Select(soci::session& sql, const std::string& tail,
                                              Uses&&... uses) {
    RequestRow row;
    soci::statement st(sql);
    row.BindInto(st);
    (st.exchange(std::forward<Uses>(uses)), ...);
    Prepare(st, std::string(kSelect) + tail);
    std::vector<app::ReleaseRequestRecord> out;
    st.execute();
    while (st.fetch()) out.push_back(row.Get());
    return out;
}

}  // namespace

Result<std::int64_t> SqlReleaseRequestRepo::Add(const app::ReleaseRequestRecord& r) {
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<std::int64_t>(
        "adding a release request", [&](soci::session& sql) -> Result<std::int64_t> {
            WriteTransaction tx(sql, dialect);
            long long requested_by = r.requested_by.value_or(0);
            soci::indicator requested_ind = r.requested_by ? soci::i_ok : soci::i_null;
            // The use case checks the sizes; the cuts only keep a bug from failing the insert.
            std::string requester = r.requester, notice_to = r.notice_to,
                        recipients = JoinLines(r.recipients), comment = r.comment;
            limits::CutToLimit(requester, limits::kShort);
            limits::CutToLimit(notice_to, limits::kAddress);
            limits::CutToLimit(recipients, limits::kText);
            limits::CutToLimit(comment, limits::kText);
            long long created_at = r.created_at;
            long long mail_id = r.mail_id;
            auto inserted =
                WriteUnique(dialect, "you have asked for the release of this mail already", [&] {
                    ExecuteOnce(sql, kInsert, soci::use(mail_id, "mail_id"),
                                soci::use(requested_by, requested_ind, "requested_by"),
                                soci::use(requester, "requester"),
                                soci::use(notice_to, "notice_to"),
                                soci::use(recipients, "recipients"), soci::use(comment, "comment"),
                                soci::use(created_at, "created_at"));
                });
            if (!inserted) return std::unexpected(inserted.error());
            const std::int64_t id = dialect.LastInsertId(sql, "release_requests");
            tx.Commit();
            return id;
        });
}

Result<app::ReleaseRequestRecord> SqlReleaseRequestRepo::Find(std::int64_t id) {
    return db_->Run<app::ReleaseRequestRecord>(
        "reading a release request", [&](soci::session& sql) -> Result<app::ReleaseRequestRecord> {
            long long key = id;
            auto rows = Select(sql, " WHERE r.id = :id", soci::use(key, "id"));
            if (rows.empty()) return Fail(ErrorCode::kNotFound, "no such release request");
            return std::move(rows.front());
        });
}

Result<std::vector<app::ReleaseRequestRecord>> SqlReleaseRequestRepo::List(
    const app::ReleaseRequestQuery& q) {
    if (q.limit < 1 || q.limit > 1000) {
        return Fail(ErrorCode::kInvalidArgument, "limit must be between 1 and 1000");
    }
    return db_->Run<std::vector<app::ReleaseRequestRecord>>(
        "listing release requests",
        [&](soci::session& sql) -> Result<std::vector<app::ReleaseRequestRecord>> {
            // Unused filters bind values that make their condition true, so
            // the SQL text is one of a fixed few and every value is bound.
            std::string state = q.state ? app::RequestStateName(*q.state) : "";
            int any_state = q.state ? 0 : 1;
            long long user = q.requested_by.value_or(0);
            int any_user = q.requested_by ? 0 : 1;
            long long before = q.before_id.value_or(0);
            int any_before = q.before_id ? 0 : 1;
            long long limit = q.limit;
            return Select(sql,
                          " WHERE (r.state = :state OR 1 = :any_state)"
                          " AND (r.requested_by = :user OR 1 = :any_user)"
                          " AND (r.id < :before OR 1 = :any_before)"
                          " ORDER BY r.id DESC LIMIT :limit",
                          soci::use(state, "state"), soci::use(any_state, "any_state"),
                          soci::use(user, "user"), soci::use(any_user, "any_user"),
                          soci::use(before, "before"), soci::use(any_before, "any_before"),
                          soci::use(limit, "limit"));
        });
}

Result<std::optional<app::ReleaseRequestRecord>> SqlReleaseRequestRepo::PendingOf(
    std::int64_t mail_id, const std::string& requester) {
    return db_->Run<std::optional<app::ReleaseRequestRecord>>(
        "reading a release request",
        [&](soci::session& sql) -> Result<std::optional<app::ReleaseRequestRecord>> {
            long long mail = mail_id;
            std::string name = requester;
            auto rows = Select(sql,
                               " WHERE r.mail_id = :mail_id AND r.requester = :requester"
                               " AND r.open_one = 1",
                               soci::use(mail, "mail_id"), soci::use(name, "requester"));
            if (rows.empty()) return std::optional<app::ReleaseRequestRecord>();
            return std::optional(std::move(rows.front()));
        });
}

Result<std::int64_t> SqlReleaseRequestRepo::CountPending() {
    return db_->Run<std::int64_t>("counting release requests",
                                  [&](soci::session& sql) -> Result<std::int64_t> {
                                      long long n = 0;
                                      ExecuteOnce(sql, kCountPending, soci::into(n));
                                      return static_cast<std::int64_t>(n);
                                  });
}

Result<void> SqlReleaseRequestRepo::Decide(std::int64_t id, const app::ReleaseDecision& d) {
    return db_->Run<void>("deciding a release request", [&](soci::session& sql) -> Result<void> {
        std::string state = app::RequestStateName(d.state), by = d.decided_by, reason = d.reason;
        limits::CutToLimit(by, limits::kShort);
        limits::CutToLimit(reason, limits::kText);
        long long at = d.decided_at, key = id;
        soci::statement st =
            MakeStatement(sql, kDecide, soci::use(state, "state"), soci::use(by, "by"),
                          soci::use(at, "at"), soci::use(reason, "reason"), soci::use(key, "id"));
        st.execute(true);
        if (st.get_affected_rows() != 1) {
            return Fail(ErrorCode::kConflict, "this release request has been decided already");
        }
        return {};
    });
}

Result<bool> SqlReleaseRequestRepo::Reopen(std::int64_t id, std::int64_t decided_at) {
    const Dialect& dialect = db_->GetDialect();
    return db_->Run<bool>("reopening a release request", [&](soci::session& sql) -> Result<bool> {
        long long key = id, at = decided_at;
        bool reopened = false;
        auto written = WriteUnique(dialect, "the requester has asked again meanwhile", [&] {
            soci::statement st =
                MakeStatement(sql, kReopen, soci::use(key, "id"), soci::use(at, "at"));
            st.execute(true);
            reopened = st.get_affected_rows() == 1;
        });
        if (!written) return std::unexpected(written.error());
        return reopened;
    });
}

}  // namespace rqwatch::storage
