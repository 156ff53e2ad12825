#include "auth/jwt_verify.hpp"

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>

#include <array>
#include <optional>

#include "auth/base64url.hpp"

namespace rqwatch::auth {
namespace {

using nlohmann::json;

struct Alg {
    std::string_view name;
    std::string_view kty;  // the only key type it may be used with
    const EVP_MD* (*digest)();
};

constexpr std::array<Alg, 4> kAlgs = {{{"RS256", "RSA", EVP_sha256},
                                       {"RS384", "RSA", EVP_sha384},
                                       {"RS512", "RSA", EVP_sha512},
                                       {"ES256", "EC", EVP_sha256}}};

std::unexpected<Error> Invalid(std::string why) {
    return Fail(ErrorCode::kUnauthenticated, "the ID token is not valid", std::move(why));
}

struct MdCtxFree {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
struct SigFree {
    void operator()(ECDSA_SIG* s) const { ECDSA_SIG_free(s); }
};

// JWS carries an ECDSA signature as r || s (RFC 7518 §3.4); OpenSSL wants DER.
std::optional<std::string> EcdsaDer(std::string_view raw) {
    if (raw.size() != 64) return std::nullopt;
    std::unique_ptr<ECDSA_SIG, SigFree> sig(ECDSA_SIG_new());
    const auto* p = reinterpret_cast<const unsigned char*>(raw.data());
    BIGNUM* r = BN_bin2bn(p, 32, nullptr);
    BIGNUM* s = BN_bin2bn(p + 32, 32, nullptr);
    if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
        BN_free(r);
        BN_free(s);
        return std::nullopt;
    }
    unsigned char* der = nullptr;
    const int len = i2d_ECDSA_SIG(sig.get(), &der);
    if (len <= 0) return std::nullopt;
    std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
    OPENSSL_free(der);
    return out;
}

bool SignatureHolds(const Alg& alg, EVP_PKEY* key, std::string_view signed_part,
                    std::string_view signature) {
    if (!EVP_PKEY_is_a(key, std::string(alg.kty).c_str())) return false;
    std::string der;
    if (alg.kty == "EC") {
        auto converted = EcdsaDer(signature);
        if (!converted) return false;
        der = std::move(*converted);
        signature = der;
    }
    std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
    return ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, alg.digest(), nullptr, key) == 1 &&
           EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                            signature.size(),
                            reinterpret_cast<const unsigned char*>(signed_part.data()),
                            signed_part.size()) == 1;
}

std::optional<json> JsonObjectPart(std::string_view b64) {
    auto text = Base64UrlDecode(b64);
    if (!text) return std::nullopt;
    json j = json::parse(*text, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) return std::nullopt;
    return j;
}

std::optional<std::string> StringClaim(const json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

std::optional<double> TimeClaim(const json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
}

bool SameText(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

Result<void> CheckAudience(const json& claims, const std::string& client_id) {
    auto aud = claims.find("aud");
    std::size_t audiences = 0;
    bool ours = false;
    if (aud != claims.end() && aud->is_string()) {
        audiences = 1;
        ours = *aud == client_id;
    } else if (aud != claims.end() && aud->is_array()) {
        for (const json& a : *aud) {
            if (!a.is_string()) return Invalid("aud holds a non-string");
            ++audiences;
            ours = ours || a == client_id;
        }
    }
    if (!ours) return Invalid("aud does not contain our client_id");
    auto azp = StringClaim(claims, "azp");
    if (claims.contains("azp") && azp != client_id) return Invalid("azp is not our client_id");
    // Several audiences: only a token issued to us (azp) is ours to use.
    if (audiences > 1 && !azp) return Invalid("several audiences and no azp");
    return {};
}

Result<void> CheckClaims(const json& claims, const IdTokenCheck& check) {
    if (StringClaim(claims, "iss") != check.issuer) return Invalid("iss is not the issuer");
    auto sub = StringClaim(claims, "sub");
    if (!sub || sub->empty()) return Invalid("no sub");
    if (auto aud = CheckAudience(claims, check.client_id); !aud) return aud;
    const auto now = static_cast<double>(check.now_s);
    const auto skew = static_cast<double>(check.skew_s);
    auto exp = TimeClaim(claims, "exp");
    if (!exp || now >= *exp + skew) return Invalid("expired (or no exp)");
    auto iat = TimeClaim(claims, "iat");
    if (!iat || *iat > now + skew) return Invalid("issued in the future (or no iat)");
    if (auto nbf = TimeClaim(claims, "nbf");
        claims.contains("nbf") && (!nbf || *nbf > now + skew)) {
        return Invalid("not valid yet (nbf)");
    }
    auto nonce = StringClaim(claims, "nonce");
    if (check.nonce.empty() || !nonce || !SameText(*nonce, check.nonce)) {
        return Invalid("nonce does not match");
    }
    return {};
}

}  // namespace

Result<json> VerifyIdToken(std::string_view token, const std::vector<Jwk>& keys,
                           const IdTokenCheck& check) {
    if (token.size() > kMaxIdTokenBytes) return Invalid("token too large");
    const std::size_t dot1 = token.find('.');
    const std::size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos ||
        dot1 == 0 || dot2 == dot1 + 1 || dot2 + 1 == token.size()) {
        return Invalid("not a compact JWS (three non-empty parts)");
    }
    auto header = JsonObjectPart(token.substr(0, dot1));
    if (!header) return Invalid("header is not base64url JSON");
    auto signature = Base64UrlDecode(token.substr(dot2 + 1));
    if (!signature) return Invalid("signature is not base64url");

    auto alg_name = StringClaim(*header, "alg");
    const Alg* alg = nullptr;
    for (const Alg& a : kAlgs) {
        if (alg_name == a.name) alg = &a;
    }
    if (!alg) return Invalid("algorithm not accepted: " + alg_name.value_or("(none)"));
    // An extension we do not know must not be ignored (RFC 7515 §4.1.11).
    if (header->contains("crit")) return Invalid("crit header");

    auto kid = StringClaim(*header, "kid");
    const std::string_view signed_part = token.substr(0, dot2);
    bool candidate = false;
    bool verified = false;
    for (const Jwk& k : keys) {
        if ((kid && k.kid != *kid) || k.kty != alg->kty || (!k.alg.empty() && k.alg != alg->name)) {
            continue;
        }
        candidate = true;
        if (SignatureHolds(*alg, k.key.get(), signed_part, *signature)) {
            verified = true;
            break;
        }
    }
    if (!candidate) {
        return Fail(ErrorCode::kNotFound, "the ID token is not valid",
                    "no key for kid " + kid.value_or("(none)") + " and " + std::string(alg->name));
    }
    if (!verified) return Invalid("signature does not verify");

    auto claims = JsonObjectPart(token.substr(dot1 + 1, dot2 - dot1 - 1));
    if (!claims) return Invalid("payload is not base64url JSON");
    if (auto ok = CheckClaims(*claims, check); !ok) return std::unexpected(ok.error());
    return std::move(*claims);
}

}  // namespace rqwatch::auth
