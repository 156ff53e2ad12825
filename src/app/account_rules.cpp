#include "app/account_rules.hpp"

#include "core/time_zone.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/mail.hpp"

namespace rqwatch::app {
namespace {

bool HasControl(std::string_view s) {
    return std::ranges::any_of(s, [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 || u == 0x7f;
    });
}

// Letters, digits, '-' and '.', not starting or ending with '.' or '-'.
bool ValidHost(std::string_view host) {
    if (host.empty() || host.size() > 253 || host.front() == '.' || host.back() == '.' ||
        host.front() == '-' || host.find("..") != std::string_view::npos) {
        return false;
    }
    return std::ranges::all_of(host, [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    });
}

// Valid UTF-8 (no overlong forms or surrogates are checked: names are shown,
// never parsed; an invalid byte sequence would break the JSON).
bool ValidUtf8(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        if (n == 0 || i + n > s.size()) return false;
        for (std::size_t k = 1; k < n; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
        }
        i += n;
    }
    return true;
}

}  // namespace

Result<std::string> NormalizeAccountAddress(std::string_view value, std::string_view field) {
    const std::string normal = NormalizeAddress(value);
    const std::size_t at = normal.rfind('@');
    const bool ok = !normal.empty() && normal.size() <= 254 && at != std::string::npos &&
                    at > 0 && at + 1 < normal.size() && !HasControl(normal) &&
                    normal.find_first_of(" <>\",;\\") == std::string::npos &&
                    ValidHost(std::string_view(normal).substr(at + 1)) &&
                    normal.find('@') == at && ValidUtf8(normal);
    if (!ok) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("{} must be an address like user@example.org", field));
    }
    return normal;
}

Result<std::vector<std::string>> NormalizeDomains(const std::vector<std::string>& domains) {
    if (domains.size() > 100) {
        return Fail(ErrorCode::kInvalidArgument, "at most 100 admin_domains");
    }
    std::vector<std::string> out;
    for (const std::string& d : domains) {
        std::string lower = NormalizeAddress(d);  // lower case, trimmed
        if (!ValidHost(lower)) {
            return Fail(ErrorCode::kInvalidArgument,
                        "admin_domains must be domain names like example.org");
        }
        if (std::ranges::find(out, lower) == out.end()) out.push_back(std::move(lower));
    }
    return out;
}

Result<void> CheckPersonName(std::string_view value, std::string_view field) {
    if (value.size() > 128 || HasControl(value) || !ValidUtf8(value)) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("{} must be at most 128 bytes of text without control "
                                "characters",
                                field));
    }
    return {};
}

Result<void> CheckNewPassword(std::string_view password) {
    if (password.size() < kMinPasswordLength || password.size() > kMaxPasswordLength) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("the password must have {} to {} characters", kMinPasswordLength,
                                kMaxPasswordLength));
    }
    return {};
}

Result<void> ApplyNotifyPreferences(const NotifyPreferences& prefs, User& user) {
    std::optional<NotifyFrequency> frequency;
    if (prefs.frequency && !prefs.frequency->empty()) {
        frequency = ParseNotifyFrequency(*prefs.frequency);
        if (!frequency) {
            return Fail(ErrorCode::kInvalidArgument,
                        "notify_frequency must be immediate, hourly, daily, weekly or \"\" "
                        "(the default)");
        }
    }
    if (prefs.hour && (*prefs.hour < -1 || *prefs.hour > 23)) {
        return Fail(ErrorCode::kInvalidArgument, "notify_hour must be 0-23, or null (the default)");
    }
    if (prefs.time_zone && !prefs.time_zone->empty() && !TimeZone::Find(*prefs.time_zone)) {
        return Fail(ErrorCode::kInvalidArgument,
                    "time_zone must be an IANA time zone name such as Europe/Berlin, or \"\" "
                    "(the default)");
    }
    if (prefs.frequency) user.notify_frequency = frequency;
    if (prefs.hour) {
        user.notify_hour = *prefs.hour < 0 ? std::nullopt : std::optional<int>(*prefs.hour);
    }
    if (prefs.time_zone) user.time_zone = *prefs.time_zone;
    return {};
}

}  // namespace rqwatch::app
