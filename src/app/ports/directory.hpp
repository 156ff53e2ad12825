#pragma once
// Port: an external user directory that checks passwords and says who a
// user is (LDAP in auth/ldap_directory). Users it knows are created in
// rqwatch's own table at their first login.

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace rqwatch::app {

struct DirectoryUser {
    std::string login;                 // as the directory spells it (the user's rqwatch name)
    std::string display_name;          // may be empty
    std::string email;                 // primary address, normalised to lower case
    std::vector<std::string> aliases;  // further addresses, lower case, without the primary
    bool admin = false;                // in the admin list or admin group
};

class Directory {
  public:
    virtual ~Directory() = default;
    // kUnauthenticated for an unknown login or a wrong password (the same
    // error for both, so that a caller cannot tell which); kUnavailable when
    // the directory cannot be reached or refuses the service account;
    // kPermissionDenied when the user exists but has no mail address.
    // Blocking: call it from a worker thread, never an I/O thread.
    [[nodiscard]] virtual Result<DirectoryUser> Authenticate(std::string_view login,
                                                             std::string_view password) = 0;
};

}  // namespace rqwatch::app
