#pragma once
// RAII owners for what libldap hands out, so that every early return of a
// login (and there are many) releases the connection, results and strings.

#include <ldap.h>

#include <memory>

namespace rqwatch::auth {

struct LdapUnbind {
    // Sends an unbind and closes the socket; also frees a handle that never
    // connected.
    void operator()(LDAP* ld) const noexcept { ldap_unbind_ext_s(ld, nullptr, nullptr); }
};
using LdapPtr = std::unique_ptr<LDAP, LdapUnbind>;

struct LdapMsgFree {
    void operator()(LDAPMessage* msg) const noexcept { ldap_msgfree(msg); }
};
// A whole search result (its entries are freed with it).
using LdapMessagePtr = std::unique_ptr<LDAPMessage, LdapMsgFree>;

struct LdapBerFree {
    // 0: the buffer belongs to the message, only the iterator is freed.
    void operator()(BerElement* ber) const noexcept { ber_free(ber, 0); }
};
// The attribute iterator of ldap_first_attribute / ldap_next_attribute.
using BerElementPtr = std::unique_ptr<BerElement, LdapBerFree>;

struct LdapValuesFree {
    void operator()(berval** values) const noexcept { ldap_value_free_len(values); }
};
// The values of one attribute (ldap_get_values_len).
using BervalArrayPtr = std::unique_ptr<berval*, LdapValuesFree>;

struct LdapMemFree {
    void operator()(char* text) const noexcept { ldap_memfree(text); }
};
// A string libldap allocated: a DN (ldap_get_dn), an attribute name, a
// diagnostic message.
using LdapStringPtr = std::unique_ptr<char, LdapMemFree>;

}  // namespace rqwatch::auth
