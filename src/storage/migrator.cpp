#include "storage/migrator.hpp"

#include <fmt/format.h>
#include <soci/soci.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "storage/embedded_migrations.hpp"
#include "storage/queries.hpp"
#include "storage/sql_script.hpp"
#include "storage/statement.hpp"
#include "storage/transaction.hpp"
#include "util/ids.hpp"

namespace rqwatch::storage {
namespace {

// "NNNN_name.sql" -> (version, name).
Result<Migration> ParseFileName(std::string_view file, std::string content) {
    const auto bad = [&] {
        return Fail(ErrorCode::kInternal, "invalid embedded migration",
                    fmt::format("migration file \"{}\" is not named NNNN_name.sql", file));
    };
    if (!file.ends_with(".sql")) return bad();
    file.remove_suffix(4);
    const auto underscore = file.find('_');
    if (underscore == 0 || underscore == std::string_view::npos || underscore + 1 == file.size()) {
        return bad();
    }
    Migration m;
    const auto digits = file.substr(0, underscore);
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), m.version);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || m.version <= 0) return bad();
    m.name = std::string(file.substr(underscore + 1));
    m.sql = std::move(content);
    return m;
}

Result<void> SortAndCheck(std::vector<Migration>& migrations) {
    std::ranges::sort(migrations, {}, &Migration::version);
    for (std::size_t i = 1; i < migrations.size(); ++i) {
        if (migrations[i].version == migrations[i - 1].version) {
            return Fail(ErrorCode::kInternal, "invalid embedded migration",
                        fmt::format("migration version {} appears twice", migrations[i].version));
        }
    }
    return {};
}

bool MigrationsTableExists(soci::session& sql, const Dialect& dialect) {
    int count = 0;
    const std::string name = "schema_migrations";
    ExecuteOnce(sql, dialect.TableExistsQuery(), soci::use(name, "name"), soci::into(count));
    return count > 0;
}

std::vector<int> AppliedVersions(soci::session& sql, const Dialect& dialect) {
    std::vector<int> applied;
    if (!MigrationsTableExists(sql, dialect)) return applied;
    int version = 0;
    soci::statement st = MakeStatement(sql, queries::kSelectAppliedVersions, soci::into(version));
    st.execute();
    while (st.fetch()) applied.push_back(version);
    return applied;
}

Result<MigrationStatus> ComputeStatus(const std::vector<int>& applied,
                                      const std::vector<Migration>& known) {
    MigrationStatus status;
    status.latest_version = known.empty() ? 0 : known.back().version;
    std::set<int> known_versions;
    for (const Migration& m : known) known_versions.insert(m.version);
    for (int v : applied) {
        status.current_version = std::max(status.current_version, v);
        if (!known_versions.contains(v)) {
            // A version above ours means a newer rqwatch migrated this
            // database; one below means a build with a different history.
            // Either way this binary cannot know what the schema looks like.
            if (v > status.latest_version) {
                return Fail(ErrorCode::kConflict,
                            fmt::format("database schema version {} is newer than this rqwatch "
                                        "(knows up to {})",
                                        v, status.latest_version));
            }
            return Fail(ErrorCode::kConflict,
                        fmt::format("database has schema version {} which this rqwatch does not "
                                    "know",
                                    v));
        }
    }
    const std::set<int> applied_set(applied.begin(), applied.end());
    for (const Migration& m : known) {
        if (!applied_set.contains(m.version)) status.pending.push_back(m.version);
    }
    return status;
}

// Runs one migration in its own transaction. Returns false when another
// process applied it between our status check and our write lock.
bool ApplyOne(soci::session& sql, const Dialect& dialect, const Migration& m) {
    WriteTransaction tx(sql, dialect);
    int count = 0;
    ExecuteOnce(sql, queries::kCountVersion, soci::use(m.version, "version"), soci::into(count));
    if (count > 0) return false;
    for (const std::string& statement : SplitSqlScript(m.sql)) ExecuteOnce(sql, statement);
    const std::int64_t now = util::NowUnixMs();
    ExecuteOnce(sql, queries::kInsertMigration, soci::use(m.version, "version"),
                soci::use(m.name, "name"), soci::use(now, "applied_at"));
    tx.Commit();
    return true;
}

}  // namespace

Result<std::vector<Migration>> EmbeddedMigrationsFor(const Dialect& dialect) {
    const std::string prefix = std::string(dialect.MigrationsDir()) + "/";
    std::vector<Migration> out;
    for (const EmbeddedFile& f : EmbeddedMigrations()) {
        if (!f.path.starts_with(prefix)) continue;
        auto m = ParseFileName(std::string_view(f.path).substr(prefix.size()), f.content);
        if (!m) return std::unexpected(m.error());
        out.push_back(std::move(*m));
    }
    if (auto ok = SortAndCheck(out); !ok) return std::unexpected(ok.error());
    return out;
}

Result<int> Migrate(Database& db) {
    auto migrations = EmbeddedMigrationsFor(db.GetDialect());
    if (!migrations) return std::unexpected(migrations.error());
    return Migrate(db, std::move(*migrations));
}

Result<int> Migrate(Database& db, std::vector<Migration> migrations) {
    if (auto ok = SortAndCheck(migrations); !ok) return std::unexpected(ok.error());
    const Dialect& dialect = db.GetDialect();
    return db.Run<int>("migrating the database", [&](soci::session& sql) -> Result<int> {
        // Bootstrap outside the migrations: every later step records itself here.
        ExecuteOnce(sql, queries::kCreateMigrationsTable);
        auto status = ComputeStatus(AppliedVersions(sql, dialect), migrations);
        if (!status) return std::unexpected(status.error());
        int applied = 0;
        for (const Migration& m : migrations) {
            if (std::ranges::find(status->pending, m.version) == status->pending.end()) continue;
            try {
                if (ApplyOne(sql, dialect, m)) ++applied;
            } catch (const std::exception& e) {
                return std::unexpected(dialect.TranslateError(
                    e, fmt::format("applying migration {:04}_{}", m.version, m.name)));
            }
        }
        return applied;
    });
}

Result<int> CurrentVersion(Database& db) {
    const Dialect& dialect = db.GetDialect();
    return db.Run<int>("reading the schema version", [&](soci::session& sql) -> Result<int> {
        const auto applied = AppliedVersions(sql, dialect);
        return applied.empty() ? 0 : std::ranges::max(applied);
    });
}

Result<MigrationStatus> GetMigrationStatus(Database& db) {
    auto migrations = EmbeddedMigrationsFor(db.GetDialect());
    if (!migrations) return std::unexpected(migrations.error());
    return GetMigrationStatus(db, std::move(*migrations));
}

Result<MigrationStatus> GetMigrationStatus(Database& db, std::vector<Migration> migrations) {
    if (auto ok = SortAndCheck(migrations); !ok) return std::unexpected(ok.error());
    const Dialect& dialect = db.GetDialect();
    return db.Run<MigrationStatus>(
        "reading the schema version", [&](soci::session& sql) -> Result<MigrationStatus> {
            return ComputeStatus(AppliedVersions(sql, dialect), migrations);
        });
}

}  // namespace rqwatch::storage
