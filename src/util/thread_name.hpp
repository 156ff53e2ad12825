#pragma once
// Names the calling thread (visible in top -H, ps -L, perf): at most 15 characters.

namespace rqwatch::util {
void SetThreadName(const char* name);
}  // namespace rqwatch::util
