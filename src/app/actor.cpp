#include "app/actor.hpp"

#include <fmt/format.h>

namespace rqwatch::app {

Result<void> RequireThePerson(const Actor& actor, std::string_view what) {
    if (!actor.via_token.empty()) {
        return Fail(ErrorCode::kPermissionDenied,
                    fmt::format("{} needs a browser session, not an API token", what));
    }
    if (!actor.on_behalf_of.empty()) {
        return Fail(
            ErrorCode::kPermissionDenied,
            fmt::format("not during \"login as\": only the user themself may do this ({})", what));
    }
    return {};
}

}  // namespace rqwatch::app
