#pragma once
// RFC 6238 time-based one-time passwords (HMAC-SHA1, what authenticator
// apps implement), RFC 4226 HOTP beneath, and the RFC 4648 base32 the apps
// read secrets in. Pure functions: the caller brings the time.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rqwatch::totp {

inline constexpr std::int64_t kStepSeconds = 30;
inline constexpr int kDigits = 6;

// RFC 4648 base32, upper case, without padding (as otpauth:// URIs carry it).
[[nodiscard]] std::string Base32Encode(std::string_view bytes);
// Upper or lower case, optional '=' padding; nullopt for anything else.
[[nodiscard]] std::optional<std::string> Base32Decode(std::string_view text);

// RFC 4226: the `digits`-digit code (zero-padded) of `key` and `counter`.
[[nodiscard]] std::string Hotp(std::string_view key, std::uint64_t counter, int digits = kDigits);
// The time step of `unix_s` (floor(unix_s / 30)).
[[nodiscard]] std::int64_t StepOf(std::int64_t unix_s);

// Exactly kDigits ASCII digits.
[[nodiscard]] bool WellFormedCode(std::string_view code);

// The step, among the one of `unix_s` and its neighbours (±`window` steps,
// for clocks a little off), whose code `code` is, provided it comes after
// `last_used_step` (a code is accepted once); nullopt otherwise. Codes are
// compared in constant time.
[[nodiscard]] std::optional<std::int64_t> MatchStep(std::string_view key, std::string_view code,
                                                    std::int64_t unix_s,
                                                    std::int64_t last_used_step, int window = 1);

// otpauth://totp/ISSUER:ACCOUNT?secret=…&issuer=…&algorithm=SHA1&digits=6&period=30
// (Google Authenticator's Key Uri Format), percent-encoding issuer and account.
[[nodiscard]] std::string OtpauthUri(std::string_view issuer, std::string_view account,
                                     std::string_view base32_secret);

}  // namespace rqwatch::totp
