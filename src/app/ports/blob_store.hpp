#pragma once
// Port: the quarantine of raw mails (files, never DB blobs).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace rqwatch::app {

class BlobStore {
  public:
    virtual ~BlobStore() = default;
    // Where the mail with this spool id and arrival time lives, relative to the
    // quarantine root: "<yyyy-mm-dd>/<spool_id>.eml" (UTC date). Deterministic,
    // so a replayed import rewrites the same file instead of adding one.
    [[nodiscard]] virtual std::string RelativePath(const std::string& spool_id,
                                                   std::int64_t received_at_ms) const = 0;
    [[nodiscard]] virtual std::string AbsolutePath(const std::string& relative) const = 0;
    // Writes (or rewrites) a mail. Not yet durable: call Sync() before recording it anywhere.
    [[nodiscard]] virtual Result<void> Put(const std::string& relative, std::string_view bytes) = 0;
    // Makes every Put() since the last Sync() durable.
    [[nodiscard]] virtual Result<void> Sync() = 0;
};

}  // namespace rqwatch::app
