#pragma once
// app::AuditLog on SQL (SOCI): the audit_log table (migration 0007).

#include <memory>

#include "app/ports/audit_log.hpp"
#include "storage/database.hpp"

namespace rqwatch::storage {

class SqlAuditLog final : public app::AuditLog {
  public:
    explicit SqlAuditLog(std::shared_ptr<Database> db) : db_(std::move(db)) {}

    // Text is cut to the column sizes (column_limits.hpp): an entry is
    // always written, whatever a client sent. `id` is ignored.
    [[nodiscard]] Result<void> Record(const app::AuditEntry& entry) override;
    // kInvalidArgument for a limit outside 1..1000.
    [[nodiscard]] Result<std::vector<app::AuditEntry>> Search(
        const app::AuditQuery& query) override;

  private:
    std::shared_ptr<Database> db_;
};

}  // namespace rqwatch::storage
