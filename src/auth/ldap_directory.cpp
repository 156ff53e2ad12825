#include "auth/ldap_directory.hpp"

#include <spdlog/spdlog.h>
#include <strings.h>
#include <sys/time.h>

#include <utility>
#include <vector>

#include "auth/ldap_connection.hpp"
#include "auth/ldap_escape.hpp"
#include "auth/ldap_ptr.hpp"
#include "auth/ldap_user.hpp"

namespace rqwatch::auth {
namespace {

constexpr std::size_t kMaxLoginBytes = 256;

Error WrongCredentials(std::string detail) {
    return Error{ErrorCode::kUnauthenticated, "wrong username or password", std::move(detail)};
}

Error Unavailable(std::string detail) {
    return Error{ErrorCode::kUnavailable, "directory unavailable", std::move(detail)};
}

// Answers to the user's bind that mean "not with this password": wrong
// password, an entry without one, a locked account (389-DS says constraint
// violation), an entry gone since the search. Anything else (server down,
// TLS required, busy) is the directory's problem, not the user's.
bool IsRefusedCredentials(int rc) {
    return rc == LDAP_INVALID_CREDENTIALS || rc == LDAP_INAPPROPRIATE_AUTH ||
           rc == LDAP_CONSTRAINT_VIOLATION || rc == LDAP_NO_SUCH_OBJECT;
}

timeval Timeout(const LdapSettings& settings) {
    return timeval{settings.timeout_ms / 1000, (settings.timeout_ms % 1000) * 1000};
}

// The attributes of `e` with all their values.
Result<LdapEntry> ReadEntry(LDAP* ld, LDAPMessage* e) {
    LdapEntry entry;
    LdapStringPtr dn(ldap_get_dn(ld, e));
    if (!dn) return std::unexpected(Unavailable("ldap: cannot read the DN of the user's entry"));
    entry.dn = dn.get();
    BerElement* raw_ber = nullptr;
    LdapStringPtr name(ldap_first_attribute(ld, e, &raw_ber));
    const BerElementPtr ber(raw_ber);
    while (name) {
        std::vector<std::string> texts;
        const BervalArrayPtr values(ldap_get_values_len(ld, e, name.get()));
        if (values) {
            for (berval** v = values.get(); *v != nullptr; ++v) {
                texts.emplace_back((*v)->bv_val, (*v)->bv_len);
            }
        }
        entry.attributes.emplace_back(name.get(), std::move(texts));
        name.reset(ldap_next_attribute(ld, e, ber.get()));
    }
    return entry;
}

// The one entry under base_dn whose login attribute is `login`.
// kUnauthenticated for none and for several (an ambiguous login must not
// pick one of them).
Result<LdapEntry> FindUser(LDAP* ld, const LdapSettings& settings, std::string_view login) {
    std::string filter = "(" + settings.login_attribute + "=" + EscapeFilterValue(login) + ")";
    if (!settings.user_filter.empty()) filter = "(&" + filter + settings.user_filter + ")";
    std::vector<std::string> names = {settings.login_attribute, settings.mail_attribute};
    names.insert(names.end(), settings.alias_attributes.begin(), settings.alias_attributes.end());
    if (!settings.name_attribute.empty()) names.push_back(settings.name_attribute);
    std::vector<char*> attrs;
    for (auto& n : names) attrs.push_back(n.data());
    attrs.push_back(nullptr);

    timeval timeout = Timeout(settings);
    LDAPMessage* raw = nullptr;
    // Size limit 2: one entry is the answer, and a second one is all it takes
    // to know that the login is ambiguous.
    const int rc =
        ldap_search_ext_s(ld, settings.base_dn.c_str(), LDAP_SCOPE_SUBTREE, filter.c_str(),
                          attrs.data(), 0, nullptr, nullptr, &timeout, 2, &raw);
    const LdapMessagePtr result(raw);
    if (rc == LDAP_SIZELIMIT_EXCEEDED)
        return std::unexpected(WrongCredentials("ldap: several entries for the login"));
    if (rc != LDAP_SUCCESS) {
        return std::unexpected(Unavailable("ldap: user search under " + settings.base_dn +
                                           " failed: " + DescribeLdapError(ld, rc)));
    }
    const int count = ldap_count_entries(ld, result.get());
    if (count != 1) {
        return std::unexpected(WrongCredentials(
            count == 0 ? "ldap: no entry for the login" : "ldap: several entries for the login"));
    }
    auto entry = ReadEntry(ld, ldap_first_entry(ld, result.get()));
    // An empty DN would make the user's bind anonymous.
    if (entry && entry->dn.empty())
        return std::unexpected(WrongCredentials("ldap: the login's entry has an empty DN"));
    return entry;
}

// Whether the user is listed in admin_group_dn: a base-scope search of the
// group for (member_attribute=<the user's DN, or login for memberUid>). It
// runs with the rights the connection has now, i.e. the service account's.
Result<bool> InAdminGroup(LDAP* ld, const LdapSettings& settings, const std::string& user_dn,
                          const std::string& login) {
    const std::string& attr = settings.group_member_attribute;
    const bool by_login = attr.size() == 9 && strncasecmp(attr.c_str(), "memberUid", 9) == 0;
    const std::string filter =
        "(" + attr + "=" + EscapeFilterValue(by_login ? login : user_dn) + ")";
    char no_attributes[] = LDAP_NO_ATTRS;
    char* attrs[] = {no_attributes, nullptr};
    timeval timeout = Timeout(settings);
    LDAPMessage* raw = nullptr;
    const int rc = ldap_search_ext_s(ld, settings.admin_group_dn.c_str(), LDAP_SCOPE_BASE,
                                     filter.c_str(), attrs, 0, nullptr, nullptr, &timeout, 1, &raw);
    const LdapMessagePtr result(raw);
    if (rc == LDAP_NO_SUCH_OBJECT) {
        // Also what a server says when the service account may not read the
        // group. Nobody becomes admin through it; say so in the log.
        spdlog::warn("ldap: admin group {} does not exist or the service account cannot read it",
                     settings.admin_group_dn);
        return false;
    }
    if (rc != LDAP_SUCCESS) {
        return std::unexpected(Unavailable("ldap: admin group search in " +
                                           settings.admin_group_dn +
                                           " failed: " + DescribeLdapError(ld, rc)));
    }
    return ldap_count_entries(ld, result.get()) > 0;
}

}  // namespace

LdapDirectory::LdapDirectory(LdapSettings settings) : settings_(std::move(settings)) {}

Result<app::DirectoryUser> LdapDirectory::Authenticate(std::string_view login,
                                                       std::string_view password) {
    if (login.empty() || login.size() > kMaxLoginBytes)
        return std::unexpected(WrongCredentials("ldap: login empty or over 256 bytes"));
    // A simple bind with an empty password is an "unauthenticated bind"
    // (RFC 4513 5.1.2) that many servers answer with success: it must never
    // reach the server as a password check.
    if (password.empty()) return std::unexpected(WrongCredentials("ldap: empty password"));

    auto connection = OpenConnection(settings_);
    if (!connection) return std::unexpected(std::move(connection.error()));
    LDAP* ld = connection->get();
    if (!settings_.bind_dn.empty()) {
        if (const int rc = SimpleBind(ld, settings_.bind_dn, settings_.bind_password);
            rc != LDAP_SUCCESS) {
            return std::unexpected(Unavailable("ldap: service bind as " + settings_.bind_dn +
                                               " failed: " + DescribeLdapError(ld, rc)));
        }
    }
    auto entry = FindUser(ld, settings_, login);
    if (!entry) return std::unexpected(std::move(entry.error()));

    // The admin group is read before the user's bind: afterwards the
    // connection has the user's rights, which need not cover the group.
    const std::string name = DirectoryLogin(*entry, settings_, login);
    bool admin = IsListedAdmin(settings_, name);
    if (!admin && !settings_.admin_group_dn.empty()) {
        auto member = InAdminGroup(ld, settings_, entry->dn, name);
        if (!member) return std::unexpected(std::move(member.error()));
        admin = *member;
    }

    if (const int rc = SimpleBind(ld, entry->dn, password); rc != LDAP_SUCCESS) {
        const std::string why = "ldap: bind as " + entry->dn + ": " + DescribeLdapError(ld, rc);
        if (IsRefusedCredentials(rc)) return std::unexpected(WrongCredentials(why));
        return std::unexpected(Unavailable(why));
    }
    auto user = MakeDirectoryUser(*entry, settings_, login);
    if (!user) return std::unexpected(std::move(user.error()));
    user->admin = admin;
    return user;
}

}  // namespace rqwatch::auth
