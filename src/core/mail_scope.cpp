#include "core/mail_scope.hpp"

#include <algorithm>
#include <iterator>

#include "core/mail.hpp"

namespace rqwatch {

std::string DomainScopeEntry(std::string_view domain) {
    // Appended, not "@" + string: GCC 12 at -O3 warns falsely (-Wrestrict)
    // about operator+(const char*, string&&).
    std::string entry = "@";
    entry += NormalizeAddress(domain);
    return entry;
}

bool IsDomainScopeEntry(std::string_view entry) { return entry.starts_with('@'); }

namespace {

bool RecipientInScope(const std::string& rcpt, const std::vector<std::string>& scope) {
    const std::string address = NormalizeAddress(rcpt);
    const std::string domain = DomainOf(address);
    for (const std::string& entry : scope) {
        if (IsDomainScopeEntry(entry) ? !domain.empty() && std::string_view(entry).substr(1) == domain
                                      : entry == address) {
            return true;
        }
    }
    return false;
}

}  // namespace

bool InScope(const std::vector<std::string>& recipients, const std::vector<std::string>& scope) {
    return std::any_of(recipients.begin(), recipients.end(),
                       [&](const std::string& r) { return RecipientInScope(r, scope); });
}

bool AllInScope(const std::vector<std::string>& recipients, const std::vector<std::string>& scope) {
    return !recipients.empty() &&
           std::all_of(recipients.begin(), recipients.end(),
                       [&](const std::string& r) { return RecipientInScope(r, scope); });
}

std::vector<std::string> RecipientsInScope(const std::vector<std::string>& recipients,
                                           const std::vector<std::string>& scope) {
    std::vector<std::string> out;
    std::copy_if(recipients.begin(), recipients.end(), std::back_inserter(out),
                 [&](const std::string& r) { return RecipientInScope(r, scope); });
    return out;
}

}  // namespace rqwatch
