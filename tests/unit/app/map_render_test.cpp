#include <gtest/gtest.h>

#include "app/map_publisher.hpp"
#include "app/rspamd_map_config.hpp"

namespace rqwatch::app {
namespace {

MapInfo Info(std::string name, MapScope scope, MapField field, MapListKind kind) {
    MapInfo m;
    m.name = std::move(name);
    m.shape.scope = scope;
    m.shape.first = field;
    if (scope == MapScope::kCombined || scope == MapScope::kPersonal) {
        m.shape.second = MapField::kEmail;
    }
    m.kind = kind;
    return m;
}

MapEntry Entry(std::string value, std::string second = {}) {
    MapEntry e;
    e.value = std::move(value);
    e.second = std::move(second);
    return e;
}

TEST(RenderMap, OneLinePerEntryAndNeverEmpty) {
    const auto basic = Info("ip_block", MapScope::kBasic, MapField::kIp, MapListKind::kBlock);
    EXPECT_EQ(RenderMap(basic, {Entry("192.0.2.1"), Entry("2001:db8::/32")}),
              "192.0.2.1\n2001:db8::/32\n");
    const std::string empty = RenderMap(basic, {});
    EXPECT_FALSE(empty.empty());
    EXPECT_EQ(empty.front(), '#');
    EXPECT_EQ(empty.back(), '\n');
    const auto pair = Info("smtp_from_rcpt_allow", MapScope::kCombined, MapField::kEmail,
                           MapListKind::kAllow);
    EXPECT_EQ(RenderMap(pair, {Entry("a@x.org", "r@y.org")}), "a@x.org|r@y.org\n");
    const auto scores = Info("scores", MapScope::kCustom, MapField::kKeyScore, MapListKind::kCustom);
    EXPECT_EQ(RenderMap(scores, {Entry("key 2.5")}), "key 2.5\n");
}

TEST(MapEtag, FollowsTheBody) {
    EXPECT_EQ(MapEtag("a\n"), MapEtag("a\n"));
    EXPECT_NE(MapEtag("a\n"), MapEtag("b\n"));
    const std::string tag = MapEtag("");
    EXPECT_EQ(tag.front(), '"');
    EXPECT_EQ(tag.back(), '"');
}

TEST(RspamdMapConfig, MultimapRulesAndLuaSection) {
    std::vector<MapInfo> maps = {
        Info("smtp_from_block", MapScope::kBasic, MapField::kEmail, MapListKind::kBlock),
        Info("mime_from_allow", MapScope::kBasic, MapField::kEmail, MapListKind::kAllow),
        Info("ip_allow", MapScope::kBasic, MapField::kIp, MapListKind::kAllow),
        Info("smtp_from_rcpt_block", MapScope::kCombined, MapField::kEmail, MapListKind::kBlock),
        Info("personal_mime_from_rcpt_allow", MapScope::kPersonal, MapField::kEmail,
             MapListKind::kAllow),
        Info("notes", MapScope::kCustom, MapField::kText, MapListKind::kCustom),
        Info("bad.asn", MapScope::kCustom, MapField::kAsn, MapListKind::kCustom),
    };
    const auto conf = MakeRspamdMapConfig(
        maps, RspamdMapConfigOptions{.base_url = "http://127.0.0.1:8480/",
                                     .lua_path = "/x/rqwatch_maps.lua",
                                     .poll_seconds = 3,
                                     .username = "rspamd",
                                     .password = "p@ss"});
    EXPECT_NE(conf.multimap.find("RQWATCH_SMTP_FROM_BLOCK {\n  type = \"from\"; filter = "
                                 "\"email:addr\";\n  map = { url = "
                                 "\"http://rspamd:p%40ss@127.0.0.1:8480/maps/smtp_from_block.txt\"; "
                                 "poll = 3; };\n  score = 20.0;"),
              std::string::npos)
        << conf.multimap;
    EXPECT_NE(conf.multimap.find("selector = \"from('mime'):addr.lower\""), std::string::npos);
    EXPECT_NE(conf.multimap.find("RQWATCH_IP_ALLOW {\n  type = \"ip\";"), std::string::npos);
    EXPECT_NE(conf.multimap.find("# notes: field text has no multimap type"), std::string::npos);
    EXPECT_NE(conf.multimap.find("RQWATCH_BAD_ASN {\n  type = \"asn\";"), std::string::npos);
    // 3.4 knows neither of these.
    EXPECT_EQ(conf.multimap.find("extract_from"), std::string::npos);
    EXPECT_EQ(conf.multimap.find("prefilter"), std::string::npos);
    EXPECT_EQ(conf.multimap.find("rcpt_block"), std::string::npos);
    EXPECT_NE(conf.lua.find("name = \"smtp_from_rcpt_block\"; url = "
                            "\"http://rspamd:p%40ss@127.0.0.1:8480/maps/smtp_from_rcpt_block.txt\"; "
                            "field = \"smtp_from\"; score = 20.0;"),
              std::string::npos)
        << conf.lua;
    EXPECT_NE(conf.lua.find("field = \"mime_from\"; score = -20.0;"), std::string::npos);
    EXPECT_NE(conf.lua.find("lua = \"/x/rqwatch_maps.lua\";"), std::string::npos);
    EXPECT_EQ(MapSymbol("bad.subjects-1"), "RQWATCH_BAD_SUBJECTS_1");
}

}  // namespace
}  // namespace rqwatch::app
