#include "core/received_relays.hpp"

#include <algorithm>
#include <string_view>

#include "core/cidr.hpp"
#include "util/ascii.hpp"

namespace rqwatch {

std::vector<std::string> RelayIps(const std::vector<HeaderField>& fields) {
    std::vector<std::string> out;
    for (const HeaderField& field : fields) {
        if (!util::AsciiIEquals(field.name, "received")) continue;
        std::string_view value = field.value;
        for (std::size_t open = value.find('['); open != std::string_view::npos;
             open = value.find('[', open + 1)) {
            const std::size_t close = value.find(']', open + 1);
            if (close == std::string_view::npos) break;
            std::string ip = util::AsciiLower(value.substr(open + 1, close - open - 1));
            if (ip.starts_with("ipv6:")) ip.erase(0, 5);
            if (ip.empty() || ip.size() > 45 || !ParseIp(ip)) continue;
            if (std::find(out.begin(), out.end(), ip) != out.end()) continue;
            out.push_back(std::move(ip));
            if (out.size() >= kMaxRelays) return out;
        }
    }
    return out;
}

}  // namespace rqwatch
