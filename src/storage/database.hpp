#pragma once
// A pool of SQL connections plus the dialect they speak. Repositories take a
// std::shared_ptr<Database> and lease one session per operation.

#include <soci/connection-pool.h>
#include <soci/session.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"
#include "storage/dialect.hpp"

namespace rqwatch::storage {

struct DatabaseOptions {
    std::string driver = "sqlite";
    std::string path;  // SQLite file; its directory must already exist
    int pool_size = 4;
    // How long a writer waits for another writer's lock before the operation
    // fails with kUnavailable (the importer retries the batch later).
    int busy_timeout_ms = 5000;
};

class Database {
  public:
    [[nodiscard]] static Result<std::shared_ptr<Database>> Open(const DatabaseOptions& options);

    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    [[nodiscard]] const Dialect& GetDialect() const { return dialect_; }

    // Leases a session for the duration of `fn` (a callable taking
    // soci::session& and returning Result<T>) and converts any exception it
    // throws into an Error (see Dialect::TranslateError), so SOCI exceptions
    // never leave the storage layer. `context` names the operation in
    // Error::detail.
    template <class T, class Fn>
    [[nodiscard]] Result<T> Run(std::string_view context, Fn&& fn) {
        try {
            // Blocks until a connection is free; operations are short.
            soci::session sql(pool_);
            return std::forward<Fn>(fn)(sql);
        } catch (const std::exception& e) {
            return std::unexpected(dialect_.TranslateError(e, context));
        }
    }

  private:
    Database(Dialect dialect, std::size_t pool_size);

    Dialect dialect_;
    std::size_t pool_size_;
    soci::connection_pool pool_;
};

}  // namespace rqwatch::storage
