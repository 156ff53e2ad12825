#include "http/admin_auth.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include "http/basic_auth.hpp"

namespace rqwatch::http {
namespace {
constexpr auto kCacheTtl = std::chrono::seconds(60);
constexpr std::size_t kMaxCache = 10000;
}  // namespace

BasicAuthenticator::BasicAuthenticator(app::UserRepo& users, app::PasswordHasher& hasher)
    : users_(users), hasher_(hasher), key_(crypto_generichash_KEYBYTES, '\0') {
    if (sodium_init() < 0) throw std::runtime_error("libsodium initialisation failed");
    randombytes_buf(key_.data(), key_.size());
}

std::string BasicAuthenticator::Digest(std::string_view password) const {
    std::string out(crypto_generichash_BYTES, '\0');
    crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                       reinterpret_cast<const unsigned char*>(password.data()), password.size(),
                       reinterpret_cast<const unsigned char*>(key_.data()), key_.size());
    return out;
}

Result<User> BasicAuthenticator::Check(const Request& request, bool need_admin) {
    auto deny = [] { return Fail(ErrorCode::kUnauthenticated, "authentication required"); };
    if (!request.raw) return deny();
    auto creds = ParseBasicAuth((*request.raw)[bhttp::field::authorization]);
    if (!creds) return deny();
    const std::string digest = Digest(creds->password);
    std::optional<User> user;
    {
        std::lock_guard lock(mu_);
        auto it = cache_.find(creds->username);
        if (it != cache_.end() && it->second.expires > std::chrono::steady_clock::now() &&
            sodium_memcmp(it->second.digest.data(), digest.data(), digest.size()) == 0) {
            user = it->second.user;
        }
    }
    if (!user) {
        auto found = users_.FindByUsername(creds->username);
        if (!found && found.error().code != ErrorCode::kNotFound)
            return std::unexpected(found.error());
        const bool ok = found && !found->password_hash.empty() &&
                        hasher_.Verify(creds->password, found->password_hash);
        if (!ok) {
            spdlog::warn("auth: failed login for user '{}' from {}", creds->username.substr(0, 64),
                         request.client_ip);
            return deny();
        }
        user = *found;
        std::lock_guard lock(mu_);
        if (cache_.size() >= kMaxCache) cache_.clear();
        cache_[creds->username] =
            CacheEntry{*user, digest, std::chrono::steady_clock::now() + kCacheTtl};
    }
    if (user->totp_enabled) {
        // A password alone does not let this user in; scripts have tokens.
        return Fail(ErrorCode::kUnauthenticated,
                    "this account uses a second factor (TOTP): HTTP Basic is refused, use an API "
                    "token (Authorization: Bearer) instead");
    }
    if (need_admin && !user->is_admin)
        return Fail(ErrorCode::kPermissionDenied, "administrators only");
    return *user;
}

}  // namespace rqwatch::http
