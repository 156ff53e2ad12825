#pragma once
// app::UserRepo on SQL (SOCI): the users table (sql_user_repo.cpp) and
// user_aliases (sql_user_aliases.cpp). Addresses (email, aliases, admin
// domains) are stored in NormalizeAddress form (user_row.hpp).

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
    [[nodiscard]] Result<User> FindById(std::int64_t id) override;
    [[nodiscard]] Result<std::vector<User>> List(const app::UserListQuery& query) override;
    [[nodiscard]] Result<void> Update(const User& user) override;
    [[nodiscard]] Result<void> Delete(std::int64_t id) override;
    [[nodiscard]] Result<void> RecordLogin(std::int64_t id, std::int64_t at) override;

    // Ordered by alias. An unknown user has none.
    [[nodiscard]] Result<std::vector<Alias>> AliasesOf(std::int64_t user_id) override;
    [[nodiscard]] Result<Alias> FindAlias(std::int64_t alias_id) override;
    [[nodiscard]] Result<std::vector<Alias>> ListAliases(const app::UserListQuery& query) override;
    [[nodiscard]] Result<std::int64_t> AddAlias(std::int64_t user_id,
                                                const std::string& alias) override;
    // kNotFound for an unknown alias id; kConflict when its user has the new
    // alias already.
    [[nodiscard]] Result<void> UpdateAlias(std::int64_t alias_id,
                                           const std::string& alias) override;
    // kNotFound for an unknown alias id.
    [[nodiscard]] Result<void> DeleteAlias(std::int64_t alias_id) override;
    // kNotFound for an unknown user. Duplicates (after NormalizeAddress)
    // count once.
    [[nodiscard]] Result<void> SetAliases(std::int64_t user_id,
                                          const std::vector<std::string>& aliases) override;

  private:
    std::shared_ptr<Database> db_;
};

}  // namespace rqwatch::storage
