#include "storage/user_row.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>

#include "core/mail.hpp"
#include "storage/column_limits.hpp"

namespace rqwatch::storage {
namespace {

bool TooLong(const std::string& value, std::size_t max_chars) {
    return limits::CutCopy(value, max_chars) != value;
}

Result<std::string> JoinDomains(const std::vector<std::string>& domains) {
    std::vector<std::string> seen;
    std::string joined;
    for (const std::string& d : domains) {
        // The same lower case as mail_recipients.domain (DomainOf).
        std::string domain = NormalizeAddress(d);
        if (domain.empty() || domain.find(',') != std::string::npos) {
            return Fail(ErrorCode::kInvalidArgument, "an admin domain is empty or holds a comma");
        }
        if (std::ranges::find(seen, domain) != seen.end()) continue;
        if (!joined.empty()) joined += ',';
        joined += domain;
        seen.push_back(std::move(domain));
    }
    if (TooLong(joined, limits::kText)) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("admin domains are longer than {} characters", limits::kText));
    }
    return joined;
}

std::vector<std::string> SplitDomains(std::string_view joined) {
    std::vector<std::string> out;
    while (!joined.empty()) {
        const auto comma = joined.find(',');
        if (comma != 0) out.emplace_back(joined.substr(0, comma));
        if (comma == std::string_view::npos) break;
        joined.remove_prefix(comma + 1);
    }
    return out;
}

Result<void> CheckSize(const std::string& value, std::size_t max_chars, std::string_view what) {
    if (TooLong(value, max_chars)) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("{} is longer than {} characters", what, max_chars));
    }
    return {};
}

}  // namespace

Result<UserRow> ToUserRow(const User& user) {
    if (user.username.empty()) return Fail(ErrorCode::kInvalidArgument, "username is empty");
    UserRow row;
    row.id = user.id;
    row.username = user.username;
    row.email = NormalizeAddress(user.email);
    row.first_name = user.first_name;
    row.last_name = user.last_name;
    row.password_hash = user.password_hash;
    struct Bounded {
        const std::string& value;
        std::size_t max_chars;
        std::string_view what;
    };
    for (const Bounded& b : {Bounded{row.username, limits::kShort, "username"},
                             Bounded{row.email, limits::kAddress, "email address"},
                             Bounded{row.first_name, limits::kShort, "first name"},
                             Bounded{row.last_name, limits::kShort, "last name"},
                             Bounded{row.password_hash, limits::kAddress, "password hash"}}) {
        if (auto ok = CheckSize(b.value, b.max_chars, b.what); !ok) {
            return std::unexpected(ok.error());
        }
    }
    auto domains = JoinDomains(user.admin_domains);
    if (!domains) return std::unexpected(domains.error());
    row.admin_domains = std::move(*domains);
    row.is_admin = user.is_admin ? 1 : 0;
    row.notifications_disabled = user.notifications_disabled ? 1 : 0;
    if (user.notify_frequency) row.notify_frequency = NotifyFrequencyName(*user.notify_frequency);
    row.notify_hour = user.notify_hour.value_or(-1);
    row.time_zone = user.time_zone;
    if (auto ok = CheckSize(row.time_zone, limits::kTimeZone, "time zone"); !ok) {
        return std::unexpected(ok.error());
    }
    row.provider = static_cast<int>(user.provider);
    row.created_at = user.created_at;
    if (user.last_login) {
        row.last_login = *user.last_login;
        row.last_login_ind = soci::i_ok;
    }
    return row;
}

User ToUser(const UserRow& row) {
    User user;
    user.id = row.id;
    user.username = row.username;
    user.email = row.email;
    user.first_name = row.first_name;
    user.last_name = row.last_name;
    user.is_admin = row.is_admin != 0;
    user.admin_domains = SplitDomains(row.admin_domains);
    user.notifications_disabled = row.notifications_disabled != 0;
    // A value this build does not know reads as the default.
    user.notify_frequency = ParseNotifyFrequency(row.notify_frequency);
    if (row.notify_hour >= 0 && row.notify_hour <= 23) user.notify_hour = row.notify_hour;
    user.time_zone = row.time_zone;
    // Kept as stored even when this build knows no such provider: the
    // caller then matches none of its cases (and a local password check
    // never applies), and an Update writes the value back unchanged.
    user.provider = static_cast<AuthProvider>(row.provider);
    user.password_hash = row.password_hash;
    user.created_at = row.created_at;
    if (row.last_login_ind != soci::i_null) user.last_login = row.last_login;
    user.totp_enabled = row.totp_enabled != 0;
    return user;
}

void BindInto(soci::statement& st, UserRow& row) {
    st.exchange(soci::into(row.id));
    st.exchange(soci::into(row.username));
    st.exchange(soci::into(row.email));
    st.exchange(soci::into(row.first_name));
    st.exchange(soci::into(row.last_name));
    st.exchange(soci::into(row.is_admin));
    st.exchange(soci::into(row.admin_domains));
    st.exchange(soci::into(row.notifications_disabled));
    st.exchange(soci::into(row.notify_frequency));
    st.exchange(soci::into(row.notify_hour));
    st.exchange(soci::into(row.time_zone));
    st.exchange(soci::into(row.provider));
    st.exchange(soci::into(row.password_hash));
    st.exchange(soci::into(row.created_at));
    st.exchange(soci::into(row.last_login, row.last_login_ind));
    st.exchange(soci::into(row.totp_enabled));
}

void BindWritten(soci::statement& st, UserRow& row) {
    st.exchange(soci::use(row.username, "username"));
    st.exchange(soci::use(row.email, "email"));
    st.exchange(soci::use(row.first_name, "first_name"));
    st.exchange(soci::use(row.last_name, "last_name"));
    st.exchange(soci::use(row.is_admin, "is_admin"));
    st.exchange(soci::use(row.admin_domains, "admin_domains"));
    st.exchange(soci::use(row.notifications_disabled, "notifications_disabled"));
    st.exchange(soci::use(row.notify_frequency, "notify_frequency"));
    st.exchange(soci::use(row.notify_hour, "notify_hour"));
    st.exchange(soci::use(row.time_zone, "time_zone"));
    st.exchange(soci::use(row.provider, "provider"));
    st.exchange(soci::use(row.password_hash, "password_hash"));
}

Result<std::string> NormalizeAlias(const std::string& alias) {
    std::string normal = NormalizeAddress(alias);
    if (normal.empty()) return Fail(ErrorCode::kInvalidArgument, "alias is empty");
    if (auto ok = CheckSize(normal, limits::kAddress, "alias"); !ok) {
        return std::unexpected(ok.error());
    }
    return normal;
}

}  // namespace rqwatch::storage
