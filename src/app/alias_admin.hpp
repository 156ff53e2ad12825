#pragma once
// Use case: administrators manage users' aliases (further addresses whose
// mail the user sees), each change audited. A directory user's aliases are
// replaced from the directory at every login (Login), so they are not
// edited here: the edit would vanish at the next login.

#include <cstdint>
#include <string>
#include <vector>

#include "app/actor.hpp"
#include "app/audit_trail.hpp"
#include "app/ports/user_repo.hpp"

namespace rqwatch::app {

class AliasAdmin {
  public:
    AliasAdmin(UserRepo& users, AuditTrail& audit);

    [[nodiscard]] Result<std::vector<Alias>> List(const UserListQuery& query);
    // kNotFound (user), kInvalidArgument, kConflict (the user has it, or
    // is a directory user).
    [[nodiscard]] Result<Alias> Add(const Actor& actor, std::int64_t user_id,
                                    const std::string& alias);
    [[nodiscard]] Result<Alias> Update(const Actor& actor, std::int64_t alias_id,
                                       const std::string& alias);
    [[nodiscard]] Result<void> Remove(const Actor& actor, std::int64_t alias_id);

  private:
    // The alias and a check that its owner's aliases are ours to edit.
    Result<Alias> Editable(std::int64_t alias_id);
    Result<void> CheckLocalOwner(std::int64_t user_id);

    UserRepo& users_;
    AuditTrail& audit_;
};

}  // namespace rqwatch::app
