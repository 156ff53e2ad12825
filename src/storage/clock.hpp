#pragma once
// The time the repositories stamp rows with when the caller gives none.

#include <chrono>
#include <cstdint>

namespace rqwatch::storage {

// Milliseconds since the epoch, UTC: every time column's unit.
[[nodiscard]] inline std::int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace rqwatch::storage
