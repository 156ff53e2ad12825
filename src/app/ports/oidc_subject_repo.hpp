#pragma once
// Port: the OpenID provider's subject (`sub`) each single-sign-on user is
// bound to (SQL in storage/).

#include <cstdint>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace rqwatch::app {

class OidcSubjectRepo {
  public:
    // Longest subject kept (OpenID Connect Core: at most 255 ASCII characters).
    static constexpr std::size_t kMaxSubject = 255;

    virtual ~OidcSubjectRepo() = default;
    // The subject bound to the user; nullopt when none is yet.
    [[nodiscard]] virtual Result<std::optional<std::string>> SubjectOf(std::int64_t user_id) = 0;
    // The user a subject is bound to; nullopt when none.
    [[nodiscard]] virtual Result<std::optional<std::int64_t>> UserOf(
        const std::string& subject) = 0;
    // Binds a user without a subject to `subject`; kConflict when the user
    // or the subject is bound already, kNotFound for an unknown user.
    [[nodiscard]] virtual Result<void> Bind(std::int64_t user_id, const std::string& subject,
                                            std::int64_t at) = 0;
};

}  // namespace rqwatch::app
