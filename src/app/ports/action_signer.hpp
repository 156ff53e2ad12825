#pragma once
// Port: the signed one-click action links of the digests (libsodium HMAC in
// auth/sodium_action_signer). A token binds one mail, one action and one
// recipient address until an expiry; whoever holds it may do that action
// once (DigestActions), without logging in.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace rqwatch::app {

enum class DigestAction { kRelease, kDelete };

[[nodiscard]] inline constexpr std::string_view DigestActionName(DigestAction action) {
    return action == DigestAction::kDelete ? "delete" : "release";
}

struct ActionClaim {
    std::int64_t mail_id = 0;
    DigestAction action = DigestAction::kRelease;
    std::string recipient;     // normalised address the digest went to
    std::int64_t expires_s = 0;  // unix seconds
};

class ActionSigner {
  public:
    virtual ~ActionSigner() = default;
    // URL-safe text ([A-Za-z0-9._-]).
    [[nodiscard]] virtual std::string Sign(const ActionClaim& claim) const = 0;
    // The claim when `token` is well formed and its signature holds (it may
    // still be expired); kInvalidArgument otherwise (tampered, cut, made up).
    [[nodiscard]] virtual Result<ActionClaim> Verify(std::string_view token) const = 0;
    // What is stored of a used token: a digest, never the token (hex).
    [[nodiscard]] virtual std::string Digest(std::string_view token) const = 0;
};

}  // namespace rqwatch::app
