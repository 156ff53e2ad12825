#pragma once
// Address header value -> MailAddress conversion.

#include <cstddef>
#include <string_view>
#include <vector>

#include "core/mail.hpp"

namespace rqwatch::mime {

// Most addresses kept from one header kind; a hostile To: can list millions.
inline constexpr std::size_t kMaxAddressesPerHeader = 1000;

// Parses the raw (folded, undecoded) value of a From/To/Cc header and appends
// its mailboxes to `out`, flattening groups. Parsing the raw value ourselves
// (rather than taking GMime's parsed list) lets display names go through the
// RFC 2047 workaround in rfc2047.hpp.
void AppendAddresses(std::string_view raw_value, std::vector<MailAddress>& out);

}  // namespace rqwatch::mime
