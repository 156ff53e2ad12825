#include "storage/transaction.hpp"

#include <soci/soci.h>

#include "storage/statement.hpp"

namespace rqwatch::storage {

WriteTransaction::WriteTransaction(soci::session& sql, const Dialect& dialect) : sql_(sql) {
    dialect.BeginWrite(sql_);
}

WriteTransaction::~WriteTransaction() {
    if (!active_) return;
    try {
        ExecuteOnce(sql_, "ROLLBACK");
    } catch (...) {
        // Nothing sensible to do: SQLite has already rolled back when the
        // failure was an I/O error, and a destructor must not throw.
    }
}

void WriteTransaction::Commit() {
    ExecuteOnce(sql_, "COMMIT");
    active_ = false;
}

}  // namespace rqwatch::storage
