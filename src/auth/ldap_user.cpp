#include "auth/ldap_user.hpp"

#include <algorithm>

#include "core/utf8.hpp"
#include "util/ascii.hpp"

namespace rqwatch::auth {
namespace {

// Display text from the directory: UTF-8 (a broken value is read as
// Windows-1252), control characters replaced by spaces so that a name cannot
// break a log line or a header.
std::string CleanText(std::string_view value) {
    std::string out = Utf8OrCp1252(value);
    for (char& c : out) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f) c = ' ';
    }
    return out;
}

constexpr std::size_t kMaxAddressBytes = 254;  // RFC 5321's limit for a path, minus <>

}  // namespace

std::vector<std::string> ValuesOf(const LdapEntry& entry, std::string_view attribute) {
    std::vector<std::string> plain;
    std::vector<std::string> with_options;
    for (const auto& [name, values] : entry.attributes) {
        const std::string_view n(name);
        const std::size_t semicolon = n.find(';');
        if (!util::AsciiIEquals(n.substr(0, semicolon), attribute)) continue;
        auto& into = semicolon == std::string_view::npos ? plain : with_options;
        into.insert(into.end(), values.begin(), values.end());
    }
    plain.insert(plain.end(), with_options.begin(), with_options.end());
    return plain;
}

std::string DirectoryLogin(const LdapEntry& entry, const LdapSettings& settings,
                           std::string_view typed) {
    const auto values = ValuesOf(entry, settings.login_attribute);
    for (const auto& v : values) {
        if (util::AsciiIEquals(v, typed)) return v;
    }
    if (values.size() == 1 && !values[0].empty() && IsValidUtf8(values[0])) return values[0];
    return std::string(typed);
}

bool IsListedAdmin(const LdapSettings& settings, std::string_view login) {
    return std::any_of(
        settings.admin_users.begin(), settings.admin_users.end(),
        [&](const std::string& admin) { return util::AsciiIEquals(admin, login); });
}

std::string NormalizeAddress(std::string_view value) {
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    const std::size_t at = value.rfind('@');
    if (value.size() > kMaxAddressBytes || at == std::string_view::npos || at == 0 ||
        at + 1 == value.size() || !IsValidUtf8(value)) {
        return {};
    }
    for (const char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f) return {};
    }
    return util::AsciiLower(value);
}

Result<app::DirectoryUser> MakeDirectoryUser(const LdapEntry& entry, const LdapSettings& settings,
                                             std::string_view login) {
    std::vector<std::string> mails;
    for (const auto& v : ValuesOf(entry, settings.mail_attribute)) {
        if (auto a = NormalizeAddress(v); !a.empty()) mails.push_back(std::move(a));
    }
    if (mails.empty()) {
        return Fail(ErrorCode::kPermissionDenied, "no mail address in the directory",
                    "ldap: entry " + entry.dn + " has no usable " + settings.mail_attribute);
    }
    // Directories keep no order among values; sorting makes the choice of
    // the primary address the same at every login.
    std::sort(mails.begin(), mails.end());

    app::DirectoryUser user;
    user.login = DirectoryLogin(entry, settings, login);
    user.email = mails.front();
    std::vector<std::string> aliases(mails.begin() + 1, mails.end());
    for (const auto& attribute : settings.alias_attributes) {
        for (const auto& v : ValuesOf(entry, attribute)) {
            if (auto a = NormalizeAddress(v); !a.empty()) aliases.push_back(std::move(a));
        }
    }
    std::sort(aliases.begin(), aliases.end());
    aliases.erase(std::unique(aliases.begin(), aliases.end()), aliases.end());
    std::erase(aliases, user.email);
    user.aliases = std::move(aliases);
    if (!settings.name_attribute.empty()) {
        const auto names = ValuesOf(entry, settings.name_attribute);
        if (!names.empty()) user.display_name = CleanText(names.front());
    }
    return user;
}

}  // namespace rqwatch::auth
