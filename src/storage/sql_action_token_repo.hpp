#pragma once
// app::ActionTokenRepo on SQL (SOCI): action_tokens_used (migration 0018).

#include <memory>

#include "app/ports/action_token_repo.hpp"
#include "storage/database.hpp"

namespace rqwatch::storage {

class SqlActionTokenRepo final : public app::ActionTokenRepo {
  public:
    explicit SqlActionTokenRepo(std::shared_ptr<Database> db) : db_(std::move(db)) {}
    [[nodiscard]] Result<bool> MarkUsed(const std::string& digest, std::int64_t mail_id,
                                        std::int64_t at) override;
    [[nodiscard]] Result<bool> IsUsed(const std::string& digest) override;
    [[nodiscard]] Result<void> Unmark(const std::string& digest) override;

  private:
    std::shared_ptr<Database> db_;
};

}  // namespace rqwatch::storage
