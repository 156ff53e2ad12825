#include "app/login.hpp"

#include <algorithm>

#include "core/mail.hpp"
#include "util/ids.hpp"

namespace rqwatch::app {

namespace {

constexpr std::size_t kMaxPassword = 1024;

Error WrongCredentials() {
    return Error{ErrorCode::kUnauthenticated, "wrong username or password", {}};
}

}  // namespace

bool ValidUsername(std::string_view name) {
    if (name.empty() || name.size() > 128) return false;
    return std::ranges::all_of(name, [](unsigned char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '.' || c == '_' || c == '+' || c == '-' || c == '@';
    });
}

std::vector<std::string> UserAddresses(const User& user, const std::vector<Alias>& aliases) {
    std::vector<std::string> out;
    auto add = [&out](const std::string& raw) {
        std::string a = NormalizeAddress(raw);
        if (!a.empty() && std::ranges::find(out, a) == out.end()) out.push_back(std::move(a));
    };
    add(user.email);
    for (const Alias& a : aliases) add(a.alias);
    return out;
}

Login::Login(UserRepo& users, PasswordHasher& hasher, AuditLog& audit, LoginThrottle& throttle,
             Directory* directory, Clock clock, SecondFactor* second_factor)
    : users_(users),
      hasher_(hasher),
      throttle_(throttle),
      directory_(directory),
      second_factor_(second_factor),
      clock_(clock ? std::move(clock) : Clock(util::NowUnixMs)),
      audit_(audit, clock_) {
    auto dummy = hasher_.Hash("not a password of anybody");
    if (dummy) dummy_hash_ = std::move(*dummy);
}

void Login::Audit(const LoginAttempt& attempt, const User* user, std::string action,
                  std::string detail) {
    // Best effort (AuditTrail): an audit outage must not lock everybody out.
    audit_.Record(Actor{user ? user->id : 0, user ? user->username : attempt.username, attempt.ip, {}},
                  std::move(action), user ? UserTarget(user->id) : std::string(),
                  std::move(detail));
}

Result<User> Login::CheckLocal(const LoginAttempt& attempt, Result<User>& found) {
    if (!hasher_.Verify(attempt.password, found->password_hash)) {
        return std::unexpected(WrongCredentials());
    }
    // A hash taken over from the old system: replace it by argon2id now
    // that the password is known.
    if (!found->password_hash.starts_with("$argon2id$")) {
        if (auto fresh = hasher_.Hash(attempt.password)) {
            User updated = *found;
            updated.password_hash = std::move(*fresh);
            if (users_.Update(updated)) found->password_hash = updated.password_hash;
        }
    }
    return *found;
}

Result<User> Login::CheckDirectory(const LoginAttempt& attempt, Result<User>& found) {
    auto who = directory_->Authenticate(attempt.username, attempt.password);
    if (!who) {
        if (who.error().code == ErrorCode::kUnauthenticated)
            return std::unexpected(WrongCredentials());
        return std::unexpected(std::move(who.error()));
    }
    // The directory's spelling of the name is the account's name.
    Result<User> existing =
        found && found->username == who->login ? found : users_.FindByUsername(who->login);
    User user = existing ? *existing : User{};
    if (existing && existing->provider == AuthProvider::kLocal) {
        // A local account of that name is not the directory's user.
        return std::unexpected(WrongCredentials());
    }
    if (!existing && existing.error().code != ErrorCode::kNotFound) {
        return std::unexpected(std::move(existing.error()));
    }
    user.username = who->login;
    user.email = who->email;
    user.is_admin = who->admin;
    user.provider = AuthProvider::kLdap;
    user.password_hash.clear();
    if (!who->display_name.empty() && user.first_name.empty() && user.last_name.empty()) {
        user.first_name = who->display_name;
    }
    if (existing) {
        if (auto ok = users_.Update(user); !ok) return std::unexpected(std::move(ok.error()));
    } else {
        auto id = users_.Add(user);
        if (!id) return std::unexpected(std::move(id.error()));
        user.id = *id;
    }
    if (auto ok = users_.SetAliases(user.id, who->aliases); !ok) {
        return std::unexpected(std::move(ok.error()));
    }
    return user;
}

Result<LoggedIn> Login::Run(const LoginAttempt& attempt) {
    if (!ValidUsername(attempt.username)) {
        return Fail(ErrorCode::kInvalidArgument,
                    "username must be 1-128 characters of letters, digits and . _ + - @");
    }
    if (attempt.password.empty() || attempt.password.size() > kMaxPassword) {
        return std::unexpected(WrongCredentials());
    }
    const std::int64_t now = clock_();
    if (const std::int64_t wait = throttle_.RetryAfterMs(attempt.ip, attempt.username, now);
        wait > 0) {
        Audit(attempt, nullptr, "login_throttled", "");
        Error e{ErrorCode::kTooManyRequests, "too many failed logins, try again later", {}};
        e.retry_after_s = (wait + 999) / 1000;
        return std::unexpected(std::move(e));
    }
    Result<User> found = users_.FindByUsername(attempt.username);
    if (!found && found.error().code != ErrorCode::kNotFound) {
        return std::unexpected(std::move(found.error()));
    }
    Result<User> user = std::unexpected(WrongCredentials());
    if (found && found->provider == AuthProvider::kLocal) {
        user = CheckLocal(attempt, found);
    } else if (directory_) {
        user = CheckDirectory(attempt, found);
    } else {
        (void)hasher_.Verify(attempt.password, dummy_hash_);  // same cost as a real check
    }
    if (!user) {
        if (user.error().code == ErrorCode::kUnauthenticated) {
            throttle_.RecordFailure(attempt.ip, attempt.username, now);
            Audit(attempt, nullptr, "login_failed", "");
        }
        return std::unexpected(std::move(user.error()));
    }
    if (second_factor_) {
        if (auto ok = second_factor_->CheckLogin(*user, attempt.totp); !ok) {
            // No code yet is the first half of a normal login, not a failure;
            // a wrong one is a guess like a wrong password.
            if (ok.error().reason == kTotpInvalid) {
                throttle_.RecordFailure(attempt.ip, attempt.username, now);
                Audit(attempt, &*user, "login_failed", "wrong TOTP code");
            }
            return std::unexpected(std::move(ok.error()));
        }
    }
    throttle_.RecordSuccess(attempt.username);
    (void)users_.RecordLogin(user->id, now);
    user->last_login = now;
    auto aliases = users_.AliasesOf(user->id);
    if (!aliases) return std::unexpected(std::move(aliases.error()));
    Audit(attempt, &*user, "login", "");
    LoggedIn out;
    out.addresses = UserAddresses(*user, *aliases);
    out.user = std::move(*user);
    return out;
}

}  // namespace rqwatch::app
