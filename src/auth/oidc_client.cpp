#include "auth/oidc_client.hpp"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <array>
#include <chrono>

#include "auth/base64url.hpp"
#include "net/http_fetch.hpp"
#include "auth/jwt_verify.hpp"

namespace rqwatch::auth {
namespace {

using net::FetchOptions;
using net::HttpGet;
using net::HttpPostForm;
using net::PercentEncode;
using nlohmann::json;

std::int64_t NowSeconds() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::unexpected<Error> ProviderBroken(std::string detail) {
    return Fail(ErrorCode::kUnavailable, "the identity provider cannot be used", std::move(detail));
}

// A short, single-line excerpt of what the provider said (for the log).
std::string Excerpt(const std::string& body) {
    std::string out = body.substr(0, 200);
    for (char& c : out) {
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    }
    return out;
}

Result<json> GetJson(const std::string& url, const FetchOptions& options) {
    auto reply = HttpGet(url, options);
    if (!reply) return std::unexpected(reply.error());
    if (reply->status != 200) {
        return ProviderBroken("GET " + url + ": HTTP " + std::to_string(reply->status));
    }
    json doc = json::parse(reply->body, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object()) return ProviderBroken("GET " + url + ": not a JSON object");
    return doc;
}

}  // namespace

std::string PkceChallenge(std::string_view code_verifier) {
    std::array<unsigned char, 32> digest{};
    unsigned int len = 0;
    EVP_Digest(code_verifier.data(), code_verifier.size(), digest.data(), &len, EVP_sha256(),
               nullptr);
    return Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), len));
}

OidcClient::OidcClient(OidcSettings settings, Clock clock)
    : settings_(std::move(settings)), clock_(clock ? std::move(clock) : Clock(NowSeconds)) {}

Result<OidcClient::Endpoints> OidcClient::Discover() {
    {
        std::lock_guard lock(mu_);
        if (endpoints_) return *endpoints_;
    }
    const FetchOptions options{.timeout_ms = settings_.timeout_ms, .ca_file = settings_.ca_file};
    // Discovery §4: the issuer without a trailing "/", then the well-known path.
    std::string url = settings_.issuer;
    if (url.ends_with('/')) url.pop_back();
    url += "/.well-known/openid-configuration";
    auto doc = GetJson(url, options);
    if (!doc) return std::unexpected(doc.error());
    // The issuer must be the one configured, character for character
    // (OpenID Connect Discovery §4.3): otherwise tokens of another issuer
    // could be taken for this one's.
    if (doc->value("issuer", json()) != settings_.issuer) {
        return ProviderBroken(url + " names issuer " + doc->value("issuer", json()).dump() +
                              ", not " + settings_.issuer);
    }
    Endpoints e;
    for (auto [name, target] :
         {std::pair{"authorization_endpoint", &e.authorization},
          std::pair{"token_endpoint", &e.token}, std::pair{"jwks_uri", &e.jwks}}) {
        auto it = doc->find(name);
        if (it == doc->end() || !it->is_string()) return ProviderBroken(url + ": no " + name);
        *target = it->get<std::string>();
        if (auto problem = EndpointProblem(settings_, *target); !problem.empty()) {
            return ProviderBroken(url + ": " + name + " " + problem);
        }
    }
    std::lock_guard lock(mu_);
    endpoints_ = e;
    return e;
}

Result<std::vector<Jwk>> OidcClient::Keys(bool refresh) {
    {
        std::lock_guard lock(mu_);
        if (keys_ && !refresh) return *keys_;
    }
    auto endpoints = Discover();
    if (!endpoints) return std::unexpected(endpoints.error());
    const FetchOptions options{.timeout_ms = settings_.timeout_ms, .ca_file = settings_.ca_file};
    auto doc = GetJson(endpoints->jwks, options);
    if (!doc) return std::unexpected(doc.error());
    auto keys = ParseJwks(doc->dump());
    if (!keys) return ProviderBroken(endpoints->jwks + ": " + keys.error().public_msg);
    std::lock_guard lock(mu_);
    keys_ = *keys;
    return keys_.value();
}

Result<void> OidcClient::Warm() {
    auto keys = Keys(/*refresh=*/false);
    if (!keys) return std::unexpected(keys.error());
    if (keys->empty()) return ProviderBroken("the provider's key set has no usable signature key");
    return {};
}

Result<std::string> OidcClient::AuthorizationUrl(const app::OidcAuthRequest& request) {
    auto endpoints = Discover();
    if (!endpoints) return std::unexpected(endpoints.error());
    std::string scope;
    for (const auto& s : settings_.scopes) scope += (scope.empty() ? "" : " ") + s;
    std::string url = endpoints->authorization;
    url += url.find('?') == std::string::npos ? '?' : '&';
    url += "response_type=code&client_id=" + PercentEncode(settings_.client_id) +
           "&redirect_uri=" + PercentEncode(settings_.redirect_uri) +
           "&scope=" + PercentEncode(scope) + "&state=" + PercentEncode(request.state) +
           "&nonce=" + PercentEncode(request.nonce) +
           "&code_challenge=" + PkceChallenge(request.code_verifier) +
           "&code_challenge_method=S256";
    return url;
}

Result<std::string> OidcClient::FetchIdToken(const Endpoints& endpoints, std::string_view code,
                                             const app::OidcAuthRequest& request) {
    const std::string form = "grant_type=authorization_code&code=" + PercentEncode(code) +
                             "&redirect_uri=" + PercentEncode(settings_.redirect_uri) +
                             "&code_verifier=" + PercentEncode(request.code_verifier);
    // client_secret_basic: both parts form-encoded first (RFC 6749 §2.3.1).
    const std::string basic = "Basic " + Base64Encode(PercentEncode(settings_.client_id) + ":" +
                                                      PercentEncode(settings_.client_secret));
    const FetchOptions options{.timeout_ms = settings_.timeout_ms, .ca_file = settings_.ca_file};
    auto reply = HttpPostForm(endpoints.token, form, basic, options);
    if (!reply) return std::unexpected(reply.error());
    if (reply->status >= 500) {
        return ProviderBroken("token endpoint: HTTP " + std::to_string(reply->status));
    }
    // Anything but 200 is a refusal (glewlwyd answers 403 where RFC 6749
    // says 400 or 401): a bad or replayed code, or a wrong client secret.
    if (reply->status != 200) {
        return Fail(
            ErrorCode::kUnauthenticated, "the identity provider refused the login",
            "token endpoint: HTTP " + std::to_string(reply->status) + " " + Excerpt(reply->body));
    }
    const json doc = json::parse(reply->body, nullptr, /*allow_exceptions=*/false);
    if (!doc.is_object() || !doc.contains("id_token") || !doc["id_token"].is_string()) {
        return ProviderBroken("token endpoint: no id_token in the answer");
    }
    return doc["id_token"].get<std::string>();
}

Result<json> OidcClient::Redeem(std::string_view code, const app::OidcAuthRequest& request) {
    auto endpoints = Discover();
    if (!endpoints) return std::unexpected(endpoints.error());
    auto id_token = FetchIdToken(*endpoints, code, request);
    if (!id_token) return std::unexpected(id_token.error());
    const IdTokenCheck check{.issuer = settings_.issuer,
                             .client_id = settings_.client_id,
                             .nonce = request.nonce,
                             .now_s = clock_(),
                             .skew_s = settings_.clock_skew_seconds};
    auto keys = Keys(/*refresh=*/false);
    if (!keys) return std::unexpected(keys.error());
    auto claims = VerifyIdToken(*id_token, *keys, check);
    if (!claims && claims.error().code == ErrorCode::kNotFound) {
        spdlog::info("oidc: {}; fetching the provider's keys again", claims.error().detail);
        keys = Keys(/*refresh=*/true);
        if (!keys) return std::unexpected(keys.error());
        claims = VerifyIdToken(*id_token, *keys, check);
    }
    if (!claims) {
        Error e = claims.error();
        e.code = ErrorCode::kUnauthenticated;  // a still unknown key is no better
        return std::unexpected(std::move(e));
    }
    return claims;
}

}  // namespace rqwatch::auth
