#pragma once
// Who does something: recorded in the audit log, and checked where the
// person matters (nobody deletes their own account).

#include <cstdint>
#include <string>

namespace rqwatch::app {

struct Actor {
    std::int64_t id = 0;
    std::string username;
    std::string ip;
    std::string on_behalf_of;  // the admin behind a "login as", else ""
};

}  // namespace rqwatch::app
