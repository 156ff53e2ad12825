#pragma once
// RAII write transaction: rolled back unless Commit() succeeds, so a thrown
// SOCI exception or an early return never leaves a pooled connection inside
// an open transaction.

#include "storage/dialect.hpp"

namespace soci {
class session;
}

namespace rqwatch::storage {

class WriteTransaction {
  public:
    // Throws soci::soci_error when the transaction cannot start (e.g. busy).
    WriteTransaction(soci::session& sql, const Dialect& dialect);
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    ~WriteTransaction();

    // Throws on failure; the destructor then rolls back.
    void Commit();

  private:
    soci::session& sql_;
    bool active_ = true;
};

}  // namespace rqwatch::storage
