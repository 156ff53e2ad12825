#include "storage/mail_json.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

namespace rqwatch::storage {
namespace {

TEST(MailJsonTest, SymbolsRoundTripWithEscapes) {
    const std::vector<Symbol> symbols = {
        Symbol{"A\"quote\\slash", 0.1, "g\n\t", {"x", "y\x01"}, {"opt \"1\"", "日本語 ✉️"}},
        Symbol{"B", -12345.678901234567, "", {}, {}},
    };
    const std::string text = SymbolsJsonText(symbols);
    // Valid JSON for any other reader too.
    EXPECT_TRUE(nlohmann::json::accept(text)) << text;
    auto back = SymbolsFromJson(text);
    ASSERT_TRUE(back) << back.error().detail;
    ASSERT_EQ(back->size(), 2u);
    EXPECT_EQ((*back)[0].name, symbols[0].name);
    EXPECT_EQ((*back)[0].score, symbols[0].score);
    EXPECT_EQ((*back)[0].group, symbols[0].group);
    EXPECT_EQ((*back)[0].groups, symbols[0].groups);
    EXPECT_EQ((*back)[0].options, symbols[0].options);
    EXPECT_EQ((*back)[1].score, symbols[1].score);  // exact: shortest round-trip format
}

TEST(MailJsonTest, InvalidUtf8AndNonFiniteScores) {
    const std::vector<Symbol> symbols = {
        Symbol{"X\xC0\xAF", std::numeric_limits<double>::quiet_NaN(), "\xED\xA0\x80", {}, {}},
        Symbol{"Y", std::numeric_limits<double>::infinity(), "", {}, {"\xF4\x90\x80\x80"}},
    };
    auto back = SymbolsFromJson(SymbolsJsonText(symbols));
    ASSERT_TRUE(back) << back.error().detail;
    EXPECT_EQ((*back)[0].name, "X\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong: two bad bytes
    EXPECT_EQ((*back)[0].score, 0.0);
    EXPECT_EQ((*back)[0].group, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
    EXPECT_EQ((*back)[1].score, 0.0);
    EXPECT_EQ((*back)[1].options.at(0),
              "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // above U+10FFFF
}

TEST(MailJsonTest, AddressesAndAttachmentsRoundTrip) {
    const std::vector<MailAddress> addresses = {{"Ünïcode, \"Name\"", "a@example.com"}, {"", ""}};
    auto a = AddressesFromJson(AddressesToJson(addresses));
    ASSERT_TRUE(a);
    ASSERT_EQ(a->size(), 2u);
    EXPECT_EQ((*a)[0].name, addresses[0].name);
    EXPECT_EQ((*a)[0].address, addresses[0].address);

    const std::vector<Attachment> attachments = {
        {"März.pdf", "application/pdf", std::numeric_limits<std::uint64_t>::max()}};
    auto b = AttachmentsFromJson(AttachmentsToJson(attachments));
    ASSERT_TRUE(b);
    ASSERT_EQ(b->size(), 1u);
    EXPECT_EQ((*b)[0].filename, "März.pdf");
    EXPECT_EQ((*b)[0].size, attachments[0].size);

    EXPECT_EQ(AddressesToJson({}), "[]");
    EXPECT_EQ(SymbolsJsonText({}), "[]");
}

TEST(MailJsonTest, MalformedInputIsInternalError) {
    for (const char* bad : {"", "{", "{}", "[1]", "[{\"name\": 5}]"}) {
        auto r = SymbolsFromJson(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, ErrorCode::kInternal);
    }
}

}  // namespace
}  // namespace rqwatch::storage
