#include "core/mail_filter.hpp"

#include <gtest/gtest.h>

#include "core/regex_check.hpp"

namespace rqwatch {
namespace {

MailFilter Ok(std::string_view text) {
    auto f = ParseMailFilter(text);
    EXPECT_TRUE(f) << text << ": " << (f ? "" : f.error().public_msg);
    return f.value_or(MailFilter{});
}

std::string ErrorOf(std::string_view text) {
    auto f = ParseMailFilter(text);
    EXPECT_FALSE(f) << text;
    if (f) return {};
    EXPECT_EQ(f.error().code, ErrorCode::kInvalidArgument);
    return f.error().public_msg;
}

TEST(MailFilterTest, EveryFieldAndOperatorOfTheReferenceParses) {
    // 18 fields of reference §D2; text fields take all 10 operators.
    for (std::string_view field : {"subject", "action", "ip", "mail_from", "rcpt_to", "mime_from",
                                   "mime_to", "headers", "symbols", "server", "country"}) {
        for (std::string_view op : {"eq", "ne", "contains", "not_contains", "gt", "ge", "lt", "le",
                                    "regexp", "not_regexp"}) {
            const std::string text = std::string(field) + ":" + std::string(op) + ":abc";
            const MailFilter f = Ok(text);
            EXPECT_EQ(FormatMailFilter(f), text);
        }
    }
    for (std::string_view op : {"eq", "ne", "gt", "ge", "lt", "le"}) {
        EXPECT_DOUBLE_EQ(Ok("score:" + std::string(op) + ":12.5").number, 12.5);
        EXPECT_DOUBLE_EQ(Ok("size:" + std::string(op) + ":1024").number, 1024);
    }
    EXPECT_NE(ErrorOf("size:gt:12.5").find("whole number of bytes"), std::string::npos);
    for (std::string_view field :
         {"stored", "has_virus", "released", "notified", "notification_pending"}) {
        EXPECT_TRUE(Ok(std::string(field) + ":eq:1").flag);
        EXPECT_FALSE(Ok(std::string(field) + ":ne:false").flag);
    }
    EXPECT_EQ(Ok("date:eq:2026-11-22").day_start_ms, 1'795'305'600'000);
    EXPECT_EQ(AllFieldNames().size(), 21u);  // 18 + country + symbol + symbol.NAME
    EXPECT_EQ(AllOpNames().size(), 10u);
}

TEST(MailFilterTest, ValuesKeepColonsAndBlanksAreTrimmed) {
    const MailFilter f = Ok(" ip : eq : 2001:db8::1 ");
    EXPECT_EQ(f.field, FilterField::kIp);
    EXPECT_EQ(f.value, "2001:db8::1");
    EXPECT_EQ(Ok("subject:contains:Re: hello").value, "Re: hello");
}

TEST(MailFilterTest, OldSpellingsOfOperators) {
    EXPECT_EQ(Ok("score:>=:5").op, FilterOp::kGe);
    EXPECT_EQ(Ok("score:<=:5").op, FilterOp::kLe);
    EXPECT_EQ(Ok("action:<>:reject").op, FilterOp::kNe);
    EXPECT_EQ(Ok("action:=:reject").op, FilterOp::kEq);
}

TEST(MailFilterTest, Symbols) {
    const MailFilter has = Ok("symbol:eq:BAYES_SPAM");
    EXPECT_EQ(has.field, FilterField::kSymbol);
    const MailFilter score = Ok("symbol.BAYES_SPAM:ge:3.5");
    EXPECT_EQ(score.field, FilterField::kSymbolScore);
    EXPECT_EQ(score.symbol, "BAYES_SPAM");
    EXPECT_DOUBLE_EQ(score.number, 3.5);
    EXPECT_EQ(FormatMailFilter(score), "symbol.BAYES_SPAM:ge:3.5");
    EXPECT_NE(ErrorOf("symbol:gt:X").find("symbol takes the operators eq, ne"), std::string::npos);
    EXPECT_NE(ErrorOf("symbol.A'B:ge:1").find("is not a symbol name"), std::string::npos);
    EXPECT_NE(ErrorOf("symbol.X:contains:1").find("takes the operators"), std::string::npos);
}

TEST(MailFilterTest, ClearErrors) {
    EXPECT_NE(ErrorOf("").find("FIELD:OP:VALUE"), std::string::npos);
    EXPECT_NE(ErrorOf("subject").find("FIELD:OP:VALUE"), std::string::npos);
    EXPECT_NE(ErrorOf("subjekt:eq:x").find("unknown field \"subjekt\" (fields: date, subject"),
              std::string::npos);
    EXPECT_NE(ErrorOf("subject:like:x").find("unknown operator \"like\""), std::string::npos);
    EXPECT_NE(ErrorOf("subject:eq:").find("empty"), std::string::npos);
    EXPECT_NE(ErrorOf("subject:eq:" + std::string(257, 'x')).find("longer than 256"),
              std::string::npos);
    EXPECT_NE(ErrorOf("subject:eq:\xff\xfe").find("not UTF-8"), std::string::npos);
    EXPECT_NE(ErrorOf("score:contains:5").find("score takes the operators eq, ne, gt"),
              std::string::npos);
    EXPECT_NE(ErrorOf("score:gt:five").find("score needs a number"), std::string::npos);
    EXPECT_NE(ErrorOf("score:gt:nan").find("needs a number"), std::string::npos);
    EXPECT_NE(ErrorOf("stored:gt:1").find("stored takes the operators eq, ne"), std::string::npos);
    EXPECT_NE(ErrorOf("stored:eq:maybe").find("0 or 1"), std::string::npos);
    EXPECT_NE(ErrorOf("date:eq:22.11.2026").find("YYYY-MM-DD"), std::string::npos);
    EXPECT_NE(ErrorOf("date:eq:2026-02-30").find("not a valid day"), std::string::npos);
    EXPECT_NE(ErrorOf("date:contains:2026").find("date takes the operators"), std::string::npos);
    EXPECT_NE(ErrorOf("subject:regexp:(a+)+$").find("exponential"), std::string::npos);
}

// SQL in values is just text: the parser keeps it as is (storage binds it).
TEST(MailFilterTest, SqlFragmentsAreJustValues) {
    EXPECT_EQ(Ok("subject:eq:x' OR '1'='1").value, "x' OR '1'='1");
    EXPECT_EQ(Ok("mail_from:contains:%_\\").value, "%_\\");
}

TEST(RegexCheckTest, AllowedPatterns) {
    for (std::string_view p :
         {"^invoice", "paypal\\.com$", "[0-9]{4,}", "(foo|bar)baz", "a.*b", "(?:ab)+", "\\d+\\s\\w",
          "[^a-z]", "x{3}", "[[:alpha:]]+", "a+?b", "[\\]]", "(ab)?c", "(a[bc])*"}) {
        EXPECT_TRUE(CheckSearchRegex(p)) << p;
    }
}

TEST(RegexCheckTest, RefusedPatterns) {
    for (std::string_view p :
         {"",        "(a+)+",   "(a*)*b",  "(a|aa)+", "((ab)+)*", "(.*a){20}", "(a)\\1", "(?=a)",
          "(?<n>a)", "(?i)abc", "\\bword", "a++",     "*a",       "a|*",       "(",      ")",
          "[a",      "a{2,1}",  "a{1000}", "x{a}",    "\\",       "\\q",       "a\nb"}) {
        EXPECT_FALSE(CheckSearchRegex(p)) << p;
    }
    EXPECT_FALSE(CheckSearchRegex(std::string(257, 'a')));
}

}  // namespace
}  // namespace rqwatch
