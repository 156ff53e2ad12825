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
    // sqlite:FILE (its directory must exist), postgresql://…, mysql://…
    // (storage/database_url.hpp).
    std::string url;
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
        // Blocks until a connection is free; operations are short.
        soci::session sql(pool_);
        try {
            return std::forward<Fn>(fn)(sql);
        } catch (const std::exception& e) {
            Error error = dialect_.TranslateError(e, context);
            if (error.code == ErrorCode::kUnavailable) Recover(sql);
            return std::unexpected(std::move(error));
        }
    }

    // The URL without its password.
    [[nodiscard]] const std::string& Description() const { return description_; }

  private:
    Database(Dialect dialect, std::size_t pool_size);
    // A server restart leaves pooled connections dead, and SOCI does not
    // reconnect by itself: try once now, so that the caller's retry (the
    // importer's next batch) finds a working connection.
    void Recover(soci::session& sql) noexcept;
    void Configure(soci::session& sql) const;

    Dialect dialect_;
    std::string description_;
    int busy_timeout_ms_ = 0;
    std::size_t pool_size_;
    soci::connection_pool pool_;
};

}  // namespace rqwatch::storage
