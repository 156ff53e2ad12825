#include "core/store_policy.hpp"

#include <array>

namespace rqwatch {

bool IsKnownAction(const std::string& action) {
    static constexpr std::array<std::string_view, 7> kKnown = {
        "no action",   "greylist", "add header", "rewrite subject",
        "soft reject", "reject",   "discard"};
    for (auto k : kKnown) {
        if (k == action) return true;
    }
    return false;
}

StoreDecision DecideStore(const StorePolicy& policy, const std::string& action,
                          const std::vector<Symbol>& symbols) {
    StoreDecision d;
    for (const auto& s : symbols) {
        bool in_group = policy.virus_groups.contains(s.group);
        for (const auto& g : s.groups) in_group = in_group || policy.virus_groups.contains(g);
        if (in_group) {
            d.has_virus = true;
            d.virus = s.options.empty() ? s.name : s.options.front();
            break;
        }
    }
    d.store = policy.actions.contains(action) || (d.has_virus && policy.viruses) ||
              (!IsKnownAction(action) && policy.unknown_actions);
    return d;
}

}  // namespace rqwatch
