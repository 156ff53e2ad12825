#pragma once
// Which raw mails the quarantine keeps. Metadata is always kept; the raw mail
// depends on the action (defaults as the old Rqwatch: reject, discard, add
// header, rewrite subject) and is always kept when an antivirus symbol fired.

#include <set>
#include <string>
#include <vector>

#include "core/mail.hpp"

namespace rqwatch {

struct StorePolicy {
    std::set<std::string> actions;
    bool viruses = true;
    std::set<std::string> virus_groups{"antivirus"};
    bool unknown_actions = true;
};

struct StoreDecision {
    bool store = false;
    bool has_virus = false;
    std::string virus;  // first option of the virus symbol (the virus name), else the symbol name
};

// Actions Rspamd knows; anything else is "unknown" (custom actions, typos upstream).
[[nodiscard]] bool IsKnownAction(const std::string& action);

[[nodiscard]] StoreDecision DecideStore(const StorePolicy& policy, const std::string& action,
                                        const std::vector<Symbol>& symbols);

}  // namespace rqwatch
