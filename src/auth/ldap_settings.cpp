#include "auth/ldap_settings.hpp"

#include <ldap.h>
#include <unistd.h>

#include <sstream>

namespace rqwatch::auth {
namespace {

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// An attribute type as RFC 4512 spells it: a name (letter, then letters,
// digits, hyphens) or a numeric OID. Options (";lang-en") are not accepted:
// these names end up in filters, so anything else is refused.
bool IsAttributeName(const std::string& name) {
    if (name.empty()) return false;
    if (IsAsciiAlpha(name[0])) {
        for (const char c : name) {
            if (!IsAsciiAlpha(c) && !IsAsciiDigit(c) && c != '-') return false;
        }
        return true;
    }
    bool digit_before = false;
    for (const char c : name) {
        if (IsAsciiDigit(c)) {
            digit_before = true;
        } else if (c == '.' && digit_before) {
            digit_before = false;
        } else {
            return false;
        }
    }
    return digit_before;
}

bool IsDn(const std::string& dn) {
    LDAPDN parsed = nullptr;
    const int rc = ldap_str2dn(dn.c_str(), &parsed, LDAP_DN_FORMAT_LDAPV3);
    ldap_dnfree(parsed);
    return rc == LDAP_SUCCESS && dn.find('\0') == std::string::npos;
}

// "(...)" with balanced parentheses that close only at the very end, so
// that it AND-s as one filter term.
bool IsOneFilterTerm(const std::string& filter) {
    if (filter.size() < 3 || filter.front() != '(' || filter.back() != ')') return false;
    int depth = 0;
    for (std::size_t i = 0; i < filter.size(); ++i) {
        if (filter[i] == '(') ++depth;
        if (filter[i] == ')' && --depth == 0 && i + 1 != filter.size()) return false;
        if (depth < 0) return false;
    }
    return depth == 0;
}

void CheckUrls(const LdapSettings& s, std::vector<std::string>& problems) {
    std::istringstream in(s.url);
    std::string uri;
    int count = 0;
    while (in >> uri) {
        ++count;
        LDAPURLDesc* desc = nullptr;
        if (ldap_url_parse(uri.c_str(), &desc) != LDAP_URL_SUCCESS) {
            problems.push_back("url: '" + uri + "' is not an LDAP URI");
            continue;
        }
        const std::string scheme = desc->lud_scheme != nullptr ? desc->lud_scheme : "";
        ldap_free_urldesc(desc);
        if (scheme != "ldap" && scheme != "ldaps") {
            problems.push_back("url: '" + uri + "': only ldap:// and ldaps:// are supported");
        } else if (scheme == "ldaps" && s.start_tls) {
            problems.push_back("start_tls: '" + uri +
                               "' is TLS already; StartTLS is only for ldap://");
        }
    }
    if (count == 0) problems.push_back("url: missing (ldap://host or ldaps://host)");
}

}  // namespace

std::vector<std::string> CheckLdapSettings(const LdapSettings& s) {
    std::vector<std::string> problems;
    CheckUrls(s, problems);
    if (!s.ca_file.empty() && ::access(s.ca_file.c_str(), R_OK) != 0)
        problems.push_back("ca_file: cannot read " + s.ca_file);
    if (!s.bind_dn.empty() && !IsDn(s.bind_dn)) problems.push_back("bind_dn: not a DN");
    // A simple bind with a DN and no password is an "unauthenticated bind"
    // that servers may answer with success while granting nothing.
    if (!s.bind_dn.empty() && s.bind_password.empty())
        problems.push_back("bind_password: missing for bind_dn");
    if (s.bind_dn.empty() && !s.bind_password.empty())
        problems.push_back("bind_password: set without bind_dn");
    if (s.base_dn.empty() || !IsDn(s.base_dn)) problems.push_back("base_dn: missing or not a DN");
    if (!IsAttributeName(s.login_attribute))
        problems.push_back("login_attribute: not an attribute name");
    if (!s.user_filter.empty() && !IsOneFilterTerm(s.user_filter))
        problems.push_back(
            "user_filter: must be one parenthesised filter, e.g. (objectClass=person)");
    if (!IsAttributeName(s.mail_attribute))
        problems.push_back("mail_attribute: not an attribute name");
    for (const auto& a : s.alias_attributes) {
        if (!IsAttributeName(a))
            problems.push_back("alias_attributes: '" + a + "' is not an attribute name");
    }
    if (!s.name_attribute.empty() && !IsAttributeName(s.name_attribute))
        problems.push_back("name_attribute: not an attribute name");
    if (!s.admin_group_dn.empty() && !IsDn(s.admin_group_dn))
        problems.push_back("admin_group_dn: not a DN");
    if (!IsAttributeName(s.group_member_attribute))
        problems.push_back("group_member_attribute: not an attribute name");
    if (s.timeout_ms < 1 || s.timeout_ms > 600000)
        problems.push_back("timeout_ms: must be between 1 and 600000");
    return problems;
}

}  // namespace rqwatch::auth
