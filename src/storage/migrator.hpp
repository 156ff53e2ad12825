#pragma once
// Schema migrations: the SQL files embedded at build time
// (migrations/<dialect>/NNNN_name.sql) applied in version order, each in its
// own transaction, and recorded in schema_migrations.

#include <string>
#include <vector>

#include "core/error.hpp"
#include "storage/database.hpp"

namespace rqwatch::storage {

struct Migration {
    int version = 0;
    std::string name;  // "initial" for 0001_initial.sql
    std::string sql;
};

struct MigrationStatus {
    int current_version = 0;   // highest applied version, 0 for an empty database
    int latest_version = 0;    // highest version this binary knows
    std::vector<int> pending;  // known versions not applied yet, ascending

    [[nodiscard]] bool HasPending() const { return !pending.empty(); }
};

// The embedded migrations of `dialect`, sorted by version. kInternal when a
// file name does not follow NNNN_name.sql or a version appears twice (a
// packaging bug, caught by the unit tests).
[[nodiscard]] Result<std::vector<Migration>> EmbeddedMigrationsFor(const Dialect& dialect);

// Applies every pending migration; returns how many were applied (0 when up
// to date). Refuses (kConflict) when the database records a version this
// binary does not know, e.g. after a downgrade: "database schema version N is
// newer than this rqwatch (knows up to M)".
[[nodiscard]] Result<int> Migrate(Database& db);

// Same with an explicit list (sorted by the callee); for tests.
[[nodiscard]] Result<int> Migrate(Database& db, std::vector<Migration> migrations);

// Highest applied version; 0 when nothing was ever applied.
[[nodiscard]] Result<int> CurrentVersion(Database& db);

// What `serve` checks before starting: fails like Migrate on an unknown
// version, otherwise reports what is pending. Does not write.
[[nodiscard]] Result<MigrationStatus> GetMigrationStatus(Database& db);
[[nodiscard]] Result<MigrationStatus> GetMigrationStatus(Database& db,
                                                         std::vector<Migration> migrations);

}  // namespace rqwatch::storage
