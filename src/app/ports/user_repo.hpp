#pragma once
// Port: local user accounts. Implemented in storage/.

#include <string>

#include "core/error.hpp"
#include "core/user.hpp"

namespace rqwatch::app {

class UserRepo {
  public:
    virtual ~UserRepo() = default;
    // kConflict when the username is taken. Returns the new id.
    [[nodiscard]] virtual Result<std::int64_t> Add(const User& user) = 0;
    // kNotFound when absent. Username lookup is exact (usernames are stored as given).
    [[nodiscard]] virtual Result<User> FindByUsername(const std::string& username) = 0;
};

}  // namespace rqwatch::app
