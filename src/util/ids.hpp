#pragma once
// Identifiers: spool ids are time-ordered (so a directory listing is roughly
// arrival order) and random (so they cannot be guessed or collide across nodes).

#include <cstdint>
#include <string>
#include <string_view>

namespace rqwatch::util {

// 29 characters: 12 hex digits of unix milliseconds, "-", 16 random hex digits.
[[nodiscard]] std::string NewSpoolId(std::int64_t unix_ms);
// True when `id` has exactly the shape NewSpoolId produces (safe to use in a path).
[[nodiscard]] bool IsValidSpoolId(std::string_view id);
// `digits` (at most 64) random hex characters from the kernel's CSPRNG:
// MIME boundaries and Message-IDs that no mail content can predict.
[[nodiscard]] std::string RandomHex(std::size_t digits);
// 16 hex characters, for request ids in logs: unique, not unpredictable.
[[nodiscard]] std::string NewRequestId();

[[nodiscard]] std::int64_t NowUnixMs();

}  // namespace rqwatch::util
