#include "http/form_data.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace rqwatch::http {
namespace {

using ::testing::HasSubstr;
using namespace std::string_literals;

const std::string kBoundary = "----rqwatchBoundary7MA4YWxk";
const std::string kMetadata = R"({"action":"reject","score":20.9,"rcpt":["r1@example.net"]})";

// A mail with CRLF line ends, "--" sequences, an inner MIME boundary, a
// signature separator, the outer boundary in the middle of a line, a line
// starting with a prefix of the delimiter, NUL and 8-bit bytes, and no final
// line break.
const std::string kMessage =
    "From: Alice <alice@example.org>\r\n"
    "Subject: -- not a boundary --\r\n"
    "Content-Type: multipart/mixed; boundary=\"inner--b\"\r\n"
    "\r\n"
    "--inner--b\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "\r\n"
    "Gr\xc3\xbc\xc3\x9f"
    "e -- with -- dashes\r\n"
    "------rqwatchBoundary7MA4YWx\r\n"
    "text ------rqwatchBoundary7MA4YWxk in the middle of a line\r\n"
    "\r\n"
    "-- \r\n"
    "sig\r\n"
    "--inner--b--\r\n"
    "\r\n"
    "\x00\xff binary tail"s;

std::string CrlfBody(const std::string& message) {
    return "preamble is ignored\r\n"
           "--" +
           kBoundary +
           "\r\n"
           "Content-Disposition: form-data; name=\"metadata\"\r\n"
           "Content-Type: application/json\r\n"
           "\r\n" +
           kMetadata +
           "\r\n"
           "--" +
           kBoundary +
           "\r\n"
           "Content-Disposition: form-data; name=\"message\"; filename=\"message.eml\"\r\n"
           "Content-Type: message/rfc822\r\n"
           "\r\n" +
           message +
           "\r\n"
           "--" +
           kBoundary +
           "--\r\n"
           "epilogue is ignored\r\n";
}

TEST(ParseFormDataTest, CrlfBodyWithMessageBytesKept) {
    const std::string body = CrlfBody(kMessage);
    auto parts = ParseFormData(kBoundary, body);
    ASSERT_TRUE(parts.has_value()) << parts.error().public_msg;
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].name, "metadata");
    EXPECT_EQ((*parts)[0].filename, "");
    EXPECT_EQ((*parts)[0].data, kMetadata);
    EXPECT_EQ((*parts)[1].name, "message");
    EXPECT_EQ((*parts)[1].filename, "message.eml");
    EXPECT_EQ((*parts)[1].data.size(), kMessage.size());
    EXPECT_EQ((*parts)[1].data, kMessage);
    // Views into the body, not copies.
    EXPECT_GE((*parts)[1].data.data(), body.data());
    EXPECT_LE((*parts)[1].data.data() + (*parts)[1].data.size(), body.data() + body.size());
}

TEST(ParseFormDataTest, MessageEndingInLineBreaksKeepsThem) {
    const std::string message = "Subject: x\r\n\r\nbody\r\n\r\n";
    const std::string body_parts = CrlfBody(message);
    auto parts = ParseFormData(kBoundary, body_parts);
    ASSERT_TRUE(parts.has_value()) << parts.error().public_msg;
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[1].data, message);
}

TEST(ParseFormDataTest, EmptyPart) {
    const std::string body_parts = CrlfBody("");
    auto parts = ParseFormData(kBoundary, body_parts);
    ASSERT_TRUE(parts.has_value()) << parts.error().public_msg;
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[1].data, "");
}

// Regression test of a fixed bug; before the fix (src/http/form_data.cpp, ParseFormData): a line
// inside a part that merely STARTS with "--" + boundary (here "--<boundary>-fake") is taken as a
// delimiter. RFC 2046 §5.1.1 only allows transport padding (spaces/tabs)
// and CRLF, or "--", after the boundary on a delimiter line, so the message
// part is cut short (and the rest is parsed as a bogus part).
TEST(ParseFormDataTest, LineStartingWithDelimiterPlusTextIsData) {
    const std::string message = "Subject: x\r\n\r\n--" + kBoundary + "-fake line\r\nmore\r\n";
    const std::string body_parts = CrlfBody(message);
    auto parts = ParseFormData(kBoundary, body_parts);
    ASSERT_TRUE(parts.has_value()) << parts.error().public_msg;
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[1].data, message);
}

TEST(ParseFormDataTest, LfOnlyBody) {
    const std::string message = "Subject: lf\n\n-- \nline -- two\n--ab\n-abc\n";
    const std::string body =
        "--abc\n"
        "Content-Disposition: form-data; name=\"metadata\"\n"
        "\n"
        "{}\n"
        "--abc\n"
        "content-disposition: form-data; name=message; filename=m.eml\n"
        "\n" +
        message + "\n--abc--\n";
    auto parts = ParseFormData("abc", body);
    ASSERT_TRUE(parts.has_value()) << parts.error().public_msg;
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].name, "metadata");
    EXPECT_EQ((*parts)[0].data, "{}");
    EXPECT_EQ((*parts)[1].name, "message");
    EXPECT_EQ((*parts)[1].filename, "m.eml");
    EXPECT_EQ((*parts)[1].data, message);
}

TEST(ParseFormDataTest, FilenameBeforeName) {
    const std::string body =
        "--b\r\nContent-Disposition: form-data; filename=\"x.eml\"; "
        "name=\"message\"\r\n\r\nM\r\n--b--";
    auto parts = ParseFormData("b", body);
    ASSERT_TRUE(parts.has_value()) << parts.error().public_msg;
    ASSERT_EQ(parts->size(), 1u);
    EXPECT_EQ((*parts)[0].name, "message");
    EXPECT_EQ((*parts)[0].filename, "x.eml");
    EXPECT_EQ((*parts)[0].data, "M");
}

TEST(ParseFormDataTest, MissingBoundary) {
    auto r = ParseFormData("", CrlfBody(kMessage));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().public_msg, HasSubstr("boundary"));

    const std::string body_too_long = CrlfBody(kMessage);

    auto too_long = ParseFormData(std::string(201, 'b'), body_too_long);
    ASSERT_FALSE(too_long.has_value());
    EXPECT_EQ(too_long.error().code, ErrorCode::kInvalidArgument);
}

TEST(ParseFormDataTest, BoundaryNotInBody) {
    auto r = ParseFormData("other-boundary", CrlfBody(kMessage));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().public_msg, HasSubstr("boundary not found"));
}

TEST(ParseFormDataTest, NoClosingDelimiter) {
    const std::string body = "--" + kBoundary +
                             "\r\n"
                             "Content-Disposition: form-data; name=\"message\"\r\n\r\n"
                             "Subject: cut\r\n\r\nthe connection was closed here";
    auto r = ParseFormData(kBoundary, body);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().public_msg, HasSubstr("unterminated"));
}

TEST(ParseFormDataTest, DelimiterAtEndOfBodyWithoutClosingDashes) {
    const std::string body = "--b\r\nContent-Disposition: form-data; name=\"m\"\r\n\r\nx\r\n--b";
    auto r = ParseFormData("b", body);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
}

TEST(ParseFormDataTest, PartWithoutHeaderEnd) {
    auto r = ParseFormData("b", "--b\r\nContent-Disposition: form-data; name=\"m\"\r\n");
    ASSERT_FALSE(r.has_value());
    EXPECT_THAT(r.error().public_msg, HasSubstr("header end"));
}

TEST(ParseFormDataTest, OnlyClosingDelimiterGivesNoParts) {
    auto r = ParseFormData("b", "--b--\r\n");
    ASSERT_TRUE(r.has_value());
    EXPECT_TRUE(r->empty());
}

TEST(ParseFormDataTest, TooManyParts) {
    std::string body;
    for (int i = 0; i < 150; ++i)
        body += "--b\r\nContent-Disposition: form-data; name=\"p\"\r\n\r\nx\r\n";
    body += "--b--\r\n";
    auto r = ParseFormData("b", body);
    ASSERT_FALSE(r.has_value());
    EXPECT_THAT(r.error().public_msg, HasSubstr("too many"));
}

TEST(MultipartBoundaryTest, QuotedAndUnquoted) {
    EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=\"abc\""), "abc");
    EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=abc"), "abc");
    EXPECT_EQ(MultipartBoundary("multipart/form-data;boundary=abc"), "abc");
    EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=abc; charset=utf-8"), "abc");
    EXPECT_EQ(MultipartBoundary("multipart/form-data; charset=utf-8; boundary=\"a b;c\""), "a b;c");
    EXPECT_EQ(MultipartBoundary("Multipart/Form-Data; BOUNDARY=MixedCase"), "MixedCase");
    EXPECT_EQ(MultipartBoundary("multipart/form-data; xboundary=no; boundary=yes"), "yes");
    EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary=" + kBoundary), kBoundary);
}

TEST(MultipartBoundaryTest, Absent) {
    EXPECT_EQ(MultipartBoundary("multipart/form-data"), "");
    EXPECT_EQ(MultipartBoundary("text/plain"), "");
    EXPECT_EQ(MultipartBoundary(""), "");
    EXPECT_EQ(MultipartBoundary("multipart/form-data; boundary"), "");
}

}  // namespace
}  // namespace rqwatch::http
