#pragma once
// app::UserRepo on SQL (SOCI): the users table.

#include <memory>

#include "app/ports/user_repo.hpp"
#include "storage/database.hpp"

namespace rqwatch::storage {

class SqlUserRepo final : public app::UserRepo {
  public:
    explicit SqlUserRepo(std::shared_ptr<Database> db) : db_(std::move(db)) {}

    // created_at == 0 is stored as "now".
    [[nodiscard]] Result<std::int64_t> Add(const User& user) override;
    [[nodiscard]] Result<User> FindByUsername(const std::string& username) override;

  private:
    std::shared_ptr<Database> db_;
};

}  // namespace rqwatch::storage
