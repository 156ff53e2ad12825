#pragma once
// HTTP Basic authentication of local users for the JSON API (until sessions
// exist). argon2id costs ~100 ms by design, so a successful check is cached
// for a minute under a keyed BLAKE2b digest of the password (never the
// password itself); a wrong password always pays the full price. A user
// with TOTP on is refused (401, pointing to API tokens); a cached entry
// may let them in up to a minute after they turned TOTP on.

#include <chrono>
#include <map>
#include <mutex>

#include "app/ports/password_hasher.hpp"
#include "app/ports/user_repo.hpp"
#include "http/types.hpp"

namespace rqwatch::http {

class BasicAuthenticator {
  public:
    BasicAuthenticator(app::UserRepo& users, app::PasswordHasher& hasher);

    // kUnauthenticated (401) without valid credentials, kPermissionDenied (403)
    // when `need_admin` and the user is not an admin.
    [[nodiscard]] Result<User> Check(const Request& request, bool need_admin);

  private:
    struct CacheEntry {
        User user;
        std::string digest;
        std::chrono::steady_clock::time_point expires;
    };
    std::string Digest(std::string_view password) const;

    app::UserRepo& users_;
    app::PasswordHasher& hasher_;
    std::string key_;  // random per process
    std::mutex mu_;
    std::map<std::string, CacheEntry> cache_;
};

}  // namespace rqwatch::http
