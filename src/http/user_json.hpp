#pragma once
// Accounts as the API shows them (never a password hash).

#include <nlohmann/json.hpp>

#include "app/account_rules.hpp"
#include "core/error.hpp"
#include "core/user.hpp"

namespace rqwatch::http {

[[nodiscard]] nlohmann::json UserJson(const User& user);
[[nodiscard]] nlohmann::json AliasJson(const Alias& alias);
// The schedule keys of a profile or user body (notify_frequency: a string,
// notify_hour: 0-23 or null, time_zone: a string); their values are checked
// by app::ApplyNotifyPreferences.
[[nodiscard]] Result<app::NotifyPreferences> ParseNotifyPreferences(const nlohmann::json& body);

}  // namespace rqwatch::http
