#pragma once
// Use case: administrators manage the accounts (reference §E: list, search,
// add, edit, delete), each change audited. The repository keeps the last
// admin (in the same transaction as the change); this class adds the rules
// that depend on who asks and on where the account comes from:
// - nobody deletes or demotes their own account (a slip would lock them
//   out; another admin can);
// - a directory user's (LDAP, OIDC) login name, address, names, admin
//   rights and password come from the directory at every login, so they
//   cannot be edited here (the edit would silently vanish);
// - a new password, or the loss of admin rights, ends the user's sessions.
// Hashing a password is blocking (~0.1 s): call from a worker thread.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/account_rules.hpp"
#include "app/actor.hpp"
#include "app/audit_trail.hpp"
#include "app/ports/password_hasher.hpp"
#include "app/ports/user_repo.hpp"
#include "app/session_service.hpp"

namespace rqwatch::app {

struct NewUser {
    std::string username;
    std::string email;
    std::string first_name;
    std::string last_name;
    bool is_admin = false;
    std::vector<std::string> admin_domains;
    bool notifications_disabled = false;
    NotifyPreferences notify;
    std::string password;  // required: a local account
};

// A partial update: only the fields that are set change.
struct UserChanges {
    std::optional<std::string> username;
    std::optional<std::string> email;
    std::optional<std::string> first_name;
    std::optional<std::string> last_name;
    std::optional<bool> is_admin;
    std::optional<std::vector<std::string>> admin_domains;
    std::optional<bool> notifications_disabled;
    NotifyPreferences notify;  // not a directory field: editable for every user
    std::optional<std::string> password;
};

struct UserDetail {
    User user;
    std::vector<Alias> aliases;
};

class UserAdmin {
  public:
    using Clock = std::function<std::int64_t()>;
    UserAdmin(UserRepo& users, PasswordHasher& hasher, SessionService& sessions,
              AuditTrail& audit, Clock clock = {});

    [[nodiscard]] Result<std::vector<User>> List(const UserListQuery& query);
    [[nodiscard]] Result<UserDetail> Get(std::int64_t id);
    // kInvalidArgument for a bad field, kConflict for a taken username.
    [[nodiscard]] Result<UserDetail> Add(const Actor& actor, const NewUser& user);
    // kNotFound, kInvalidArgument, kConflict (taken name, last admin, own
    // rights, a directory user's directory fields).
    [[nodiscard]] Result<UserDetail> Update(const Actor& actor, std::int64_t id,
                                            const UserChanges& changes);
    // kNotFound; kConflict for oneself or the last admin.
    [[nodiscard]] Result<void> Remove(const Actor& actor, std::int64_t id);

  private:
    Result<std::string> HashPassword(const std::string& password);

    UserRepo& users_;
    PasswordHasher& hasher_;
    SessionService& sessions_;
    AuditTrail& audit_;
    Clock clock_;
};

}  // namespace rqwatch::app
