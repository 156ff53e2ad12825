#pragma once
// Port: the TOTP secret of each user who enrolled one (SQL in storage/).
// The secret must be readable to check codes, so it is stored as is.

#include <cstdint>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace rqwatch::app {

struct TotpSecret {
    std::int64_t user_id = 0;
    std::string secret;  // the key (RFC 4226 K) in base32, as the user's app got it
    std::int64_t created_at = 0;
    // Unset while pending: enrolled, not yet confirmed with a code.
    std::optional<std::int64_t> confirmed_at;
    // The last time step whose code was accepted: no code is taken twice.
    std::int64_t last_step = 0;
};

class TotpRepo {
  public:
    virtual ~TotpRepo() = default;
    // kNotFound when the user has none (pending or confirmed).
    [[nodiscard]] virtual Result<TotpSecret> Find(std::int64_t user_id) = 0;
    // Replaces a pending secret; kConflict when a confirmed one exists,
    // kNotFound for an unknown user.
    [[nodiscard]] virtual Result<void> SetPending(const TotpSecret& pending) = 0;
    // Confirms the pending secret and records `step` as used; kNotFound
    // when nothing is pending.
    [[nodiscard]] virtual Result<void> Confirm(std::int64_t user_id, std::int64_t at,
                                               std::int64_t step) = 0;
    // Records `step` as used unless it is not after the last one: false when
    // another request took it (or a later one) first.
    [[nodiscard]] virtual Result<bool> UseStep(std::int64_t user_id, std::int64_t step) = 0;
    // False when there was nothing to delete.
    [[nodiscard]] virtual Result<bool> Delete(std::int64_t user_id) = 0;
};

}  // namespace rqwatch::app
