#include "core/mail_scope.hpp"

#include <gtest/gtest.h>

namespace rqwatch {
namespace {

using V = std::vector<std::string>;

TEST(MailScope, AddressesMatchWholeNormalisedRecipients) {
    EXPECT_TRUE(InScope(V{"<Alice@Example.ORG>"}, V{"alice@example.org"}));
    EXPECT_TRUE(InScope(V{"bob@example.org", "alice@example.org"}, V{"alice@example.org"}));
    EXPECT_FALSE(InScope(V{"malice@example.org"}, V{"alice@example.org"}));
    EXPECT_FALSE(InScope(V{"alice@example.org.evil"}, V{"alice@example.org"}));
    EXPECT_FALSE(InScope(V{"alice@example.org"}, V{}));
    EXPECT_FALSE(InScope(V{}, V{"alice@example.org"}));
}

TEST(MailScope, DomainsMatchTheRecipientsDomainOnly) {
    const V scope{DomainScopeEntry("Example.ORG")};
    EXPECT_EQ(scope[0], "@example.org");
    EXPECT_TRUE(IsDomainScopeEntry(scope[0]));
    EXPECT_FALSE(IsDomainScopeEntry("alice@example.org"));
    EXPECT_TRUE(InScope(V{"anyone@EXAMPLE.org"}, scope));
    EXPECT_FALSE(InScope(V{"anyone@sub.example.org"}, scope));  // not a subdomain
    EXPECT_FALSE(InScope(V{"anyone@badexample.org"}, scope));
    EXPECT_FALSE(InScope(V{"example.org"}, scope));  // no '@': no domain
    EXPECT_FALSE(InScope(V{"x@example.org@evil.example"}, scope));  // the last '@' counts
    EXPECT_TRUE(InScope(V{"x@other.example", "y@example.org"}, V{"x@elsewhere", "@example.org"}));
}

}  // namespace
}  // namespace rqwatch

namespace rqwatch {
namespace {

TEST(AllInScopeTest, EveryRecipientMustBeInTheScope) {
    const std::vector<std::string> scope = {"alice@example.com", "@sales.example"};
    EXPECT_TRUE(AllInScope({"Alice@Example.com"}, scope));
    EXPECT_TRUE(AllInScope({"alice@example.com", "bob@sales.example"}, scope));
    EXPECT_FALSE(AllInScope({"alice@example.com", "carol@example.com"}, scope));
    EXPECT_FALSE(AllInScope({}, scope));
    EXPECT_FALSE(AllInScope({"alice@example.com"}, {}));
}

TEST(RecipientsInScopeTest, KeepsOnlyTheUsersOwnRecipientsInOrder) {
    const std::vector<std::string> scope = {"alice@example.com", "@sales.example"};
    EXPECT_EQ(RecipientsInScope({"bcc@else.example", "Alice@Example.com", "bob@sales.example",
                                 "carol@example.com"},
                                scope),
              (std::vector<std::string>{"Alice@Example.com", "bob@sales.example"}));
    EXPECT_TRUE(RecipientsInScope({"bob@example.com"}, scope).empty());
    EXPECT_TRUE(RecipientsInScope({"alice@example.com"}, {}).empty());
}

}  // namespace
}  // namespace rqwatch
