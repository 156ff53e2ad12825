#pragma once
// database.url: one string chooses the engine and says how to reach it.
//
//   sqlite:/var/lib/rqwatch/rqwatch.db        (also sqlite:relative.db, sqlite:///abs)
//   postgresql://user:pass@host:5432/rqwatch?sslmode=verify-full&sslrootcert=/etc/ca.pem
//   mysql://user:pass@host:3306/rqwatch?ssl_ca=/etc/ca.pem   (also mariadb://)
//
// User and password are percent-decoded. Both server URLs become the
// "key='value' ..." form their SOCI backends read: every query parameter of
// a PostgreSQL URL is passed on as a libpq keyword; MySQL knows the options
// listed in ParseDatabaseUrl.

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace rqwatch {

enum class DatabaseEngine { kSqlite, kPostgresql, kMysql };

struct DatabaseTarget {
    DatabaseEngine engine = DatabaseEngine::kSqlite;
    std::string backend;         // SOCI backend name: "sqlite3", "postgresql", "mysql"
    std::string connect_string;  // what SOCI's backend gets (holds the password)
    std::string sqlite_path;     // SQLite only: the file
    std::string redacted;        // the URL without its password, for logs and errors
};

// kInvalidArgument with a one-line reason (never containing the password).
[[nodiscard]] Result<DatabaseTarget> ParseDatabaseUrl(std::string_view url);

// The URL with the password replaced by "***" (for messages about a URL that
// may not even parse).
[[nodiscard]] std::string RedactDatabaseUrl(std::string_view url);

}  // namespace rqwatch
