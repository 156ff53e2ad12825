#include "core/mail_scope.hpp"

#include <algorithm>

#include "core/mail.hpp"

namespace rqwatch {

std::string DomainScopeEntry(std::string_view domain) { return "@" + NormalizeAddress(domain); }

bool IsDomainScopeEntry(std::string_view entry) { return entry.starts_with('@'); }

bool InScope(const std::vector<std::string>& recipients, const std::vector<std::string>& scope) {
    for (const std::string& rcpt : recipients) {
        const std::string address = NormalizeAddress(rcpt);
        const std::string domain = DomainOf(address);
        for (const std::string& entry : scope) {
            if (IsDomainScopeEntry(entry) ? !domain.empty() && entry.substr(1) == domain
                                          : entry == address) {
                return true;
            }
        }
    }
    return false;
}

}  // namespace rqwatch
