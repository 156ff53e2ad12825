#include "app/impersonation.hpp"


namespace rqwatch::app {

Result<IssuedSession> Impersonation::Begin(const Actor& admin, std::string_view session_id,
                                           std::int64_t target_id) {
    if (target_id == admin.id) return Fail(ErrorCode::kConflict, "you are logged in as yourself");
    auto target = users_.FindById(target_id);
    if (!target) return std::unexpected(target.error());
    if (target->is_admin) return Fail(ErrorCode::kConflict, "administrators cannot be impersonated");
    auto issued = sessions_.Start(target_id, admin.ip, admin.id);
    if (!issued) return issued;
    (void)sessions_.End(session_id);
    audit_.Record(admin, "login_as", UserTarget(target_id), target->username);
    return issued;
}

Result<IssuedSession> Impersonation::Return(const Actor& actor, const SessionRecord& current,
                                            std::string_view session_id) {
    if (!current.impersonator_id) {
        return Fail(ErrorCode::kConflict, "this session is not a \"login as\"");
    }
    (void)sessions_.End(session_id);
    auto admin = users_.FindById(*current.impersonator_id);
    if (!admin || !admin->is_admin) {
        if (!admin && admin.error().code != ErrorCode::kNotFound) {
            return std::unexpected(admin.error());
        }
        return Fail(ErrorCode::kUnauthenticated, "the administrator's account is gone; log in again");
    }
    auto issued = sessions_.Start(admin->id, actor.ip);
    if (!issued) return issued;
    audit_.Record(Actor{admin->id, admin->username, actor.ip, {}}, "login_as_end",
                  UserTarget(current.user_id), actor.username);
    return issued;
}

}  // namespace rqwatch::app
