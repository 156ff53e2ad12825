#pragma once
// Port: the quarantine of raw mails (files, never DB blobs).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace rqwatch::app {

// What a safe delete found at a quarantine path (and removed, unless it only checked).
struct BlobRemoval {
    enum class Kind {
        kFile,     // a regular file inside the quarantine
        kSymlink,  // a symbolic link: the link itself, never what it points to
        kMissing,  // nothing there (already deleted, e.g. by an interrupted purge)
    };
    Kind kind = Kind::kMissing;
    std::uint64_t bytes = 0;  // size of the regular file; 0 for links and missing files
};

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

    // Safe delete (retention): `relative` must stay inside the quarantine
    // (no absolute path, no ".." component), a symbolic link is unlinked
    // itself, never followed, and anything but a regular file or a link
    // (directory, fifo, socket, device) is an error, as is a file whose
    // directory resolves outside the quarantine. A missing file is not an error.
    [[nodiscard]] virtual Result<BlobRemoval> Remove(const std::string& relative) = 0;
    // The bytes of a quarantined mail, with the checks of Remove(): the path
    // must stay inside the quarantine and name a regular file (a symbolic
    // link is never followed). kNotFound when there is no file; kTooLarge
    // when it has more than `max_bytes`.
    [[nodiscard]] virtual Result<std::string> Read(const std::string& relative,
                                                   std::uint64_t max_bytes) const = 0;
    // What Remove() would do, with the same checks and errors; changes nothing (dry run).
    [[nodiscard]] virtual Result<BlobRemoval> CheckRemove(const std::string& relative) const = 0;
    // Removes the empty day directories ("YYYY-MM-DD", a valid date) of days
    // strictly before `before_day` (YYYY-MM-DD) and returns how many; nothing
    // else is ever removed.
    [[nodiscard]] virtual Result<std::size_t> PruneEmptyDays(std::string_view before_day) = 0;
    // How many directories PruneEmptyDays() would remove now (dry run).
    [[nodiscard]] virtual Result<std::size_t> CountEmptyDays(std::string_view before_day) const = 0;
};

}  // namespace rqwatch::app
