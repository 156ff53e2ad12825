#pragma once
// Port: the quarantine of raw mails (files, never DB blobs).

#include <cstdint>
#include <string>

#include "core/error.hpp"

namespace rqwatch::app {

class BlobStore {
public:
    virtual ~BlobStore() = default;
    // Where the mail with this spool id and arrival time lives, relative to the
    // quarantine root: "<yyyy-mm-dd>/<spool_id>.eml" (UTC date). Deterministic,
    // so a replayed import finds a file an interrupted one already moved.
    [[nodiscard]] virtual std::string RelativePath(const std::string& spool_id,
                                                   std::int64_t received_at_ms) const = 0;
    [[nodiscard]] virtual std::string AbsolutePath(const std::string& relative) const = 0;
    // Moves a finished file into the quarantine (rename; copy when across file
    // systems). Not yet durable: call Sync() before recording it anywhere.
    [[nodiscard]] virtual Result<void> Adopt(const std::string& source_path,
                                             const std::string& relative) = 0;
    // Makes every Adopt() since the last Sync() durable.
    [[nodiscard]] virtual Result<void> Sync() = 0;
};

}  // namespace rqwatch::app
