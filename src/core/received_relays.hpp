#pragma once
// The relays a mail passed through, from its Received: header fields.

#include <cstddef>
#include <string>
#include <vector>

#include "core/mail_content.hpp"

namespace rqwatch {

// Hops beyond this are not shown; a forged header block can hold thousands.
inline constexpr std::size_t kMaxRelays = 50;

// The IP address literals in brackets ("[192.0.2.1]", "[IPv6:2001:db8::1]")
// of the Received fields, newest hop first, each once, as the address
// without brackets or "IPv6:" prefix, lower case. Anything in brackets that
// is not an IP address (host names, "[unix socket]") is skipped. These are
// claims of the hops, forgeable below the first trusted one.
[[nodiscard]] std::vector<std::string> RelayIps(const std::vector<HeaderField>& fields);

}  // namespace rqwatch
