#include "core/database_url.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

namespace rqwatch {
namespace {

Error Invalid(std::string msg) { return Error{ErrorCode::kInvalidArgument, std::move(msg), {}}; }

// SOCI's MySQL backend and libpq both read key='value' pairs; inside quotes a
// backslash escapes the next character.
void AppendQuotedParam(std::string& out, std::string_view key, std::string_view value) {
    if (!out.empty()) out += ' ';
    out += key;
    out += "='";
    for (char c : value) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    out += '\'';
}

Result<DatabaseTarget> ParseSqlite(std::string_view url) {
    std::string_view path = url.substr(url.find(':') + 1);
    // sqlite:///abs/path is the URL spelling of /abs/path.
    if (path.starts_with("//")) {
        path.remove_prefix(2);
        if (!path.starts_with('/')) {
            return std::unexpected(
                Invalid("sqlite URL: use sqlite:PATH or sqlite:///ABSOLUTE/PATH"));
        }
    }
    if (path.empty()) return std::unexpected(Invalid("sqlite URL has no file path"));
    if (path.find('"') != std::string_view::npos) {
        return std::unexpected(Invalid("sqlite file path must not contain '\"'"));
    }
    DatabaseTarget t;
    t.engine = DatabaseEngine::kSqlite;
    t.backend = "sqlite3";
    t.sqlite_path = std::string(path);
    t.connect_string = fmt::format("db=\"{}\"", path);
    t.redacted = "sqlite:" + t.sqlite_path;
    return t;
}

// host, port, user, password and the database ("db_key": SOCI's MySQL says
// db, libpq dbname) of a server URL, as key='value' pairs.
Result<DatabaseTarget> ServerTarget(const boost::urls::url_view& u, std::string redacted,
                                    DatabaseEngine engine, std::string_view backend,
                                    std::string_view scheme, std::string_view db_key) {
    DatabaseTarget t;
    t.engine = engine;
    t.backend = std::string(backend);
    t.redacted = std::move(redacted);
    std::string& cs = t.connect_string;
    if (u.host().empty())
        return std::unexpected(Invalid(fmt::format("{} URL has no host", scheme)));
    AppendQuotedParam(cs, "host", u.host());
    if (u.has_port()) {
        if (u.port_number() == 0) {
            return std::unexpected(Invalid(fmt::format("{} URL has an invalid port", scheme)));
        }
        AppendQuotedParam(cs, "port", std::to_string(u.port_number()));
    }
    if (u.has_userinfo()) {
        AppendQuotedParam(cs, "user", u.user());
        if (u.has_password()) AppendQuotedParam(cs, "password", u.password());
    }
    std::string db = u.path();
    if (db.starts_with('/')) db.erase(0, 1);
    if (db.empty() || db.find('/') != std::string::npos) {
        return std::unexpected(
            Invalid(fmt::format("{0} URL must name one database: {0}://HOST/DATABASE", scheme)));
    }
    AppendQuotedParam(cs, db_key, db);
    return t;
}

Result<DatabaseTarget> ParseMysql(const boost::urls::url_view& u, std::string redacted) {
    auto t = ServerTarget(u, std::move(redacted), DatabaseEngine::kMysql, "mysql", "mysql", "db");
    if (!t) return t;
    bool charset = false;
    for (const auto& p : u.params()) {
        // URL spelling -> SOCI's name; anything else is refused rather than ignored.
        static constexpr std::pair<std::string_view, std::string_view> kOptions[] = {
            {"ssl_ca", "sslca"},
            {"ssl_cert", "sslcert"},
            {"ssl_key", "sslkey"},
            {"charset", "charset"},
            {"connect_timeout", "connect_timeout"},
            {"read_timeout", "read_timeout"},
            {"write_timeout", "write_timeout"},
            {"unix_socket", "unix_socket"}};
        const auto* it = std::ranges::find(kOptions, std::string_view(p.key),
                                           &std::pair<std::string_view, std::string_view>::first);
        if (it == std::end(kOptions)) {
            return std::unexpected(Invalid(fmt::format(
                "mysql URL: unknown option \"{}\" (known: ssl_ca, ssl_cert, ssl_key, charset, "
                "connect_timeout, read_timeout, write_timeout, unix_socket)",
                p.key)));
        }
        if (p.key == "charset") charset = true;
        AppendQuotedParam(t->connect_string, it->second, p.value);
    }
    // utf8mb4: subjects carry emoji; MariaDB's "utf8" is 3-byte only.
    if (!charset) AppendQuotedParam(t->connect_string, "charset", "utf8mb4");
    return t;
}

// SOCI 4.0.3 re-splits the connect string on blanks and '=' before libpq
// sees it, which breaks a URL; libpq's key='value' form survives it.
Result<DatabaseTarget> ParsePostgresql(const boost::urls::url_view& u, std::string redacted) {
    auto t = ServerTarget(u, std::move(redacted), DatabaseEngine::kPostgresql, "postgresql",
                          "postgresql", "dbname");
    if (!t) return t;
    for (const auto& p : u.params()) {
        // libpq's own keywords (sslmode, sslrootcert, connect_timeout, ...);
        // libpq refuses unknown ones when connecting.
        const bool keyword = !p.key.empty() && std::ranges::all_of(p.key, [](char c) {
            return (c >= 'a' && c <= 'z') || c == '_';
        });
        if (!keyword) {
            return std::unexpected(
                Invalid(fmt::format("postgresql URL: invalid option \"{}\"", p.key)));
        }
        AppendQuotedParam(t->connect_string, p.key, p.value);
    }
    return t;
}

}  // namespace

std::string RedactDatabaseUrl(std::string_view url) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) {
        // Not a URL: hide everything between "//" and the last '@'.
        const auto at = url.rfind('@');
        const auto start = url.find("//");
        if (at == std::string_view::npos || start == std::string_view::npos || at < start) {
            return std::string(url);
        }
        return std::string(url.substr(0, start + 2)) + "***" + std::string(url.substr(at));
    }
    boost::urls::url u(*parsed);
    if (u.has_password()) u.set_password("***");
    return std::string(u.buffer());
}

Result<DatabaseTarget> ParseDatabaseUrl(std::string_view url) {
    const auto colon = url.find(':');
    const std::string_view scheme = colon == std::string_view::npos ? url : url.substr(0, colon);
    if (scheme == "sqlite" || scheme == "sqlite3") return ParseSqlite(url);
    if (scheme != "postgresql" && scheme != "postgres" && scheme != "mysql" &&
        scheme != "mariadb") {
        return std::unexpected(Invalid(
            fmt::format("database URL must start with sqlite:, postgresql:// or mysql:// (got "
                        "\"{}\")",
                        RedactDatabaseUrl(url))));
    }
    auto parsed = boost::urls::parse_uri(url);
    const std::string redacted = RedactDatabaseUrl(url);
    if (!parsed) {
        return std::unexpected(
            Invalid(fmt::format("database URL \"{}\" is not a valid URL", redacted)));
    }
    if (scheme == "mysql" || scheme == "mariadb") return ParseMysql(*parsed, redacted);
    return ParsePostgresql(*parsed, redacted);
}

}  // namespace rqwatch
