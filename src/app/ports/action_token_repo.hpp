#pragma once
// Port: the used one-click action tokens (migration 0018,
// action_tokens_used; SQL in storage/sql_action_token_repo).

#include <cstdint>
#include <string>

#include "core/error.hpp"

namespace rqwatch::app {

class ActionTokenRepo {
  public:
    virtual ~ActionTokenRepo() = default;
    // True when this call recorded the token as used; false when it had
    // been used before (two clicks at once: exactly one gets true).
    [[nodiscard]] virtual Result<bool> MarkUsed(const std::string& digest, std::int64_t mail_id,
                                                std::int64_t at) = 0;
    [[nodiscard]] virtual Result<bool> IsUsed(const std::string& digest) = 0;
    // Takes a use back (the action failed for a passing reason: try again).
    [[nodiscard]] virtual Result<void> Unmark(const std::string& digest) = 0;
};

}  // namespace rqwatch::app
