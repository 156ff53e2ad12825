#pragma once
// app::ApiTokenRepo on SQL (SOCI): the api_tokens table (migration 0010).

#include <memory>

#include "app/ports/api_token_repo.hpp"
#include "storage/database.hpp"

namespace rqwatch::storage {

class SqlApiTokenRepo final : public app::ApiTokenRepo {
  public:
    explicit SqlApiTokenRepo(std::shared_ptr<Database> db) : db_(std::move(db)) {}

    // kInvalidArgument for values longer than their columns (a cut name or
    // digest would be another one).
    [[nodiscard]] Result<std::int64_t> Add(const app::ApiToken& token, int max_per_user) override;
    [[nodiscard]] Result<std::vector<app::ApiToken>> ListOf(std::int64_t user_id) override;
    [[nodiscard]] Result<app::ApiToken> FindByDigest(const std::string& digest) override;
    [[nodiscard]] Result<app::ApiToken> Find(std::int64_t user_id, std::int64_t id) override;
    // kNotFound unless the token exists and is the user's.
    [[nodiscard]] Result<void> Delete(std::int64_t user_id, std::int64_t id) override;
    [[nodiscard]] Result<void> Touch(std::int64_t id, std::int64_t at,
                                     std::int64_t unless_after) override;

  private:
    std::shared_ptr<Database> db_;
};

}  // namespace rqwatch::storage
