#pragma once
// app::GeoIp on a MaxMind DB file (GeoLite2/GeoIP2 Country or City, or any
// database with country.iso_code), read with libmaxminddb (memory-mapped;
// lookups are thread-safe).

#include <maxminddb.h>

#include <memory>
#include <string>

#include "app/ports/geo_ip.hpp"
#include "core/error.hpp"

namespace rqwatch::geo {

class MaxmindGeoIp final : public app::GeoIp {
  public:
    // kInvalidArgument naming the file and libmaxminddb's reason.
    [[nodiscard]] static Result<std::unique_ptr<MaxmindGeoIp>> Open(const std::string& path);
    ~MaxmindGeoIp() override;
    MaxmindGeoIp(const MaxmindGeoIp&) = delete;
    MaxmindGeoIp& operator=(const MaxmindGeoIp&) = delete;

    [[nodiscard]] std::string CountryOf(std::string_view ip) const override;

  private:
    MaxmindGeoIp() = default;
    mutable MMDB_s db_{};
};

}  // namespace rqwatch::geo
