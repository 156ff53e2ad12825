#pragma once
// app::SessionStore on SQL (SOCI): the sessions table (migration 0007).
// A session goes with its user, and with the admin behind a "login as",
// by ON DELETE CASCADE.

#include <memory>

#include "app/ports/session_store.hpp"
#include "storage/database.hpp"

namespace rqwatch::storage {

class SqlSessionStore final : public app::SessionStore {
  public:
    explicit SqlSessionStore(std::shared_ptr<Database> db) : db_(std::move(db)) {}

    // kInvalidArgument for an empty key, or a key or CSRF token longer than
    // limits::kToken (a cut key could match another); the ip is cut to
    // limits::kIp. kConflict for a key in use or an unknown user.
    [[nodiscard]] Result<void> Create(const app::SessionRecord& session) override;
    [[nodiscard]] Result<app::SessionRecord> Find(const std::string& key) override;
    // Never moves last_seen backwards; an absent session is no error (it
    // may have expired or been logged out meanwhile).
    [[nodiscard]] Result<void> Touch(const std::string& key, std::int64_t last_seen) override;
    // An absent session is no error.
    [[nodiscard]] Result<void> Delete(const std::string& key) override;
    // Also the sessions in which the user, an admin, acts as someone else
    // ("login as"): they are the user's browsers too.
    [[nodiscard]] Result<void> DeleteAllOf(std::int64_t user_id) override;
    [[nodiscard]] Result<std::int64_t> DeleteExpired(std::int64_t idle_before,
                                                     std::int64_t created_before) override;

  private:
    std::shared_ptr<Database> db_;
};

}  // namespace rqwatch::storage
