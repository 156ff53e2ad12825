#pragma once
// What LdapDirectory needs to know about the directory. A plain struct
// (header only, so that config/ can hold it: it fills it from the [ldap] keys); CheckLdapSettings
// says what is wrong with it (all problems at once, for the start-up check).

#include <cstdint>
#include <string>
#include <vector>

namespace rqwatch::auth {

struct LdapSettings {
    // One or more space-separated URIs, tried in order: ldap://host[:port]
    // or ldaps://host[:port] (e.g. "ldaps://ldap1.example.org ldaps://ldap2.example.org").
    std::string url;
    // Upgrade ldap:// connections with StartTLS before anything is sent;
    // a failed upgrade fails the login (never falls back to plain text).
    // Meaningless with ldaps:// (refused by CheckLdapSettings).
    bool start_tls = false;
    // PEM file of the CA(s) that sign the server certificate. Empty = the
    // system CAs (TLS_CACERT of /etc/ldap/ldap.conf, else Debian's
    // /etc/ssl/certs/ca-certificates.crt). Certificates and host names are
    // always checked; there is no switch to turn that off.
    std::string ca_file;
    // Service account that searches for users and reads the admin group.
    // Empty bind_dn = search anonymously (bind_password must be empty too).
    std::string bind_dn;
    std::string bind_password;  // secret
    // Subtree searched for users, e.g. "ou=people,dc=example,dc=org".
    std::string base_dn;
    // Attribute the login is matched against: uid, mail, sAMAccountName, ...
    std::string login_attribute = "uid";
    // Extra filter AND-ed to the login match, e.g. "(objectClass=inetOrgPerson)"
    // or "(!(pwdAccountLockedTime=*))"; empty = none. Written by the
    // administrator, so it is used as it stands (not escaped).
    std::string user_filter;
    // The user's address(es). With several values the (lower-cased) first in
    // sort order is the primary address, the others become aliases. An entry
    // without one cannot log in (kPermissionDenied).
    std::string mail_attribute = "mail";
    // Further addresses of the user (lower-cased, deduplicated), whose mail
    // the user may see too. mailAlternateAddress is qmail-ldap's attribute
    // (also the one of Sun/Oracle directories); empty list = none.
    std::vector<std::string> alias_attributes = {"mailAlternateAddress"};
    // Display name (first value); empty = none.
    std::string name_attribute = "cn";
    // Logins (compared without regard to ASCII case) that are admins.
    std::vector<std::string> admin_users;
    // DN of a group whose members are admins; empty = no admin group. It is
    // read with the service account's rights (base-scope search).
    std::string admin_group_dn;
    // Attribute of admin_group_dn that lists the members: "member" or
    // "uniqueMember" hold the user's DN; "memberUid" (posixGroup) holds the login.
    std::string group_member_attribute = "member";
    // Limit in milliseconds for connecting, and again for each LDAP
    // operation (StartTLS, bind, search), so one login takes at most a few
    // times this long against a dead or stalling server.
    std::int64_t timeout_ms = 5000;
};

// Everything wrong with `settings`, one "field: problem" line each (empty =
// usable). Only the form is checked; whether the server agrees shows at the
// first login.
[[nodiscard]] std::vector<std::string> CheckLdapSettings(const LdapSettings& settings);

}  // namespace rqwatch::auth
