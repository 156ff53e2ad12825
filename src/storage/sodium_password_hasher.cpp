#include "storage/sodium_password_hasher.hpp"

#include <sodium.h>

namespace rqwatch::storage {
namespace {

// sodium_init() is thread-safe and idempotent, but calling it once keeps it
// off the per-login path.
bool SodiumReady() {
    static const bool ready = sodium_init() >= 0;
    return ready;
}

}  // namespace

Result<std::string> SodiumPasswordHasher::Hash(std::string_view password) {
    if (!SodiumReady())
        return Fail(ErrorCode::kInternal, "password hashing unavailable", "sodium_init failed");
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
        // The only documented failure: the memory limit could not be allocated.
        return Fail(ErrorCode::kInternal, "password hashing failed",
                    "crypto_pwhash_str: out of memory");
    }
    return std::string(out);
}

bool SodiumPasswordHasher::Verify(std::string_view password, const std::string& hash) {
    if (!SodiumReady()) return false;
    // crypto_pwhash_str_verify reads a NUL-terminated string of at most
    // crypto_pwhash_STRBYTES; reject anything longer (or empty) up front.
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace rqwatch::storage
