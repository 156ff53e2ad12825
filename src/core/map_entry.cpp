#include "core/map_entry.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <optional>
#include <set>
#include <utility>

#include "core/cidr.hpp"
#include "core/utf8.hpp"
#include "util/ascii.hpp"

namespace rqwatch {
namespace {

constexpr std::string_view kSpace = " \t";

// A line may end in the '\r' of a CRLF file.
std::string_view Trim(std::string_view s) { return util::TrimAscii(s, " \t\r"); }

std::unexpected<Error> Bad(MapField field, std::string_view why) {
    return Fail(ErrorCode::kInvalidArgument,
                fmt::format("not a valid {}: {}", MapFieldName(field), why));
}

// Control characters (line breaks, NUL, DEL) would split or cut the map file.
bool HasControl(std::string_view s) {
    for (unsigned char c : s) {
        if (c < 0x20 || c == 0x7f) return true;
    }
    return false;
}

bool HasSpace(std::string_view s) { return s.find_first_of(kSpace) != std::string_view::npos; }

bool DomainLabelChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

// RFC 1035 host names in their ASCII form; an internationalised name must
// be given as xn--…, which is what Rspamd compares.
Result<std::string> Domain(std::string_view text) {
    std::string d = util::AsciiLower(text);
    if (!d.empty() && d.back() == '.') d.pop_back();
    if (d.empty()) return Bad(MapField::kDomain, "empty");
    if (d.size() > 253) return Bad(MapField::kDomain, "longer than 253 characters");
    std::size_t start = 0;
    while (start <= d.size()) {
        const auto dot = d.find('.', start);
        const std::string_view label = std::string_view(d).substr(
            start, dot == std::string::npos ? std::string::npos : dot - start);
        if (label.empty()) return Bad(MapField::kDomain, "an empty label");
        if (label.size() > 63) return Bad(MapField::kDomain, "a label longer than 63 characters");
        if (label.front() == '-' || label.back() == '-') {
            return Bad(MapField::kDomain, "a label starts or ends with '-'");
        }
        for (char c : label) {
            if (static_cast<unsigned char>(c) >= 0x80) {
                return Bad(MapField::kDomain, "write an international name in its xn-- form");
            }
            if (!DomainLabelChar(c))
                return Bad(MapField::kDomain, "only letters, digits, '-' and '.'");
        }
        if (dot == std::string::npos) break;
        start = dot + 1;
    }
    return d;
}

// local@domain. The local part keeps the characters of RFC 5321's
// dot-atom; quoted local parts are refused (no real sender needs one in a
// block list, and their quotes and spaces would break the map line).
Result<std::string> Email(std::string_view text) {
    const auto at = text.rfind('@');
    if (at == std::string_view::npos) return Bad(MapField::kEmail, "no '@'");
    const std::string_view local = text.substr(0, at);
    if (local.empty())
        return Bad(MapField::kEmail, "nothing before '@' (use a domain map for a whole domain)");
    if (local.size() > 64)
        return Bad(MapField::kEmail, "the part before '@' is longer than 64 characters");
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) {
        return Bad(MapField::kEmail, "misplaced '.' before '@'");
    }
    static constexpr std::string_view kAtext = "!#$%&'*+-/=?^_`{|}~.";
    for (char c : local) {
        const auto u = static_cast<unsigned char>(c);
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || u >= 0x80 ||
                        kAtext.find(c) != std::string_view::npos;
        if (!ok) return Bad(MapField::kEmail, fmt::format("'{}' is not allowed in an address", c));
    }
    if (!IsValidUtf8(local)) return Bad(MapField::kEmail, "not UTF-8");
    auto domain = Domain(text.substr(at + 1));
    if (!domain) return Bad(MapField::kEmail, "the domain: " + domain.error().public_msg);
    // Rspamd lower-cases addresses before it looks them up in a map.
    return util::AsciiLower(local) + "@" + *domain;
}

Result<std::string> Asn(std::string_view text) {
    if (text.size() > 2 && util::AsciiIEquals(text.substr(0, 2), "as")) text.remove_prefix(2);
    std::uint32_t n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) {
        return Bad(MapField::kAsn, "a number from 0 to 4294967295, with or without 'AS'");
    }
    return std::to_string(n);
}

// /pattern/flags. Rspamd compiles it with its own engine (Hyperscan or
// PCRE2); here only the form is checked.
Result<std::string> Regexp(std::string_view text) {
    if (text.size() < 3 || text.front() != '/')
        return Bad(MapField::kRegexp, "write it as /pattern/flags");
    const auto close = text.rfind('/');
    if (close == 0 || close == 1) return Bad(MapField::kRegexp, "an empty pattern");
    for (char c : text.substr(close + 1)) {
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
            return Bad(MapField::kRegexp, "flags after the closing '/' are letters");
        }
    }
    return std::string(text);
}

// from_chars, not stod: the locale must not decide what "1.5" means.
std::optional<double> Score(std::string_view text) {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() ||
        !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

Result<std::string> KeyScore(std::string_view text) {
    const auto sp = text.find_first_of(kSpace);
    if (sp == std::string_view::npos) return Bad(MapField::kKeyScore, "write 'key score'");
    const auto score = Score(Trim(text.substr(sp)));
    if (!score) return Bad(MapField::kKeyScore, "the score is not a number");
    return fmt::format("{} {}", text.substr(0, sp), *score);
}

}  // namespace

Result<std::string> NormalizeMapValue(MapField field, std::string_view raw) {
    const std::string_view text = Trim(raw);
    if (text.empty()) return Bad(field, "empty");
    if (text.size() > kMaxMapLineBytes) {
        return Bad(field, fmt::format("longer than {} bytes", kMaxMapLineBytes));
    }
    if (HasControl(text)) return Bad(field, "contains a control character or line break");
    if (!IsValidUtf8(text)) return Bad(field, "not UTF-8");
    // Rspamd's map parser takes '#' as the start of a comment.
    if (text.find('#') != std::string_view::npos) return Bad(field, "contains '#'");
    if (field != MapField::kText && field != MapField::kRegexp && field != MapField::kKeyScore &&
        HasSpace(text)) {
        return Bad(field, "contains a space");
    }
    switch (field) {
        case MapField::kEmail:
            return Email(text);
        case MapField::kDomain:
            return Domain(text);
        case MapField::kAsn:
            return Asn(text);
        case MapField::kRegexp:
            return Regexp(text);
        case MapField::kKeyScore:
            return KeyScore(text);
        case MapField::kIp: {
            auto range = ParseCidr(text);
            if (!range) return Bad(field, "an IPv4 or IPv6 address, or a range like 192.0.2.0/24");
            return FormatCidr(*range);
        }
        case MapField::kUrl:
        case MapField::kText:
        case MapField::kGlob:
            return std::string(text);
    }
    return Bad(field, "unknown field");
}

Result<MapValue> ParseMapLine(const MapShape& shape, std::string_view raw) {
    const std::string_view line = Trim(raw);
    MapValue out;
    if (!shape.second) {
        auto v = NormalizeMapValue(shape.first, line);
        if (!v) return std::unexpected(v.error());
        if (shape.first == MapField::kKeyScore) {
            out.score = Score(std::string_view(*v).substr(v->find(' ') + 1)).value_or(0);
        }
        out.first = std::move(*v);
        return out;
    }
    const auto sp = line.find_first_of(kSpace);
    if (sp == std::string_view::npos) {
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("write two values separated by a space: {} and {}",
                                MapFieldName(shape.first), MapFieldName(*shape.second)));
    }
    auto first = NormalizeMapValue(shape.first, line.substr(0, sp));
    if (!first) return std::unexpected(first.error());
    auto second = NormalizeMapValue(*shape.second, Trim(line.substr(sp)));
    if (!second) return std::unexpected(second.error());
    out.first = std::move(*first);
    out.second = std::move(*second);
    return out;
}

ParsedMapLines ParseMapLines(const MapShape& shape, std::string_view text) {
    ParsedMapLines out;
    std::set<std::pair<std::string, std::string>> seen;
    std::size_t number = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        auto nl = text.find('\n', start);
        if (nl == std::string_view::npos) nl = text.size();
        const std::string_view line = Trim(text.substr(start, nl - start));
        start = nl + 1;
        ++number;
        if (line.empty() || line.front() == '#') continue;
        auto value = ParseMapLine(shape, line);
        if (!value) {
            out.errors.push_back({number, value.error().public_msg});
            continue;
        }
        value->line = number;
        if (seen.emplace(value->first, value->second).second)
            out.values.push_back(std::move(*value));
    }
    return out;
}

}  // namespace rqwatch
