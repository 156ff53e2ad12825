#include "app/alias_admin.hpp"

#include <fmt/format.h>

#include "app/account_rules.hpp"

namespace rqwatch::app {
namespace {

std::string AliasTarget(std::int64_t id) { return fmt::format("alias:{}", id); }

}  // namespace

AliasAdmin::AliasAdmin(UserRepo& users, AuditTrail& audit) : users_(users), audit_(audit) {}

Result<std::vector<Alias>> AliasAdmin::List(const UserListQuery& query) {
    return users_.ListAliases(query);
}

Result<void> AliasAdmin::CheckLocalOwner(std::int64_t user_id) {
    auto owner = users_.FindById(user_id);
    if (!owner) return std::unexpected(owner.error());
    if (owner->provider != AuthProvider::kLocal) {
        return Fail(ErrorCode::kConflict,
                    "this user's aliases come from the directory at every login; change them "
                    "there");
    }
    return {};
}

Result<Alias> AliasAdmin::Editable(std::int64_t alias_id) {
    auto alias = users_.FindAlias(alias_id);
    if (!alias) return std::unexpected(alias.error());
    if (auto ok = CheckLocalOwner(alias->user_id); !ok) return std::unexpected(ok.error());
    return alias;
}

Result<Alias> AliasAdmin::Add(const Actor& actor, std::int64_t user_id, const std::string& alias) {
    auto normal = NormalizeAccountAddress(alias, "alias");
    if (!normal) return std::unexpected(normal.error());
    if (auto ok = CheckLocalOwner(user_id); !ok) return std::unexpected(ok.error());
    auto id = users_.AddAlias(user_id, *normal);
    if (!id) return std::unexpected(id.error());
    audit_.Record(actor, "alias.add", AliasTarget(*id),
                  fmt::format("{} for user:{}", *normal, user_id));
    return users_.FindAlias(*id);
}

Result<Alias> AliasAdmin::Update(const Actor& actor, std::int64_t alias_id,
                                 const std::string& alias) {
    auto normal = NormalizeAccountAddress(alias, "alias");
    if (!normal) return std::unexpected(normal.error());
    auto old = Editable(alias_id);
    if (!old) return std::unexpected(old.error());
    if (auto ok = users_.UpdateAlias(alias_id, *normal); !ok) return std::unexpected(ok.error());
    audit_.Record(actor, "alias.update", AliasTarget(alias_id),
                  fmt::format("{} -> {} for user:{}", old->alias, *normal, old->user_id));
    return users_.FindAlias(alias_id);
}

Result<void> AliasAdmin::Remove(const Actor& actor, std::int64_t alias_id) {
    auto old = Editable(alias_id);
    if (!old) return std::unexpected(old.error());
    if (auto ok = users_.DeleteAlias(alias_id); !ok) return ok;
    audit_.Record(actor, "alias.delete", AliasTarget(alias_id),
                  fmt::format("{} for user:{}", old->alias, old->user_id));
    return {};
}

}  // namespace rqwatch::app
