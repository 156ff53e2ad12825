#include "core/received_relays.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/html_scan.hpp"

namespace rqwatch {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(RelayIpsTest, BracketedAddressesOfReceivedFieldsNewestFirstEachOnce) {
    const std::vector<HeaderField> fields = {
        {"Received", "from mx.example (mx.example [192.0.2.10]) by gw (Postfix)"},
        {"Subject", "see [198.51.100.1]"},  // not a Received field
        {"received", "from a (b [IPv6:2001:DB8::1]) by mx.example"},
        {"RECEIVED", "from c ([192.0.2.10]) by d"},  // again: once
        {"Received", "from localhost (localhost [127.0.0.1]) by e"},
    };
    EXPECT_THAT(RelayIps(fields), ElementsAre("192.0.2.10", "2001:db8::1", "127.0.0.1"));
}

TEST(RelayIpsTest, SkipsWhatIsNotAnAddress) {
    const std::vector<HeaderField> fields = {
        {"Received", "from [unix socket] by x"},
        {"Received", "from h ([999.1.1.1]) ([1.2.3]) ([]) ([IPv6:]) [x"},
        {"Received", "by local (Postfix, from userid 0)"},
        {"Received", "from h (h [" + std::string(100, '1') + "])"},
    };
    EXPECT_THAT(RelayIps(fields), IsEmpty());
}

TEST(RelayIpsTest, StopsAtTheLimit) {
    std::vector<HeaderField> fields;
    for (int i = 0; i < 300; ++i) {
        fields.push_back({"Received", "from x ([10.0." + std::to_string(i / 250) + "." +
                                          std::to_string(i % 250) + "])"});
    }
    EXPECT_EQ(RelayIps(fields).size(), kMaxRelays);
}

TEST(HtmlScanTest, FindsWhatABrowserWouldFetch) {
    EXPECT_TRUE(HasRemoteContent("<img src=\"http://t.example/p.gif\">"));
    EXPECT_TRUE(HasRemoteContent("<IMG SRC = 'HTTPS://t.example/p.gif'>"));
    EXPECT_TRUE(HasRemoteContent("<img src=//t.example/p.gif>"));
    EXPECT_TRUE(HasRemoteContent("<td background=\"https://t.example/bg.png\">"));
    EXPECT_TRUE(HasRemoteContent("<div style=\"background:url( 'https://t.example/x')\">"));
    EXPECT_TRUE(HasRemoteContent("<style>@import \"https://t.example/a.css\";</style>"));
    EXPECT_TRUE(HasRemoteContent("<link rel=stylesheet href=\"https://t.example/a.css\">"));
    EXPECT_TRUE(HasRemoteContent("<img srcset=\"https://t.example/a.png 2x\">"));
    EXPECT_TRUE(HasRemoteContent("<img src=&quot;https://t.example/a.png&quot;>"));
}

TEST(HtmlScanTest, LinksAndInlineDataAreNotRemoteContent) {
    EXPECT_FALSE(HasRemoteContent("<a href=\"https://example.com/\">click</a>"));
    EXPECT_FALSE(HasRemoteContent("<img src=\"data:image/png;base64,AAAA\">"));
    EXPECT_FALSE(HasRemoteContent("<img src=\"cid:part1@example\">"));
    EXPECT_FALSE(HasRemoteContent("<p>see https://example.com/ for details</p>"));
    EXPECT_FALSE(HasRemoteContent(""));
}

}  // namespace
}  // namespace rqwatch
