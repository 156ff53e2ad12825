#pragma once
// One LDAP connection with rqwatch's fixed safety settings (LDAPv3,
// timeouts, no referral chasing, certificate checks always on), simple
// binds, and libldap's result codes turned into log text.

#include <memory>
#include <string>
#include <string_view>

#include "auth/ldap_ptr.hpp"
#include "auth/ldap_read_timeout.hpp"
#include "auth/ldap_settings.hpp"
#include "core/error.hpp"

namespace rqwatch::auth {

// A handle and what libldap points into while the handle lives.
class LdapConnection {
  public:
    [[nodiscard]] LDAP* get() const { return ld_.get(); }

  private:
    friend Result<LdapConnection> OpenConnection(const LdapSettings& settings);
    std::unique_ptr<ReadTimeout> read_timeout_;  // declared first: outlives ld_
    LdapPtr ld_;
};

// A new handle for settings.url, its options set on the handle (never the
// library's global ones). With start_tls the StartTLS exchange is done here,
// before anything else is sent; ldaps:// connects at the first operation.
// kUnavailable (with libldap's reason in detail) when the URL, the TLS setup
// or StartTLS fails.
[[nodiscard]] Result<LdapConnection> OpenConnection(const LdapSettings& settings);

// Simple bind (LDAP_SASL_SIMPLE) as `dn`; returns libldap's result code
// (LDAP_SUCCESS, LDAP_INVALID_CREDENTIALS, LDAP_SERVER_DOWN, ...). The
// password goes nowhere but into the request.
[[nodiscard]] int SimpleBind(LDAP* ld, const std::string& dn, std::string_view password);

// "Invalid credentials (49): <the server's diagnostic message>" for Error::detail.
[[nodiscard]] std::string DescribeLdapError(LDAP* ld, int rc);

}  // namespace rqwatch::auth
