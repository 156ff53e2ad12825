#pragma once
// IPv4/IPv6 CIDR ranges for allow-lists. IPv4-mapped IPv6 addresses
// (::ffff:a.b.c.d, what a dual-stack socket reports) match IPv4 ranges.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rqwatch {

struct IpAddress {
    std::array<std::uint8_t, 16> bytes{};  // IPv4 stored as ::ffff:a.b.c.d
    bool v4 = false;
};

struct Cidr {
    IpAddress net;
    int prefix = 0;  // in bits of the 128-bit form
};

[[nodiscard]] std::optional<IpAddress> ParseIp(std::string_view text);
// "10.0.0.0/8", "2001:db8::/32", or a bare address (a /32 or /128).
[[nodiscard]] std::optional<Cidr> ParseCidr(std::string_view text);
// The one spelling of a range: host bits cleared, IPv6 compressed and
// lower-case (RFC 5952, as inet_ntop and Rspamd print it), IPv4 and
// IPv4-mapped IPv6 as dotted quads, and no "/32" or "/128" on a single
// address. Map entries are stored this way so that the exact string Rspamd
// builds from a connection's address finds them.
[[nodiscard]] std::string FormatCidr(const Cidr& range);
[[nodiscard]] bool CidrContains(const Cidr& range, const IpAddress& ip);
[[nodiscard]] bool AnyContains(const std::vector<Cidr>& ranges, const IpAddress& ip);

}  // namespace rqwatch
