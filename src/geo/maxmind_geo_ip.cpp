#include "geo/maxmind_geo_ip.hpp"

#include <fmt/format.h>

#include <vector>

#include "core/cidr.hpp"

namespace rqwatch::geo {
namespace {

// Addresses no GeoIP database should be asked about (reference J1); the
// documentation ranges stay, so that tests can use them.
bool IsLocal(const IpAddress& ip) {
    static const std::vector<Cidr> kLocal = [] {
        std::vector<Cidr> out;
        for (const char* net : {"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8",
                                "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3",
                                "::/127", "fc00::/7", "fe80::/10", "ff00::/8"}) {
            out.push_back(*ParseCidr(net));
        }
        return out;
    }();
    return AnyContains(kLocal, ip);
}

}  // namespace

Result<std::unique_ptr<MaxmindGeoIp>> MaxmindGeoIp::Open(const std::string& path) {
    std::unique_ptr<MaxmindGeoIp> geo(new MaxmindGeoIp());
    const int status = MMDB_open(path.c_str(), MMDB_MODE_MMAP, &geo->db_);
    if (status != MMDB_SUCCESS) {
        geo->db_ = MMDB_s{};
        return Fail(ErrorCode::kInvalidArgument,
                    fmt::format("cannot open GeoIP database {}: {}", path, MMDB_strerror(status)));
    }
    return geo;
}

MaxmindGeoIp::~MaxmindGeoIp() {
    if (db_.filename != nullptr) MMDB_close(&db_);
}

std::string MaxmindGeoIp::CountryOf(std::string_view ip) const {
    const auto parsed = ParseIp(ip);
    if (!parsed || IsLocal(*parsed)) return {};
    // An IPv4-mapped address (::ffff:a.b.c.d) is looked up as IPv4: not
    // every database aliases the mapped range.
    const std::string text = parsed->v4
                                 ? fmt::format("{}.{}.{}.{}", parsed->bytes[12], parsed->bytes[13],
                                               parsed->bytes[14], parsed->bytes[15])
                                 : std::string(ip);
    int gai_error = 0;
    int mmdb_error = 0;
    MMDB_lookup_result_s found = MMDB_lookup_string(&db_, text.c_str(), &gai_error, &mmdb_error);
    if (gai_error != 0 || mmdb_error != MMDB_SUCCESS || !found.found_entry) return {};
    MMDB_entry_data_s data{};
    if (MMDB_get_value(&found.entry, &data, "country", "iso_code", nullptr) != MMDB_SUCCESS ||
        !data.has_data || data.type != MMDB_DATA_TYPE_UTF8_STRING || data.data_size != 2) {
        return {};
    }
    return std::string(data.utf8_string, data.data_size);
}

}  // namespace rqwatch::geo
