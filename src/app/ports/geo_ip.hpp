#pragma once
// Port: the country of an IP address (GeoIP). Implemented with libmaxminddb
// in geo/.

#include <string>
#include <string_view>

namespace rqwatch::app {

class GeoIp {
  public:
    virtual ~GeoIp() = default;
    // ISO 3166-1 alpha-2 code ("DE"), or "" when unknown, not an address,
    // or a private, loopback, link-local, shared or multicast one (reference J1).
    [[nodiscard]] virtual std::string CountryOf(std::string_view ip) const = 0;
};

}  // namespace rqwatch::app
