#pragma once
// app::ActionSigner with libsodium: HMAC-SHA256 (keyed with notify.token_secret)
// over "v1.MAIL_ID.ACTION.EXPIRES.RECIPIENT" (the recipient base64url), the
// token being that text and the MAC in base64url, joined with '.'.

#include <string>

#include "app/ports/action_signer.hpp"

namespace rqwatch::auth {

class SodiumActionSigner final : public app::ActionSigner {
  public:
    explicit SodiumActionSigner(std::string secret);
    [[nodiscard]] std::string Sign(const app::ActionClaim& claim) const override;
    [[nodiscard]] Result<app::ActionClaim> Verify(std::string_view token) const override;
    [[nodiscard]] std::string Digest(std::string_view token) const override;

  private:
    std::string Mac(std::string_view text) const;
    std::string secret_;
};

}  // namespace rqwatch::auth
