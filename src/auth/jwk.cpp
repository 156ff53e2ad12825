#include "auth/jwk.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "auth/base64url.hpp"

namespace rqwatch::auth {
namespace {

using nlohmann::json;

struct BnFree {
    void operator()(BIGNUM* b) const { BN_free(b); }
};
struct BldFree {
    void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamFree {
    void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct CtxFree {
    void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};

std::optional<std::string> Member(const json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

std::optional<std::string> Bytes(const json& j, const char* name) {
    auto text = Member(j, name);
    if (!text || text->empty()) return std::nullopt;
    return Base64UrlDecode(*text);
}

// The public key described by `params`, of OpenSSL type `type` ("RSA", "EC").
std::shared_ptr<EVP_PKEY> FromParams(const char* type, OSSL_PARAM_BLD* bld) {
    std::unique_ptr<OSSL_PARAM, ParamFree> params(OSSL_PARAM_BLD_to_param(bld));
    std::unique_ptr<EVP_PKEY_CTX, CtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
    EVP_PKEY* key = nullptr;
    if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
        return nullptr;
    }
    return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

std::shared_ptr<EVP_PKEY> RsaKey(const json& j) {
    auto n = Bytes(j, "n");
    auto e = Bytes(j, "e");
    if (!n || !e) return nullptr;
    std::unique_ptr<BIGNUM, BnFree> bn_n(BN_bin2bn(
        reinterpret_cast<const unsigned char*>(n->data()), static_cast<int>(n->size()), nullptr));
    std::unique_ptr<BIGNUM, BnFree> bn_e(BN_bin2bn(
        reinterpret_cast<const unsigned char*>(e->data()), static_cast<int>(e->size()), nullptr));
    std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
    if (!bn_n || !bn_e || !bld ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
        return nullptr;
    }
    auto key = FromParams("RSA", bld.get());
    // Shorter RSA keys can be factored; a provider should not offer them.
    if (key && EVP_PKEY_get_bits(key.get()) < 2048) return nullptr;
    return key;
}

std::shared_ptr<EVP_PKEY> EcKey(const json& j) {
    if (Member(j, "crv") != "P-256") return nullptr;
    auto x = Bytes(j, "x");
    auto y = Bytes(j, "y");
    if (!x || !y || x->size() != 32 || y->size() != 32) return nullptr;
    const std::string point = std::string(1, '\x04') + *x + *y;  // uncompressed
    std::unique_ptr<OSSL_PARAM_BLD, BldFree> bld(OSSL_PARAM_BLD_new());
    char group[] = "prime256v1";
    if (!bld ||
        OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                         point.size()) != 1) {
        return nullptr;
    }
    return FromParams("EC", bld.get());  // refuses a point off the curve
}

}  // namespace

Result<std::vector<Jwk>> ParseJwks(std::string_view json_text) {
    const json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object() || !doc.contains("keys") || !doc["keys"].is_array()) {
        return Fail(ErrorCode::kInvalidArgument, "the provider's key set is not a JWKS document");
    }
    std::vector<Jwk> out;
    for (const json& k : doc["keys"]) {
        if (!k.is_object()) continue;
        if (auto use = Member(k, "use"); use && *use != "sig") continue;
        Jwk jwk;
        jwk.kid = Member(k, "kid").value_or("");
        jwk.kty = Member(k, "kty").value_or("");
        jwk.alg = Member(k, "alg").value_or("");
        if (jwk.kty == "RSA") {
            jwk.key = RsaKey(k);
        } else if (jwk.kty == "EC") {
            jwk.key = EcKey(k);
        }
        if (jwk.key) out.push_back(std::move(jwk));
    }
    return out;
}

}  // namespace rqwatch::auth
