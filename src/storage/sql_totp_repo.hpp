#pragma once
// app::TotpRepo on SQL (SOCI): the user_totp table (migration 0010).

#include <memory>

#include "app/ports/totp_repo.hpp"
#include "storage/database.hpp"

namespace rqwatch::storage {

class SqlTotpRepo final : public app::TotpRepo {
  public:
    explicit SqlTotpRepo(std::shared_ptr<Database> db) : db_(std::move(db)) {}

    [[nodiscard]] Result<app::TotpSecret> Find(std::int64_t user_id) override;
    // kInvalidArgument for an empty or over-long secret.
    [[nodiscard]] Result<void> SetPending(const app::TotpSecret& pending) override;
    [[nodiscard]] Result<void> Confirm(std::int64_t user_id, std::int64_t at,
                                       std::int64_t step) override;
    [[nodiscard]] Result<bool> UseStep(std::int64_t user_id, std::int64_t step) override;
    [[nodiscard]] Result<bool> Delete(std::int64_t user_id) override;

  private:
    std::shared_ptr<Database> db_;
};

}  // namespace rqwatch::storage
