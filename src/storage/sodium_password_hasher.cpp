#include "storage/sodium_password_hasher.hpp"

#include <crypt.h>
#include <sodium.h>

#include <cstring>
#include <memory>

namespace rqwatch::storage {
namespace {

// sodium_init() is thread-safe and idempotent, but calling it once keeps it
// off the per-login path.
bool SodiumReady() {
    static const bool ready = sodium_init() >= 0;
    return ready;
}

// bcrypt ($2a$, $2b$, $2y$: PHP's password_hash) and yescrypt ($y$), as the
// old system stored them, checked by libxcrypt.
bool VerifyLegacy(std::string_view password, const std::string& hash) {
    if (!hash.starts_with("$2") && !hash.starts_with("$y$")) return false;
    if (password.find('\0') != std::string_view::npos) return false;
    auto data = std::make_unique<crypt_data>();  // ~32 KB: not on the stack
    const std::string pw(password);
    const char* out = crypt_rn(pw.c_str(), hash.c_str(), data.get(), sizeof(crypt_data));
    // libxcrypt returns NULL or a string starting with '*' for a bad setting.
    if (out == nullptr || out[0] == '*') return false;
    const std::size_t n = std::strlen(out);
    return n == hash.size() && sodium_memcmp(out, hash.data(), n) == 0;
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
    if (!hash.starts_with("$argon2")) return VerifyLegacy(password, hash);
    // crypto_pwhash_str_verify reads a NUL-terminated string of at most
    // crypto_pwhash_STRBYTES; reject anything longer (or empty) up front.
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace rqwatch::storage
