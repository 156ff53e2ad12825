#pragma once
// What a map holds. rqwatch distributes allow/block maps that Rspamd polls
// (issue 6): basic maps of one field, combined maps of a field and the
// recipient (checked per recipient by lua/), personal maps (combined, owned
// by one user) and custom maps of any content Rspamd's multimap reads. The
// shape of a map decides how each of its lines is validated (map_entry).

#include <optional>
#include <string_view>

namespace rqwatch {

// The content of one column of a map line.
enum class MapField {
    kEmail,     // an address: SMTP from, MIME from, recipient
    kIp,        // an IPv4/IPv6 address or CIDR range
    kDomain,    // a sender domain
    kAsn,       // an autonomous system number
    kUrl,       // a URL or host as Rspamd's url maps match it
    kText,      // a plain string (header values, subjects…)
    kRegexp,    // /pattern/flags, Rspamd's regexp map syntax
    kGlob,      // a shell-style pattern
    kKeyScore,  // "key score": a key and the score it adds
};

enum class MapScope {
    kBasic,     // one field, admin-managed
    kCombined,  // field + recipient, admin-managed
    kPersonal,  // field + recipient, owned by a user, recipient limited to their addresses
    kCustom,    // one field of any content, defined by an admin
};

struct MapShape {
    MapScope scope = MapScope::kBasic;
    MapField first = MapField::kEmail;
    // The recipient column of combined and personal maps; nothing otherwise.
    std::optional<MapField> second;
};

// A map's name becomes part of a URL (/maps/<name>.txt), a file name and a
// Rspamd symbol: 1–64 of [a-z0-9._-], starting with a letter or digit, no "..".
[[nodiscard]] bool ValidMapName(std::string_view name);

// "email", "ip", …: the names the API and the configuration use.
[[nodiscard]] std::string_view MapFieldName(MapField field);
[[nodiscard]] std::optional<MapField> ParseMapField(std::string_view name);

}  // namespace rqwatch
