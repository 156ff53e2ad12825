#include "storage/sql_session_store.hpp"

#include <soci/soci.h>

#include "storage/column_limits.hpp"
#include "storage/statement.hpp"

namespace rqwatch::storage {
namespace {

constexpr std::string_view kInsert =
    "INSERT INTO sessions (session_key, user_id, impersonator_id, csrf_token, created_at, "
    "last_seen, ip) VALUES (:key, :user_id, :impersonator_id, :csrf_token, :created_at, "
    ":last_seen, :ip)";
constexpr std::string_view kSelect =
    "SELECT user_id, impersonator_id, csrf_token, created_at, last_seen, ip FROM sessions "
    "WHERE session_key = :key";
constexpr std::string_view kTouch =
    "UPDATE sessions SET last_seen = :last_seen WHERE session_key = :key AND last_seen < :since";
constexpr std::string_view kDelete = "DELETE FROM sessions WHERE session_key = :key";
constexpr std::string_view kDeleteAllOf =
    "DELETE FROM sessions WHERE user_id = :user_id OR impersonator_id = :impersonator_id";
constexpr std::string_view kDeleteExpired =
    "DELETE FROM sessions WHERE last_seen < :idle_before OR created_at < :created_before";

// No stored key is longer: a longer one is simply not there.
bool StorableKey(const std::string& key) {
    return !key.empty() && limits::CutCopy(key, limits::kToken) == key;
}

}  // namespace

Result<void> SqlSessionStore::Create(const app::SessionRecord& session) {
    if (!StorableKey(session.key)) {
        return Fail(ErrorCode::kInvalidArgument, "session key is empty or too long");
    }
    if (limits::CutCopy(session.csrf_token, limits::kToken) != session.csrf_token) {
        return Fail(ErrorCode::kInvalidArgument, "CSRF token is too long");
    }
    const std::string ip = limits::CutCopy(session.ip, limits::kIp);
    return db_->Run<void>("creating a session", [&](soci::session& sql) -> Result<void> {
        std::int64_t impersonator = session.impersonator_id.value_or(0);
        soci::indicator impersonator_ind = session.impersonator_id ? soci::i_ok : soci::i_null;
        ExecuteOnce(sql, kInsert, soci::use(session.key, "key"),
                    soci::use(session.user_id, "user_id"),
                    soci::use(impersonator, impersonator_ind, "impersonator_id"),
                    soci::use(session.csrf_token, "csrf_token"),
                    soci::use(session.created_at, "created_at"),
                    soci::use(session.last_seen, "last_seen"), soci::use(ip, "ip"));
        return {};
    });
}

Result<app::SessionRecord> SqlSessionStore::Find(const std::string& key) {
    if (!StorableKey(key)) return Fail(ErrorCode::kNotFound, "no such session");
    return db_->Run<app::SessionRecord>(
        "looking up a session", [&](soci::session& sql) -> Result<app::SessionRecord> {
            app::SessionRecord s;
            std::int64_t impersonator = 0;
            soci::indicator impersonator_ind = soci::i_null;
            if (!ExecuteOnce(sql, kSelect, soci::use(key, "key"), soci::into(s.user_id),
                             soci::into(impersonator, impersonator_ind), soci::into(s.csrf_token),
                             soci::into(s.created_at), soci::into(s.last_seen), soci::into(s.ip))) {
                return Fail(ErrorCode::kNotFound, "no such session");
            }
            s.key = key;
            if (impersonator_ind != soci::i_null) s.impersonator_id = impersonator;
            return s;
        });
}

Result<void> SqlSessionStore::Touch(const std::string& key, std::int64_t last_seen) {
    if (!StorableKey(key)) return {};
    return db_->Run<void>("touching a session", [&](soci::session& sql) -> Result<void> {
        ExecuteOnce(sql, kTouch, soci::use(last_seen, "last_seen"), soci::use(key, "key"),
                    soci::use(last_seen, "since"));
        return {};
    });
}

Result<void> SqlSessionStore::Delete(const std::string& key) {
    if (!StorableKey(key)) return {};
    return db_->Run<void>("deleting a session", [&](soci::session& sql) -> Result<void> {
        ExecuteOnce(sql, kDelete, soci::use(key, "key"));
        return {};
    });
}

Result<void> SqlSessionStore::DeleteAllOf(std::int64_t user_id) {
    return db_->Run<void>("deleting a user's sessions", [&](soci::session& sql) -> Result<void> {
        ExecuteOnce(sql, kDeleteAllOf, soci::use(user_id, "user_id"),
                    soci::use(user_id, "impersonator_id"));
        return {};
    });
}

Result<std::int64_t> SqlSessionStore::DeleteExpired(std::int64_t idle_before,
                                                    std::int64_t created_before) {
    return db_->Run<std::int64_t>(
        "deleting expired sessions", [&](soci::session& sql) -> Result<std::int64_t> {
            soci::statement st =
                MakeStatement(sql, kDeleteExpired, soci::use(idle_before, "idle_before"),
                              soci::use(created_before, "created_before"));
            st.execute(true);
            return static_cast<std::int64_t>(st.get_affected_rows());
        });
}

}  // namespace rqwatch::storage
