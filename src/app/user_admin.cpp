#include "app/user_admin.hpp"

#include <fmt/format.h>

#include "app/account_rules.hpp"
#include "app/login.hpp"
#include "util/ids.hpp"

namespace rqwatch::app {
namespace {

Result<void> CheckUsername(const std::string& name) {
    if (!ValidUsername(name)) {
        return Fail(ErrorCode::kInvalidArgument,
                    "username must be 1-128 characters of letters, digits, . _ + @ -");
    }
    return {};
}

// The fields a directory sets at every login.
bool ChangesDirectoryFields(const UserChanges& c) {
    return c.username || c.email || c.first_name || c.last_name || c.is_admin || c.password;
}

// Which fields changed, for the audit (never their values: a password, or
// personal data the audit log would keep longer than the account).
std::string ChangedFields(const UserChanges& c) {
    std::string out;
    auto add = [&out](bool set, std::string_view name) {
        if (!set) return;
        if (!out.empty()) out += ", ";
        out += name;
    };
    add(c.username.has_value(), "username");
    add(c.email.has_value(), "email");
    add(c.first_name.has_value(), "first_name");
    add(c.last_name.has_value(), "last_name");
    add(c.is_admin.has_value(), "is_admin");
    add(c.admin_domains.has_value(), "admin_domains");
    add(c.notifications_disabled.has_value(), "notifications_disabled");
    add(c.notify.frequency.has_value(), "notify_frequency");
    add(c.notify.hour.has_value(), "notify_hour");
    add(c.notify.time_zone.has_value(), "time_zone");
    add(c.password.has_value(), "password");
    return out;
}

// Applies the set fields of `c` to `u`, each checked.
Result<void> Apply(const UserChanges& c, User& u) {
    if (c.username) {
        if (auto ok = CheckUsername(*c.username); !ok) return ok;
        u.username = *c.username;
    }
    if (c.email) {
        auto email = NormalizeAccountAddress(*c.email, "email");
        if (!email) return std::unexpected(email.error());
        u.email = *email;
    }
    if (c.first_name) {
        if (auto ok = CheckPersonName(*c.first_name, "first_name"); !ok) return ok;
        u.first_name = *c.first_name;
    }
    if (c.last_name) {
        if (auto ok = CheckPersonName(*c.last_name, "last_name"); !ok) return ok;
        u.last_name = *c.last_name;
    }
    if (c.admin_domains) {
        auto domains = NormalizeDomains(*c.admin_domains);
        if (!domains) return std::unexpected(domains.error());
        u.admin_domains = std::move(*domains);
    }
    if (c.is_admin) u.is_admin = *c.is_admin;
    if (c.notifications_disabled) u.notifications_disabled = *c.notifications_disabled;
    return ApplyNotifyPreferences(c.notify, u);
}

}  // namespace

UserAdmin::UserAdmin(UserRepo& users, PasswordHasher& hasher, SessionService& sessions,
                     AuditTrail& audit, Clock clock)
    : users_(users),
      hasher_(hasher),
      sessions_(sessions),
      audit_(audit),
      clock_(clock ? std::move(clock) : Clock(util::NowUnixMs)) {}

Result<std::vector<User>> UserAdmin::List(const UserListQuery& query) { return users_.List(query); }

Result<UserDetail> UserAdmin::Get(std::int64_t id) {
    auto user = users_.FindById(id);
    if (!user) return std::unexpected(user.error());
    auto aliases = users_.AliasesOf(id);
    if (!aliases) return std::unexpected(aliases.error());
    return UserDetail{std::move(*user), std::move(*aliases)};
}

Result<std::string> UserAdmin::HashPassword(const std::string& password) {
    if (auto ok = CheckNewPassword(password); !ok) return std::unexpected(ok.error());
    return hasher_.Hash(password);
}

Result<UserDetail> UserAdmin::Add(const Actor& actor, const NewUser& n) {
    if (auto ok = CheckUsername(n.username); !ok) return std::unexpected(ok.error());
    User u;
    u.username = n.username;
    u.provider = AuthProvider::kLocal;
    UserChanges fields;
    fields.email = n.email;
    fields.first_name = n.first_name;
    fields.last_name = n.last_name;
    fields.is_admin = n.is_admin;
    fields.admin_domains = n.admin_domains;
    fields.notifications_disabled = n.notifications_disabled;
    fields.notify = n.notify;
    if (auto ok = Apply(fields, u); !ok) return std::unexpected(ok.error());
    auto hash = HashPassword(n.password);
    if (!hash) return std::unexpected(hash.error());
    u.password_hash = std::move(*hash);
    u.created_at = clock_();
    auto id = users_.Add(u);
    if (!id) return std::unexpected(id.error());
    audit_.Record(actor, "user.add", UserTarget(*id),
                  fmt::format("{}{}", u.username, u.is_admin ? " (admin)" : ""));
    return Get(*id);
}

Result<UserDetail> UserAdmin::Update(const Actor& actor, std::int64_t id,
                                     const UserChanges& changes) {
    auto found = users_.FindById(id);
    if (!found) return std::unexpected(found.error());
    User u = std::move(*found);
    if (u.provider != AuthProvider::kLocal && ChangesDirectoryFields(changes)) {
        return Fail(ErrorCode::kConflict,
                    "this user's name, address, admin rights and password come from the "
                    "directory at every login; change them there");
    }
    if (id == actor.id && changes.is_admin && !*changes.is_admin && u.is_admin) {
        return Fail(ErrorCode::kConflict, "you cannot take your own admin rights; ask another admin");
    }
    const bool was_admin = u.is_admin;
    if (auto ok = Apply(changes, u); !ok) return std::unexpected(ok.error());
    if (changes.password) {
        auto hash = HashPassword(*changes.password);
        if (!hash) return std::unexpected(hash.error());
        u.password_hash = std::move(*hash);
    }
    if (auto ok = users_.Update(u); !ok) return std::unexpected(ok.error());
    // Sessions resolve the user at every request, so other changes apply at
    // once; these two end them: a reset password must lock out whoever knew
    // the old one, and a demoted admin's open pages must not stay admin pages.
    if (changes.password || (was_admin && !u.is_admin)) (void)sessions_.EndAll(id);
    audit_.Record(actor, "user.update", UserTarget(id), ChangedFields(changes));
    return Get(id);
}

Result<void> UserAdmin::Remove(const Actor& actor, std::int64_t id) {
    if (id == actor.id) {
        return Fail(ErrorCode::kConflict, "you cannot delete your own account; ask another admin");
    }
    auto found = users_.FindById(id);
    if (!found) return std::unexpected(found.error());
    if (auto ok = users_.Delete(id); !ok) return ok;
    audit_.Record(actor, "user.delete", UserTarget(id), found->username);
    return {};
}

}  // namespace rqwatch::app
