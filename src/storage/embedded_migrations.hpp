#pragma once

#include <string>
#include <vector>

namespace rqwatch::storage {

struct EmbeddedFile {
    std::string path;  // relative to src/storage/migrations, e.g. "sqlite/0001_initial.sql"
    std::string content;
};

// Generated at build time from src/storage/migrations/**/*.sql (cmake/embed_sql.cmake).
const std::vector<EmbeddedFile>& EmbeddedMigrations();

}  // namespace rqwatch::storage
