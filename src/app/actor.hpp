#pragma once
// Who does something: recorded in the audit log, and checked where the
// person matters (nobody deletes their own account).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace rqwatch::app {

struct Actor {
    std::int64_t id = 0;
    std::string username;
    std::string ip;
    std::string on_behalf_of;  // the admin behind a "login as", else ""
    // The name of the personal API token the request came with, else "":
    // audited ("via token NAME"), and some changes need a person, not a script.
    std::string via_token;
    // When the person logged in to the session this request came with (ms);
    // nullopt when the request carried its credentials itself (Basic).
    // What could lock the person out needs a recent login (a session
    // cookie stolen earlier is not enough).
    std::optional<std::int64_t> logged_in_at;
};

// kPermissionDenied unless the actor is the person themself at a browser
// (or with Basic): not a script with an API token, and not an
// administrator's "login as". For what must not be delegated: making
// tokens, setting up a second factor. `what` names it in the message.
[[nodiscard]] Result<void> RequireThePerson(const Actor& actor, std::string_view what);

}  // namespace rqwatch::app
