#pragma once
// Key pairs made in the test (OpenSSL 3) and a signer of compact JWS
// tokens, for the ID token tests: nothing checked in, nothing fetched.

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rsa.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "auth/base64url.hpp"

namespace rqwatch::auth::testing {

using KeyPtr = std::shared_ptr<EVP_PKEY>;

inline KeyPtr NewRsaKey(unsigned bits = 2048) { return KeyPtr(EVP_RSA_gen(bits), EVP_PKEY_free); }

inline KeyPtr NewEcKey() { return KeyPtr(EVP_EC_gen("P-256"), EVP_PKEY_free); }

inline std::string BnParam(EVP_PKEY* key, const char* name) {
    BIGNUM* bn = nullptr;
    if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) throw std::runtime_error("no bn param");
    std::string out(static_cast<std::size_t>(BN_num_bytes(bn)), '\0');
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    BN_free(bn);
    return out;
}

// The public half as a JWK.
inline nlohmann::json PublicJwk(EVP_PKEY* key, const std::string& kid) {
    if (EVP_PKEY_is_a(key, "RSA")) {
        return {{"kty", "RSA"},
                {"kid", kid},
                {"use", "sig"},
                {"n", Base64UrlEncode(BnParam(key, OSSL_PKEY_PARAM_RSA_N))},
                {"e", Base64UrlEncode(BnParam(key, OSSL_PKEY_PARAM_RSA_E))}};
    }
    unsigned char point[65];
    std::size_t len = 0;
    EVP_PKEY_set_utf8_string_param(key, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "uncompressed");
    if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len) !=
            1 ||
        len != 65) {
        throw std::runtime_error("no EC point");
    }
    const std::string p(reinterpret_cast<char*>(point), len);
    return {{"kty", "EC"},
            {"kid", kid},
            {"crv", "P-256"},
            {"x", Base64UrlEncode(p.substr(1, 32))},
            {"y", Base64UrlEncode(p.substr(33, 32))}};
}

inline std::string SignPart(EVP_PKEY* key, const EVP_MD* md, const std::string& data) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    std::size_t len = 0;
    const auto* in = reinterpret_cast<const unsigned char*>(data.data());
    if (EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key) != 1 ||
        EVP_DigestSign(ctx.get(), nullptr, &len, in, data.size()) != 1) {
        throw std::runtime_error("sign");
    }
    std::string sig(len, '\0');
    EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, in, data.size());
    sig.resize(len);
    if (!EVP_PKEY_is_a(key, "EC")) return sig;
    // DER -> r || s (JWS)
    const auto* p = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* es = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(es), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(es), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(es);
    return raw;
}

inline const EVP_MD* DigestOf(const std::string& alg) {
    if (alg.ends_with("384")) return EVP_sha384();
    if (alg.ends_with("512")) return EVP_sha512();
    return EVP_sha256();
}

// header.payload.signature; `header` gets the alg and kid given.
inline std::string SignJwt(EVP_PKEY* key, const nlohmann::json& header,
                           const std::string& payload_text) {
    const std::string signed_part =
        Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(payload_text);
    return signed_part + "." +
           Base64UrlEncode(SignPart(key, DigestOf(header.value("alg", "RS256")), signed_part));
}

// HMAC-SHA256 with `secret`: the key confusion attack's token.
inline std::string HmacJwt(const std::string& secret, const nlohmann::json& header,
                           const std::string& payload_text) {
    const std::string signed_part =
        Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(payload_text);
    unsigned char mac[32];
    unsigned int len = 0;
    HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
         reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size(), mac, &len);
    return signed_part + "." + Base64UrlEncode(std::string(reinterpret_cast<char*>(mac), len));
}

}  // namespace rqwatch::auth::testing
