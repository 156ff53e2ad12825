#pragma once
// Port: user accounts and their aliases. Implemented in storage/.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/user.hpp"

namespace rqwatch::app {

struct UserListQuery {
    std::string contains;                   // substring of username, email or names; empty = all
    int limit = 50;                         // 1..1000
    std::optional<std::int64_t> before_id;  // keyset: users with a smaller id
};

class UserRepo {
  public:
    virtual ~UserRepo() = default;
    // kConflict when the username is taken. Returns the new id.
    [[nodiscard]] virtual Result<std::int64_t> Add(const User& user) = 0;
    // kNotFound when absent. Username lookup is exact (usernames are stored as given).
    [[nodiscard]] virtual Result<User> FindByUsername(const std::string& username) = 0;
    [[nodiscard]] virtual Result<User> FindById(std::int64_t id) = 0;
    // Newest id first.
    [[nodiscard]] virtual Result<std::vector<User>> List(const UserListQuery& query) = 0;
    // Every column but id, created_at and last_login; kNotFound; kConflict
    // when the username is taken or when it would take admin rights from the
    // last admin (checked in the same transaction).
    [[nodiscard]] virtual Result<void> Update(const User& user) = 0;
    // Deletes the user, their aliases and sessions. kNotFound; kConflict when
    // it is the last admin (checked in the same transaction).
    [[nodiscard]] virtual Result<void> Delete(std::int64_t id) = 0;
    // Sets last_login.
    [[nodiscard]] virtual Result<void> RecordLogin(std::int64_t id, std::int64_t at) = 0;

    [[nodiscard]] virtual Result<std::vector<Alias>> AliasesOf(std::int64_t user_id) = 0;
    // kNotFound when absent.
    [[nodiscard]] virtual Result<Alias> FindAlias(std::int64_t alias_id) = 0;
    // Substring search over alias and owner's username; newest first.
    [[nodiscard]] virtual Result<std::vector<Alias>> ListAliases(const UserListQuery& query) = 0;
    // kConflict when the user has it already; kNotFound for an unknown user.
    [[nodiscard]] virtual Result<std::int64_t> AddAlias(std::int64_t user_id,
                                                        const std::string& alias) = 0;
    [[nodiscard]] virtual Result<void> UpdateAlias(std::int64_t alias_id,
                                                   const std::string& alias) = 0;
    [[nodiscard]] virtual Result<void> DeleteAlias(std::int64_t alias_id) = 0;
    // Replaces the aliases that came from a directory at login (LDAP): the
    // set is exactly `aliases` afterwards, keeping ids of those that stay.
    [[nodiscard]] virtual Result<void> SetAliases(std::int64_t user_id,
                                                  const std::vector<std::string>& aliases) = 0;
};

}  // namespace rqwatch::app
