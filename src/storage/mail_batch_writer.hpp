#pragma once
// Writes one import batch. On PostgreSQL and MariaDB with a few multi-row
// statements instead of one per row: a remote server costs a network round
// trip per statement, and a batch of 200 mails has ~2,500 rows (mails,
// recipients, symbols). Per batch:
//   INSERT mails … VALUES (…), (…) — skipping spool ids already stored
//   SELECT id, spool_id FROM mails WHERE spool_id IN (…) — ids, old and new
//   INSERT recipients / symbols … VALUES (…), (…) — skipping existing ones
// Every INSERT skips conflicts, so a replayed batch writes nothing twice.
// SQLite (in process, no round trips) re-executes one prepared statement per
// row instead, which is faster there.

#include <soci/soci.h>

#include <cstdint>
#include <vector>

#include "core/mail.hpp"
#include "storage/dialect.hpp"

namespace rqwatch::storage {

// Inserts the records (inside the caller's transaction) and returns their
// ids in the same order. Throws soci::soci_error like the statements it runs.
[[nodiscard]] std::vector<std::int64_t> WriteMailBatch(soci::session& sql, const Dialect& dialect,
                                                       const std::vector<MailRecord>& records);

}  // namespace rqwatch::storage
