// What the viewer reads from a raw mail: header fields, bodies, attachments.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "fixture.hpp"
#include "mime/gmime_content_parser.hpp"
#include "mime/header_fields.hpp"
#include "mime/mail_body.hpp"
#include "mime/parse_mail.hpp"

namespace rqwatch::mime {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr std::string_view kAlternative =
    "From: a@example.com\n"
    "Subject: =?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?=\n"
    "Received: from mx.example (mx.example [192.0.2.1])\n"
    "\tby gw.example; Mon, 1 Dec 2025 10:00:00 +0000\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=outer\n"
    "\n"
    "--outer\n"
    "Content-Type: multipart/related; boundary=rel\n"
    "\n"
    "--rel\n"
    "Content-Type: multipart/alternative; boundary=alt\n"
    "\n"
    "--alt\n"
    "Content-Type: text/plain; charset=iso-8859-1\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "\n"
    "Gr=FC=DFe aus K=F6ln\n"
    "--alt\n"
    "Content-Type: text/html; charset=utf-8\n"
    "\n"
    "<p>Hi <img src=\"cid:logo@example\"> <img src=\"CID:evil%40example\"> <img src=cid:gone></p>\n"
    "--alt--\n"
    "--rel\n"
    "Content-Type: image/png\n"
    "Content-ID: <logo@example>\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "iVBORw0K\n"
    "--rel\n"
    "Content-Type: image/svg+xml\n"
    "Content-ID: <evil@example>\n"
    "\n"
    "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>\n"
    "--rel--\n"
    "--outer\n"
    "Content-Type: application/octet-stream; name=\"data.bin\"\n"
    "Content-Disposition: attachment; filename=\"data.bin\"\n"
    "Content-Transfer-Encoding: base64\n"
    "\n"
    "AAECAwD/\n"
    "--outer\n"
    "Content-Type: message/rfc822\n"
    "Content-Disposition: attachment; filename=\"fwd.eml\"\n"
    "\n"
    "From: b@example.com\n"
    "Subject: inner\n"
    "Content-Type: text/plain\n"
    "\n"
    "inner body is not the body\n"
    "--outer--\n";

class MailContentTest : public ::testing::Test {
  protected:
    GMimeContentParser parser_;
};

TEST_F(MailContentTest, HeaderFieldsAreUnfoldedAndDecodedInOrder) {
    const auto fields = parser_.HeaderFields(
        "Received: from a\n\tby b\nSubject: =?UTF-8?B?SGVsbG8=?= =?UTF-8?B?IHdvcmxk?=\n"
        "X-Empty:\nReceived: from c\n");
    ASSERT_EQ(fields.size(), 4u);
    EXPECT_EQ(fields[0].name, "Received");
    EXPECT_EQ(fields[0].value, "from a by b");
    EXPECT_EQ(fields[1].value, "Hello world");  // GMime alone says "Hello"
    EXPECT_EQ(fields[2].name, "X-Empty");
    EXPECT_EQ(fields[2].value, "");
    EXPECT_EQ(fields[3].value, "from c");
}

TEST_F(MailContentTest, HeaderFieldsOfCrlfAndHostileBlocks) {
    EXPECT_EQ(parser_.HeaderFields("A: 1\r\nB: 2\r\n").size(), 2u);
    EXPECT_TRUE(parser_.HeaderFields("").empty());
    const auto odd = parser_.HeaderFields(std::string("X-Nul: a\0b\nX-Ctl: \x01\x1b[31m\n", 26));
    for (const auto& f : odd) EXPECT_THAT(f.value, Not(HasSubstr("\x1b")));
    std::string many;
    for (int i = 0; i < 5000; ++i) many += "X-" + std::to_string(i) + ": v\n";
    EXPECT_EQ(parser_.HeaderFields(many).size(), kMaxHeaderFields);
}

TEST_F(MailContentTest, BodiesComeFromTheMessageNotFromAttachedMessages) {
    const MailBody body = parser_.Body(kAlternative);
    ASSERT_TRUE(body.text.has_value());
    EXPECT_EQ(*body.text, "Grüße aus Köln");  // converted from ISO-8859-1
    ASSERT_TRUE(body.html.has_value());
    EXPECT_THAT(*body.html, HasSubstr("<p>Hi"));
    EXPECT_FALSE(body.text_truncated);
    EXPECT_FALSE(body.html_truncated);
}

TEST_F(MailContentTest, InlineRasterImagesBecomeDataUrisAndNothingElseDoes) {
    const MailBody body = parser_.Body(kAlternative);
    ASSERT_TRUE(body.html.has_value());
    EXPECT_THAT(*body.html, HasSubstr("src=\"data:image/png;base64,iVBORw0K\""));
    EXPECT_THAT(*body.html, Not(HasSubstr("cid:logo")));
    // SVG can carry script: never inlined. Unknown ids stay unresolvable.
    EXPECT_THAT(*body.html, HasSubstr("CID:evil%40example"));
    EXPECT_THAT(*body.html, Not(HasSubstr("svg")));
    EXPECT_THAT(*body.html, HasSubstr("cid:gone"));
}

TEST_F(MailContentTest, TextOnlyHtmlOnlyAndNoBody) {
    const MailBody text = parser_.Body("Subject: t\n\nplain\n");
    EXPECT_EQ(text.text.value_or("?"), "plain\n");
    EXPECT_FALSE(text.html.has_value());
    const MailBody html = parser_.Body("Content-Type: text/html\n\n<b>x</b>\n");
    EXPECT_FALSE(html.text.has_value());
    EXPECT_EQ(html.html.value_or("?"), "<b>x</b>\n");
    const MailBody attachment_only = parser_.Body(
        "Content-Type: text/plain\nContent-Disposition: attachment; filename=a.txt\n\nx\n");
    EXPECT_FALSE(attachment_only.text.has_value());
    const MailBody nothing = parser_.Body("");
    EXPECT_FALSE(nothing.text.has_value());
    EXPECT_FALSE(nothing.html.has_value());
}

TEST_F(MailContentTest, LongTextIsCutAtACharacterBoundary) {
    std::string raw = "Content-Type: text/plain; charset=utf-8\n\n";
    for (std::size_t i = 0; i < kMaxTextBytes; i += 2) raw += "\xc3\xa9";  // é
    raw += "tail";
    const MailBody body = parser_.Body(raw);
    ASSERT_TRUE(body.text.has_value());
    EXPECT_TRUE(body.text_truncated);
    EXPECT_LE(body.text->size(), kMaxTextBytes);
    EXPECT_EQ(body.text->size() % 2, 0u);
    EXPECT_THAT(*body.text, Not(HasSubstr("tail")));
}

TEST_F(MailContentTest, InvalidCharsetStillGivesValidUtf8) {
    const MailBody body =
        parser_.Body("Content-Type: text/plain; charset=x-no-such\n\ncaf\xe9 \xff\xfe\n");
    ASSERT_TRUE(body.text.has_value());
    EXPECT_THAT(*body.text, StartsWith("caf"));
    EXPECT_EQ(ToValidUtf8(*body.text), *body.text);
}

TEST_F(MailContentTest, AttachmentsAreDecodedByTheirListIndex) {
    const auto bin = parser_.AttachmentAt(kAlternative, 0);
    ASSERT_TRUE(bin.has_value());
    EXPECT_EQ(bin->meta.filename, "data.bin");
    EXPECT_EQ(bin->bytes, std::string("\x00\x01\x02\x03\x00\xff", 6));  // NULs kept
    const auto eml = parser_.AttachmentAt(kAlternative, 1);
    ASSERT_TRUE(eml.has_value());
    EXPECT_EQ(eml->meta.filename, "fwd.eml");
    EXPECT_THAT(eml->bytes, HasSubstr("Subject: inner"));
    EXPECT_THAT(eml->bytes, HasSubstr("inner body is not the body"));
    EXPECT_FALSE(parser_.AttachmentAt(kAlternative, 2).has_value());
    EXPECT_FALSE(parser_.AttachmentAt("", 0).has_value());
}

// The index the API uses must name the same attachment as the list the
// importer stored, for every fixture mail.
TEST_F(MailContentTest, AttachmentIndexesMatchTheImportedList) {
    int checked = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator(std::string(RQWATCH_FIXTURES) + "/mime")) {
        if (entry.path().extension() != ".eml") continue;
        const std::string raw = testing::ReadFixture(entry.path().filename());
        const ParsedMail parsed = ParseMail(raw);
        for (std::size_t i = 0; i < parsed.attachments.size(); ++i) {
            const auto got = parser_.AttachmentAt(raw, i);
            ASSERT_TRUE(got.has_value()) << entry.path() << " #" << i;
            EXPECT_EQ(got->meta.filename, parsed.attachments[i].filename) << entry.path();
            EXPECT_EQ(got->meta.content_type, parsed.attachments[i].content_type);
            ++checked;
        }
        EXPECT_FALSE(parser_.AttachmentAt(raw, parsed.attachments.size()).has_value());
    }
    EXPECT_GE(checked, 5);
    const std::string raw = testing::ReadFixture("harness__attachment.eml");
    const auto pdf = parser_.AttachmentAt(raw, 0);
    ASSERT_TRUE(pdf.has_value());
    EXPECT_EQ(pdf->bytes.size(), pdf->meta.size);
}

}  // namespace
}  // namespace rqwatch::mime
