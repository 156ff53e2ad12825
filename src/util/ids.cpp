#include "util/ids.hpp"

#include <sys/random.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <string_view>

namespace rqwatch::util {
namespace {

constexpr std::string_view kHex = "0123456789abcdef";
constexpr std::size_t kTimeDigits = 12;
constexpr std::size_t kRandomDigits = 16;

void FillRandom(void* buf, std::size_t len) {
    auto* p = static_cast<unsigned char*>(buf);
    while (len > 0) {
        ssize_t n = ::getrandom(p, len, 0);
        if (n <= 0) continue;  // EINTR; getrandom never fails otherwise once the pool is ready
        p += n;
        len -= static_cast<std::size_t>(n);
    }
}

}  // namespace

std::string RandomHex(std::size_t digits) {
    std::array<unsigned char, 32> bytes{};
    digits = std::min(digits, 2 * bytes.size());
    FillRandom(bytes.data(), (digits + 1) / 2);
    std::string out;
    out.reserve(digits);
    for (std::size_t i = 0; i < digits; ++i) {
        unsigned char b = bytes[i / 2];
        out.push_back(kHex[(i % 2 == 0) ? (b >> 4) : (b & 0xf)]);
    }
    return out;
}

std::string NewSpoolId(std::int64_t unix_ms) {
    std::string out;
    out.reserve(kTimeDigits + 1 + kRandomDigits);
    auto t = static_cast<std::uint64_t>(unix_ms);
    for (std::size_t i = 0; i < kTimeDigits; ++i) {
        out.push_back(kHex[(t >> (4 * (kTimeDigits - 1 - i))) & 0xf]);
    }
    out.push_back('-');
    out += RandomHex(kRandomDigits);
    return out;
}

bool IsValidSpoolId(std::string_view id) {
    if (id.size() != kTimeDigits + 1 + kRandomDigits || id[kTimeDigits] != '-') return false;
    for (std::size_t i = 0; i < id.size(); ++i) {
        if (i == kTimeDigits) continue;
        if (kHex.find(id[i]) == std::string_view::npos) return false;
    }
    return true;
}

std::string NewRequestId() {
    // Unique, not secret: a per-thread random start, then a counter through
    // splitmix64's finaliser (a bijection, so a thread never repeats). Not
    // a getrandom() per request: that system call was a visible share of a
    // map poll's cost (docs/benchmarks.md, maps).
    thread_local std::uint64_t state = [] {
        std::uint64_t seed = 0;
        FillRandom(&seed, sizeof seed);
        return seed;
    }();
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    std::string out(16, '0');
    for (std::size_t i = 0; i < 16; ++i) out[i] = kHex[(z >> (4 * (15 - i))) & 0xf];
    return out;
}

std::int64_t NowUnixMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace rqwatch::util
