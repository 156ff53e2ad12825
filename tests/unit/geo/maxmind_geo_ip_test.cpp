#include "geo/maxmind_geo_ip.hpp"

#include <gtest/gtest.h>

namespace rqwatch::geo {
namespace {

// tests/fixtures/geoip/rqwatch-test-country.mmdb (see make-test-country-db.pl
// beside it): 192.0.2.0/24 DE, 198.51.100.0/24 FR, 203.0.113.0/24 JP, 2001:db8::/32 NL.
const std::string kDb = std::string(RQWATCH_FIXTURES) + "/geoip/rqwatch-test-country.mmdb";

TEST(MaxmindGeoIpTest, CountriesOfV4AndV6) {
    auto geo = MaxmindGeoIp::Open(kDb);
    ASSERT_TRUE(geo) << geo.error().public_msg;
    EXPECT_EQ((*geo)->CountryOf("192.0.2.77"), "DE");
    EXPECT_EQ((*geo)->CountryOf("198.51.100.7"), "FR");
    EXPECT_EQ((*geo)->CountryOf("203.0.113.254"), "JP");
    EXPECT_EQ((*geo)->CountryOf("2001:db8::25"), "NL");
    EXPECT_EQ((*geo)->CountryOf("::ffff:198.51.100.7"), "FR");
}

TEST(MaxmindGeoIpTest, UnknownLocalAndGarbageGiveNothing) {
    auto geo = MaxmindGeoIp::Open(kDb);
    ASSERT_TRUE(geo);
    for (const char* ip :
         {"8.8.8.8", "10.1.2.3", "127.0.0.1", "192.168.1.1", "169.254.0.1", "::1", "fe80::1", "",
          "unknown", "999.1.1.1", "1.2.3.4/24", "198.51.100.7\n", "'; DROP TABLE mails; --"}) {
        EXPECT_EQ((*geo)->CountryOf(ip), "") << ip;
    }
}

TEST(MaxmindGeoIpTest, MissingOrBrokenFileIsAClearError) {
    auto missing = MaxmindGeoIp::Open("/nonexistent/country.mmdb");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::kInvalidArgument);
    EXPECT_NE(missing.error().public_msg.find("/nonexistent/country.mmdb"), std::string::npos);
    auto not_a_db =
        MaxmindGeoIp::Open(std::string(RQWATCH_FIXTURES) + "/geoip/make-test-country-db.pl");
    ASSERT_FALSE(not_a_db);
    EXPECT_NE(not_a_db.error().public_msg.find("cannot open GeoIP database"), std::string::npos);
}

}  // namespace
}  // namespace rqwatch::geo
