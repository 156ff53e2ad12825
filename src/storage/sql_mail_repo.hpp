#pragma once
// app::MailRepo on SQL (SOCI): mails + mail_recipients + mail_symbols.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/ports/mail_repo.hpp"
#include "storage/database.hpp"

namespace rqwatch::storage {

class SqlMailRepo final : public app::MailRepo {
  public:
    // `first_window`: how many of the newest ids a search that no index
    // serves reads first (see Search); smaller only in tests.
    explicit SqlMailRepo(std::shared_ptr<Database> db, std::int64_t first_window = 10'000)
        : db_(std::move(db)), first_window_(first_window) {}

    [[nodiscard]] Result<void> InsertBatch(std::vector<MailRecord>& records) override;
    [[nodiscard]] Result<app::MailPage> Search(const app::MailSearch& search) override;
    [[nodiscard]] Result<MailRecord> Get(std::int64_t id) override;
    // The engine's plan for Search(search), one line per plan row (for the
    // benchmark's documentation; nothing in rqwatch itself needs it).
    [[nodiscard]] Result<std::vector<std::string>> ExplainSearch(const app::MailSearch& search);

  private:
    std::shared_ptr<Database> db_;
    std::int64_t first_window_;
};

}  // namespace rqwatch::storage
