#pragma once
// Accounts as the API shows them (never a password hash).

#include <nlohmann/json.hpp>

#include "core/user.hpp"

namespace rqwatch::http {

[[nodiscard]] nlohmann::json UserJson(const User& user);
[[nodiscard]] nlohmann::json AliasJson(const Alias& alias);

}  // namespace rqwatch::http
