#include "core/cidr.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace rqwatch {

std::optional<IpAddress> ParseIp(std::string_view text) {
    std::string s(text);
    if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
    IpAddress ip;
    in_addr a4{};
    if (::inet_pton(AF_INET, s.c_str(), &a4) == 1) {
        ip.v4 = true;
        ip.bytes[10] = 0xff;
        ip.bytes[11] = 0xff;
        std::memcpy(&ip.bytes[12], &a4, 4);
        return ip;
    }
    in6_addr a6{};
    if (::inet_pton(AF_INET6, s.c_str(), &a6) == 1) {
        std::memcpy(ip.bytes.data(), &a6, 16);
        static constexpr std::array<std::uint8_t, 12> kMapped{0, 0, 0, 0, 0,    0,
                                                              0, 0, 0, 0, 0xff, 0xff};
        ip.v4 = std::equal(kMapped.begin(), kMapped.end(), ip.bytes.begin());
        return ip;
    }
    return std::nullopt;
}

std::optional<Cidr> ParseCidr(std::string_view text) {
    const auto slash = text.find('/');
    auto ip = ParseIp(text.substr(0, slash));
    if (!ip) return std::nullopt;
    // Written in IPv6 notation ("::ffff:10.0.0.0/104"), the prefix counts 128 bits
    // even when the address is IPv4-mapped.
    const bool v6_notation = text.substr(0, slash).find(':') != std::string_view::npos;
    const bool v4_prefix = ip->v4 && !v6_notation;
    const int max_bits = v4_prefix ? 32 : 128;
    int bits = max_bits;
    if (slash != std::string_view::npos) {
        std::string_view p = text.substr(slash + 1);
        auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), bits);
        if (ec != std::errc{} || end != p.data() + p.size() || p.empty() || bits < 0 ||
            bits > max_bits) {
            return std::nullopt;
        }
    }
    Cidr c{*ip, v4_prefix ? bits + 96 : bits};
    // Clear host bits so that "10.1.2.3/8" means 10.0.0.0/8.
    for (int i = c.prefix; i < 128; ++i)
        c.net.bytes[i / 8] &= static_cast<std::uint8_t>(~(0x80 >> (i % 8)));
    return c;
}

std::string FormatCidr(const Cidr& range) {
    char buf[INET6_ADDRSTRLEN] = {};
    const bool dotted = range.net.v4 && range.prefix >= 96;
    if (dotted) {
        ::inet_ntop(AF_INET, &range.net.bytes[12], buf, sizeof buf);
    } else {
        ::inet_ntop(AF_INET6, range.net.bytes.data(), buf, sizeof buf);
    }
    std::string out(buf);
    if (range.prefix < 128) {
        out += '/';
        out += std::to_string(dotted ? range.prefix - 96 : range.prefix);
    }
    return out;
}

bool CidrContains(const Cidr& range, const IpAddress& ip) {
    for (int i = 0; i < range.prefix; ++i) {
        const std::uint8_t mask = static_cast<std::uint8_t>(0x80 >> (i % 8));
        if ((range.net.bytes[i / 8] & mask) != (ip.bytes[i / 8] & mask)) return false;
    }
    return true;
}

bool AnyContains(const std::vector<Cidr>& ranges, const IpAddress& ip) {
    for (const auto& r : ranges) {
        if (CidrContains(r, ip)) return true;
    }
    return false;
}

}  // namespace rqwatch
