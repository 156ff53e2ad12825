#pragma once
// Whose mail a non-admin sees: a list of entries, each an address (a
// user's email and aliases: mail with that recipient) or "@domain" (a
// domain admin's domains: mail with any recipient in that domain). All
// lower case. An empty list sees nothing. The SQL form of the same test is
// storage's SearchSql::AddScope; this one checks a single mail.

#include <string>
#include <string_view>
#include <vector>

namespace rqwatch {

// The scope entry of a domain admin's domain.
[[nodiscard]] std::string DomainScopeEntry(std::string_view domain);
[[nodiscard]] bool IsDomainScopeEntry(std::string_view entry);

// True when one of `recipients` (as stored or as sent) is in `scope`.
[[nodiscard]] bool InScope(const std::vector<std::string>& recipients,
                           const std::vector<std::string>& scope);
// True when there are recipients and every one of them is in `scope`: the
// mail concerns nobody else.
[[nodiscard]] bool AllInScope(const std::vector<std::string>& recipients,
                              const std::vector<std::string>& scope);
// The recipients in `scope`, in their order: what a non-admin may see of a
// mail's envelope. The others may be Bcc recipients, or just other
// people's addresses, and are nobody else's business.
[[nodiscard]] std::vector<std::string> RecipientsInScope(const std::vector<std::string>& recipients,
                                                         const std::vector<std::string>& scope);

}  // namespace rqwatch
