#pragma once
// app::OidcSubjectRepo on SQL (SOCI): the oidc_subjects table (migration 0011).

#include <memory>

#include "app/ports/oidc_subject_repo.hpp"
#include "storage/database.hpp"

namespace rqwatch::storage {

class SqlOidcSubjectRepo final : public app::OidcSubjectRepo {
  public:
    explicit SqlOidcSubjectRepo(std::shared_ptr<Database> db) : db_(std::move(db)) {}

    [[nodiscard]] Result<std::optional<std::string>> SubjectOf(std::int64_t user_id) override;
    [[nodiscard]] Result<std::optional<std::int64_t>> UserOf(const std::string& subject) override;
    // kInvalidArgument for an empty or over-long subject.
    [[nodiscard]] Result<void> Bind(std::int64_t user_id, const std::string& subject,
                                    std::int64_t at) override;

  private:
    std::shared_ptr<Database> db_;
};

}  // namespace rqwatch::storage
