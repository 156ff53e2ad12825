#include "http/user_json.hpp"

namespace rqwatch::http {
namespace {

std::string_view ProviderName(AuthProvider p) {
    switch (p) {
        case AuthProvider::kLdap:
            return "ldap";
        case AuthProvider::kOidc:
            return "oidc";
        case AuthProvider::kLocal:
            break;
    }
    return "local";
}

}  // namespace

nlohmann::json UserJson(const User& u) {
    using nlohmann::json;
    return {{"id", u.id},
            {"username", u.username},
            {"email", u.email},
            {"first_name", u.first_name},
            {"last_name", u.last_name},
            {"is_admin", u.is_admin},
            {"admin_domains", u.admin_domains},
            {"provider", ProviderName(u.provider)},
            {"notifications_disabled", u.notifications_disabled},
            {"totp_enabled", u.totp_enabled},
            {"created_at", u.created_at},
            {"last_login", u.last_login ? json(*u.last_login) : json(nullptr)}};
}

nlohmann::json AliasJson(const Alias& a) {
    return {{"id", a.id},
            {"user_id", a.user_id},
            {"alias", a.alias},
            {"created_at", a.created_at},
            {"updated_at", a.updated_at}};
}

}  // namespace rqwatch::http
