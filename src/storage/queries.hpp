#pragma once
// SQL shared by every dialect (SOCI ":name" placeholders). Dialect-specific
// forms are built by Dialect (dialect.hpp) from the pieces defined here.

#include <string_view>

namespace rqwatch::storage::queries {

// ---- schema_migrations (created by the migrator, not by a migration) ----

inline constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)";
inline constexpr std::string_view kSelectAppliedVersions =
    "SELECT version FROM schema_migrations ORDER BY version";
inline constexpr std::string_view kCountVersion =
    "SELECT COUNT(*) FROM schema_migrations WHERE version = :version";
inline constexpr std::string_view kInsertMigration =
    "INSERT INTO schema_migrations (version, name, applied_at) "
    "VALUES (:version, :name, :applied_at)";

// ---- mails ----

// Every column but id, in the order MailRow binds them (mail_row.cpp),
// around the headers column, which list pages leave out.
#define RQWATCH_MAIL_COLUMNS_HEAD                                                                  \
    "spool_id, received_at, server, qid, action, score, ip, mail_from, rcpt_to, auth_user, "      \
    "rspamd_server, scan_time_ms, symbols_json, fuzzy_json, subject, mime_from, "                 \
    "mime_from_addr, mime_to_json, mime_to, mime_cc_json, message_id, mail_date, size, "
#define RQWATCH_MAIL_COLUMNS_TAIL                                                                  \
    ", attachments_json, has_virus, virus, stored, quarantine_path, purged, notified, "           \
    "notify_date, released, release_date, received_day, mail_from_domain, mime_from_domain, "     \
    "mime_to_domain, mail_from_norm, country"
#define RQWATCH_MAIL_COLUMNS RQWATCH_MAIL_COLUMNS_HEAD "headers" RQWATCH_MAIL_COLUMNS_TAIL
inline constexpr std::string_view kMailColumns = RQWATCH_MAIL_COLUMNS;
// Reads: id first, then the same columns.
inline constexpr std::string_view kSelectMailById =
    "SELECT id, " RQWATCH_MAIL_COLUMNS " FROM mails WHERE id = :id";
// Followed by the WHERE clause of a search (mail_search_sql.hpp). The header
// block (kilobytes per mail, shown only in a mail's detail) is read as "".
inline constexpr std::string_view kSelectMails =
    "SELECT id, " RQWATCH_MAIL_COLUMNS_HEAD "'' AS headers" RQWATCH_MAIL_COLUMNS_TAIL " FROM mails";
#undef RQWATCH_MAIL_COLUMNS_HEAD
#undef RQWATCH_MAIL_COLUMNS_TAIL
#undef RQWATCH_MAIL_COLUMNS

inline constexpr std::string_view kRecipientTable = "mail_recipients";
inline constexpr std::string_view kRecipientColumns = "mail_id, recipient, domain";

inline constexpr std::string_view kSymbolTable = "mail_symbols";
inline constexpr std::string_view kSymbolColumns = "mail_id, name, score";

// ---- users ----

// Every column but updated_at, then whether TOTP is on (a confirmed
// user_totp row, migration 0010), in the order BindInto(UserRow) reads them
// (user_row.cpp).
#define RQWATCH_USER_COLUMNS                                                              \
    "users.id, users.username, users.email, users.first_name, users.last_name, "          \
    "users.is_admin, users.admin_domains, users.notifications_disabled, "                  \
    "users.notify_frequency, users.notify_hour, users.time_zone, users.provider, "       \
    "users.password_hash, users.created_at, users.last_login, "                           \
    "(SELECT COUNT(*) FROM user_totp WHERE user_totp.user_id = users.id "                 \
    "AND user_totp.confirmed_at IS NOT NULL)"
inline constexpr std::string_view kSelectUsers = "SELECT " RQWATCH_USER_COLUMNS " FROM users";
inline constexpr std::string_view kSelectUserByName =
    "SELECT " RQWATCH_USER_COLUMNS " FROM users WHERE username = :username";
inline constexpr std::string_view kSelectUserById =
    "SELECT " RQWATCH_USER_COLUMNS " FROM users WHERE id = :id";
#undef RQWATCH_USER_COLUMNS
inline constexpr std::string_view kInsertUser =
    "INSERT INTO users (username, email, first_name, last_name, is_admin, admin_domains, "
    "notifications_disabled, notify_frequency, notify_hour, time_zone, provider, password_hash, "
    "created_at, updated_at, last_login) "
    "VALUES (:username, :email, :first_name, :last_name, :is_admin, :admin_domains, "
    ":notifications_disabled, :notify_frequency, :notify_hour, :time_zone, :provider, "
    ":password_hash, :created_at, :updated_at, :last_login)";
inline constexpr std::string_view kUpdateUser =
    "UPDATE users SET username = :username, email = :email, first_name = :first_name, "
    "last_name = :last_name, is_admin = :is_admin, admin_domains = :admin_domains, "
    "notifications_disabled = :notifications_disabled, notify_frequency = :notify_frequency, "
    "notify_hour = :notify_hour, time_zone = :time_zone, provider = :provider, "
    "password_hash = :password_hash, updated_at = :updated_at WHERE id = :id";
// user_aliases, sessions, api_tokens and user_totp go with ON DELETE CASCADE.
inline constexpr std::string_view kDeleteUser = "DELETE FROM users WHERE id = :id";
inline constexpr std::string_view kSetLastLogin =
    "UPDATE users SET last_login = :last_login WHERE id = :id";
inline constexpr std::string_view kCountUserById = "SELECT COUNT(*) FROM users WHERE id = :id";
// Followed by Dialect::ForUpdate() (CheckAdminsRemain in sql_user_repo.cpp).
inline constexpr std::string_view kLockAdmins =
    "SELECT id FROM users WHERE is_admin = 1 ORDER BY id";
inline constexpr std::string_view kLockUser = "SELECT is_admin FROM users WHERE id = :id";

}  // namespace rqwatch::storage::queries
