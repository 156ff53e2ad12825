#include "http/user_json.hpp"

#include "http/json_body.hpp"

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
            // "" / null: the config's notify.default_*.
            {"notify_frequency",
             u.notify_frequency ? std::string(NotifyFrequencyName(*u.notify_frequency)) : ""},
            {"notify_hour", u.notify_hour ? json(*u.notify_hour) : json(nullptr)},
            {"time_zone", u.time_zone},
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

Result<app::NotifyPreferences> ParseNotifyPreferences(const nlohmann::json& body) {
    app::NotifyPreferences p;
    auto frequency = OptionalString(body, "notify_frequency", 16);
    if (!frequency) return std::unexpected(frequency.error());
    p.frequency = std::move(*frequency);
    auto zone = OptionalString(body, "time_zone", 64);
    if (!zone) return std::unexpected(zone.error());
    p.time_zone = std::move(*zone);
    if (auto it = body.find("notify_hour"); it != body.end() && it->is_null()) {
        p.hour = -1;
    } else {
        auto hour = OptionalInteger(body, "notify_hour", 0, 23);
        if (!hour) return std::unexpected(hour.error());
        if (*hour) p.hour = static_cast<int>(**hour);
    }
    return p;
}

}  // namespace rqwatch::http
