#pragma once
// Escaping of untrusted text (a login, a value from the directory) before it
// becomes part of an LDAP search filter or a DN, so that it can only ever be
// one attribute value, never filter or DN syntax.

#include <string>
#include <string_view>

namespace rqwatch::auth {

// RFC 4515 (search filter) value: `*`, `(`, `)`, `\`, NUL, every other
// control byte and every byte >= 0x80 become `\xx` (two lower-case hex
// digits). The server decodes the bytes back, so a UTF-8 login still matches.
// "*)(uid=*" becomes "\2a\29\28uid=\2a".
[[nodiscard]] std::string EscapeFilterValue(std::string_view value);

// RFC 4514 (DN) attribute value: a leading space or `#` and a trailing space,
// and `"`, `+`, `,`, `;`, `<`, `>`, `\`, `=` anywhere are prefixed with `\`;
// NUL and other control bytes become `\xx`. UTF-8 stays as it is (RFC 4514
// strings are UTF-8).
[[nodiscard]] std::string EscapeDnValue(std::string_view value);

}  // namespace rqwatch::auth
