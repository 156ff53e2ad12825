#include "auth/sodium_action_signer.hpp"

#include <fmt/format.h>
#include <sodium.h>

#include <array>
#include <charconv>
#include <vector>

#include "auth/base64url.hpp"

namespace rqwatch::auth {
namespace {

constexpr std::size_t kMaxTokenBytes = 2048;

Error Invalid() {
    return Error{.code = ErrorCode::kInvalidArgument,
                 .public_msg = "This link is not valid (it may have been cut or changed).",
                 .reason = "token_invalid"};
}

std::optional<std::int64_t> Number(std::string_view s) {
    std::int64_t v = 0;
    if (s.empty() || s.size() > 19) return std::nullopt;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v < 0) return std::nullopt;
    return v;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    for (;;) {
        const auto at = s.find(sep, start);
        out.push_back(s.substr(start, at == std::string_view::npos ? at : at - start));
        if (at == std::string_view::npos) return out;
        start = at + 1;
    }
}

}  // namespace

SodiumActionSigner::SodiumActionSigner(std::string secret) : secret_(std::move(secret)) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium cannot be initialised");
}

std::string SodiumActionSigner::Mac(std::string_view text) const {
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret_.data()),
                                secret_.size());
    crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(text.data()),
                                  text.size());
    std::array<unsigned char, crypto_auth_hmacsha256_BYTES> mac{};
    crypto_auth_hmacsha256_final(&st, mac.data());
    return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

std::string SodiumActionSigner::Sign(const app::ActionClaim& c) const {
    const std::string text =
        fmt::format("v1.{}.{}.{}.{}", c.mail_id, app::DigestActionName(c.action), c.expires_s,
                    Base64UrlEncode(c.recipient));
    return text + "." + Mac(text);
}

Result<app::ActionClaim> SodiumActionSigner::Verify(std::string_view token) const {
    if (secret_.empty() || token.size() > kMaxTokenBytes) return std::unexpected(Invalid());
    const auto parts = Split(token, '.');
    if (parts.size() != 6 || parts[0] != "v1") return std::unexpected(Invalid());
    const std::string_view text = token.substr(0, token.rfind('.'));
    const std::string expected = Mac(text);
    if (parts[5].size() != expected.size() ||
        sodium_memcmp(parts[5].data(), expected.data(), expected.size()) != 0) {
        return std::unexpected(Invalid());
    }
    app::ActionClaim c;
    auto id = Number(parts[1]);
    auto expires = Number(parts[3]);
    auto recipient = Base64UrlDecode(parts[4]);
    if (!id || !expires || !recipient || recipient->empty()) return std::unexpected(Invalid());
    if (parts[2] == "release") {
        c.action = app::DigestAction::kRelease;
    } else if (parts[2] == "delete") {
        c.action = app::DigestAction::kDelete;
    } else {
        return std::unexpected(Invalid());
    }
    c.mail_id = *id;
    c.expires_s = *expires;
    c.recipient = std::move(*recipient);
    return c;
}

std::string SodiumActionSigner::Digest(std::string_view token) const {
    std::array<unsigned char, crypto_generichash_BYTES> h{};
    crypto_generichash(h.data(), h.size(), reinterpret_cast<const unsigned char*>(token.data()),
                       token.size(), nullptr, 0);
    std::array<char, crypto_generichash_BYTES * 2 + 1> hex{};
    sodium_bin2hex(hex.data(), hex.size(), h.data(), h.size());
    return std::string(hex.data(), crypto_generichash_BYTES * 2);
}

}  // namespace rqwatch::auth
