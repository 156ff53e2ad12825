#pragma once
// app::Directory on an LDAP server (OpenLDAP's libldap): the login is looked
// up with the service account (or anonymously), the password is checked by
// binding as the entry found, and the entry says who the user is.

#include <string_view>

#include "app/ports/directory.hpp"
#include "auth/ldap_settings.hpp"

namespace rqwatch::auth {

class LdapDirectory final : public app::Directory {
  public:
    // `settings` should have passed CheckLdapSettings; nothing is contacted here.
    explicit LdapDirectory(LdapSettings settings);

    // One connection per call, closed before it returns, so calls from
    // several worker threads never share a handle. The error contract is
    // app::Directory's; Error::detail carries libldap's reason, never a password.
    [[nodiscard]] Result<app::DirectoryUser> Authenticate(std::string_view login,
                                                          std::string_view password) override;

  private:
    LdapSettings settings_;
};

}  // namespace rqwatch::auth
