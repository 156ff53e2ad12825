#include "app/logout.hpp"


namespace rqwatch::app {

Result<void> Logout::ThisSession(const Actor& actor, std::string_view session_id) {
    if (auto ok = sessions_.End(session_id); !ok) return ok;
    audit_.Record(actor, "logout", UserTarget(actor.id));
    return {};
}

Result<void> Logout::Everywhere(const Actor& actor) {
    if (auto ok = sessions_.EndAll(actor.id); !ok) return ok;
    audit_.Record(actor, "logout_all", UserTarget(actor.id));
    return {};
}

}  // namespace rqwatch::app
