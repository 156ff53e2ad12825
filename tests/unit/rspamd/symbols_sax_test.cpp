// The SAX parser of X-Rspamd-symbols must agree with the DOM path
// (MetadataFromJson, which Rspamd's "json"/"multipart" shapes use).
#include "rspamd/symbols_sax.hpp"

#include <gtest/gtest.h>

#include "rspamd/ingest_metadata.hpp"

namespace rqwatch::rspamd {
namespace {

std::vector<Symbol> ViaDom(const std::string& symbols) {
    auto m = MetadataFromJson(R"({"action":"reject","score":1,"symbols":)" + symbols + "}");
    EXPECT_TRUE(m.has_value()) << symbols;
    return m ? m->symbols : std::vector<Symbol>{};
}

void ExpectSame(const std::vector<Symbol>& a, const std::vector<Symbol>& b) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        EXPECT_EQ(a[i].name, b[i].name);
        EXPECT_DOUBLE_EQ(a[i].score, b[i].score);
        EXPECT_EQ(a[i].group, b[i].group);
        EXPECT_EQ(a[i].groups, b[i].groups);
        EXPECT_EQ(a[i].options, b[i].options);
    }
}

TEST(SymbolsSaxTest, AgreesWithDomOnWhatRspamdSends) {
    for (
        const std::string& text : std::vector<std::string>{
            std::string(
                R"([{"name":"DATE_IN_PAST","score":1,"group":"headers","groups":["headers"],"options":["9042"]}])"),
            std::string(
                R"([{"score":-0.100000,"groups":["headers","x"],"name":"R_DKIM_NA","group":"headers"},)"
                R"({"name":"CLAM_VIRUS","score":5,"group":"antivirus","options":["Eicar-Test-Signature"]}])"),
            std::string(
                R"([{"name":"N","score":"2.5","options":[1,2.5,"x",""],"metric":{"a":[1,{"b":2}]}}])"),
            std::string(R"([{"name":"G","score":0,"groups":"one","options":"single"}])"),
            std::string(R"([{"name":"unknown","score":3}, {"name":"Grüße ✓","score":1e2}])"),
            std::string("[]"),
        }) {
        auto fast = ParseSymbolArray(text);
        ASSERT_TRUE(fast.has_value()) << text;
        ASSERT_TRUE(fast->has_value()) << text << ": " << (*fast).error().public_msg;
        ExpectSame(**fast, ViaDom(text));
    }
}

TEST(SymbolsSaxTest, EntriesMustBeNamedObjects) {
    for (const std::string& text : std::vector<std::string>{
             "[1]", "[\"x\"]", "[[]]", "[{\"score\":1}]", "[{\"name\":\"\"}]",
             "[{\"name\":\"A\",\"score\":\"abc\"}]", "[{", "[{\"name\":\"A\"},]"}) {
        auto fast = ParseSymbolArray(text);
        ASSERT_TRUE(fast.has_value()) << text;
        ASSERT_FALSE(fast->has_value()) << text;
        EXPECT_EQ(fast->error().code, ErrorCode::kInvalidArgument) << text;
    }
}

TEST(SymbolsSaxTest, NonArraysAreLeftToTheDomPath) {
    EXPECT_FALSE(ParseSymbolArray(R"({"A":{"score":1}})").has_value());
    EXPECT_FALSE(ParseSymbolArray(R"("x")").has_value());
    EXPECT_FALSE(ParseSymbolArray("3").has_value());
}

}  // namespace
}  // namespace rqwatch::rspamd
