// ParseMail over real messages copied from the developer corpus and the Rspamd
// harness (tests/fixtures/mime/README.md says where each one comes from).

#include "mime/parse_mail.hpp"

#include <glib.h>
#include <gtest/gtest.h>

#include <string>

#include "fixture.hpp"

namespace rqwatch::mime {
namespace {

using testing::ReadFixture;

bool IsUtf8(const std::string& s) {
    return g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr);
}

void ExpectAddress(const std::optional<MailAddress>& actual, const std::string& name,
                   const std::string& address) {
    ASSERT_TRUE(actual.has_value());
    EXPECT_EQ(actual->name, name);
    EXPECT_EQ(actual->address, address);
}

void ExpectAddress(const MailAddress& actual, const std::string& name, const std::string& address) {
    EXPECT_EQ(actual.name, name);
    EXPECT_EQ(actual.address, address);
}

void ExpectAttachment(const Attachment& actual, const std::string& filename,
                      const std::string& content_type, std::uint64_t size) {
    EXPECT_EQ(actual.filename, filename);
    EXPECT_EQ(actual.content_type, content_type);
    EXPECT_EQ(actual.size, size);
}

class ParseMailTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { InitMime(); }
};

TEST_F(ParseMailTest, HarnessAttachmentPdfAndCsv) {
    const ParsedMail mail = ParseMail(ReadFixture("harness__attachment.eml"));
    EXPECT_EQ(mail.subject, "Invoice 2025-11 attached");
    ExpectAddress(mail.from, "Carol Sender", "carol@example.org");
    ASSERT_EQ(mail.to.size(), 1u);
    ExpectAddress(mail.to[0], "Dave Receiver", "dave@example.net");
    EXPECT_TRUE(mail.cc.empty());
    EXPECT_EQ(mail.message_id, "att-0001@example.org");
    EXPECT_EQ(mail.date, 1762866131);  // Tue, 11 Nov 2025 14:02:11 +0100
    ASSERT_EQ(mail.attachments.size(), 2u);
    ExpectAttachment(mail.attachments[0], "invoice-2025-11.pdf", "application/pdf", 125);
    ExpectAttachment(mail.attachments[1], "inventory.csv", "text/csv", 26);
    EXPECT_TRUE(mail.headers.starts_with("From: Carol Sender <carol@example.org>\n"));
    EXPECT_TRUE(mail.headers.ends_with("boundary=\"----=_Part_0_123456\"\n"));
    EXPECT_EQ(mail.headers.size(), 263u);
    EXPECT_EQ(mail.queue_id_header, "");
}

TEST_F(ParseMailTest, EicarAttachmentDecodedTo68Bytes) {
    const ParsedMail mail = ParseMail(ReadFixture("eicar__dev-eicar-com-attachment.eml"));
    EXPECT_EQ(mail.subject, "EICAR anti-virus test file attached");
    ExpectAddress(mail.from, "AV Test Sender", "sender@example.org");
    ASSERT_EQ(mail.to.size(), 1u);
    ExpectAddress(mail.to[0], "Quarantine Test", "recipient@example.com");
    EXPECT_EQ(mail.message_id, "eicar-dev-0001@example.org");
    EXPECT_EQ(mail.date, 1740996898);
    ASSERT_EQ(mail.attachments.size(), 1u);
    ExpectAttachment(mail.attachments[0], "eicar.com", "application/octet-stream", 68);
    // CRLF message: the header block keeps its CRLF line ends.
    EXPECT_TRUE(mail.headers.ends_with("\r\n"));
    EXPECT_EQ(mail.headers.find("\r\n\r\n"), std::string::npos);
}

TEST_F(ParseMailTest, Utf8EncodedWordsInSubjectAndNames) {
    const ParsedMail mail = ParseMail(ReadFixture("harness__nonascii_subject.eml"));
    EXPECT_EQ(mail.subject, "Grüße aus München — 日本語");
    ExpectAddress(mail.from, "Jürgen Müller", "juergen@example.de");
    ASSERT_EQ(mail.to.size(), 1u);
    ExpectAddress(mail.to[0], "Françoise", "francoise@example.fr");
    EXPECT_EQ(mail.date, 1763048700);
    EXPECT_TRUE(mail.attachments.empty());
}

TEST_F(ParseMailTest, QuotedEncodedWordDisplayName) {
    // To: "=?UTF-8?Q?Miros=C5=82aw_Marczak?=" <...> (encoded-word inside quotes).
    const ParsedMail mail = ParseMail(ReadFixture("enmime-mail__qp-utf8-header.raw.eml"));
    EXPECT_EQ(mail.subject, "MIME UTF8 Test ¢ More Text");
    ExpectAddress(mail.from, "James Hillyerd", "jamehi03@jamehi03lx.noa.com");
    ASSERT_EQ(mail.to.size(), 1u);
    ExpectAddress(mail.to[0], "Mirosław Marczak", "marczak@inbucket.com");
    EXPECT_EQ(mail.message_id, "5081A889.3020108@jamehi03lx.noa.com");
    EXPECT_EQ(mail.date, 1350674569);
}

TEST_F(ParseMailTest, IsoLatinEncodedWordsAcrossFoldedLines) {
    const ParsedMail mail = ParseMail(ReadFixture("mimetools__intl.msg.eml"));
    // Three encoded-words (ISO-8859-1, ISO-8859-2, US-ASCII) over three lines.
    EXPECT_EQ(mail.subject, "If you can read this you understand the example... so, cool!");
    ExpectAddress(mail.from, "Keith Moore", "moore@cs.utk.edu");
    ASSERT_EQ(mail.to.size(), 1u);
    ExpectAddress(mail.to[0], "Keld Jørn Simonsen", "keld@dkuug.dk");
    ASSERT_EQ(mail.cc.size(), 1u);
    ExpectAddress(mail.cc[0], "André Pirard", "PIRARD@vm1.ulg.ac.be");
    EXPECT_EQ(mail.message_id, "");
    EXPECT_FALSE(mail.date.has_value());
}

TEST_F(ParseMailTest, Base64Utf8SubjectAnd8BitParameter) {
    // Content-Type has a raw UTF-8 comment parameter; the subject is =?UTF-8?B?.
    const ParsedMail mail = ParseMail(ReadFixture("stalwart-thirdparty__010.eml"));
    EXPECT_EQ(mail.subject, "こんにちは");
    EXPECT_FALSE(mail.from.has_value());
    EXPECT_TRUE(mail.attachments.empty());
    EXPECT_TRUE(IsUtf8(mail.headers));
    EXPECT_NE(mail.headers.find("comment=\"人権の無視及"), std::string::npos);
}

TEST_F(ParseMailTest, Raw8BitLatinSubject) {
    // "Subject: [WM] \xf6z\xfcr dileriz": undeclared 8-bit bytes in the header.
    const ParsedMail mail =
        ParseMail(ReadFixture("sa-spam__00313.fab744bfd5a128fca39b69df9811c086.eml"));
    EXPECT_EQ(mail.subject, "[WM] özür dileriz");
    ExpectAddress(mail.from, "Erim Ay", "dpqljque@yahoo.com");
    EXPECT_EQ(mail.message_id, "cuiydygetltd@example.sourceforge.net");
    EXPECT_EQ(mail.date, 1032183516);
    EXPECT_TRUE(IsUtf8(mail.headers));
    EXPECT_NE(mail.headers.find("\nSubject: [WM] özür dileriz\n"), std::string::npos);
}

TEST_F(ParseMailTest, RawUtf8SubjectWithEmoji) {
    const ParsedMail mail = ParseMail(ReadFixture("phishpot__sample-4750.eml"));
    EXPECT_EQ(mail.subject, "Schokotraum für Genießer: Milka-Paket für nur 100€! 🍫💜");
    ExpectAddress(mail.from, "Milka Package.", "service@stayfriends.de");
    EXPECT_EQ(mail.date, 1739795101);
}

TEST_F(ParseMailTest, Raw8BitHeaderNameAndObsoleteSyntax) {
    // "Inval\xecd-Header: ..." and "Subject :" with empty lines in folding, CRLF.
    const ParsedMail mail = ParseMail(ReadFixture("mime4j__obsolete.msg.eml"));
    EXPECT_EQ(mail.subject,
              "The obsolete syntax allow spaces before the colon and also empty lines in "
              "folding.");
    EXPECT_NE(mail.headers.find("\r\nInval\xc3\xac"
                                "d-Header: this is not valid.\r\n"),
              std::string::npos);
    EXPECT_TRUE(IsUtf8(mail.headers));
}

TEST_F(ParseMailTest, Rfc2231AndRfc2047FileNamesLatin1) {
    const ParsedMail mail =
        ParseMail(ReadFixture("mimetools__attachment-filename-encoding-Latin1.msg.eml"));
    ASSERT_EQ(mail.attachments.size(), 1u);
    ExpectAttachment(mail.attachments[0], "attachment.äöü", "text/plain", 5);
}

TEST_F(ParseMailTest, Rfc2231AndRfc2047FileNamesUtf8) {
    const ParsedMail mail =
        ParseMail(ReadFixture("mimetools__attachment-filename-encoding-UTF8.msg.eml"));
    ASSERT_EQ(mail.attachments.size(), 1u);
    ExpectAttachment(mail.attachments[0], "attachment.äöü", "text/plain", 5);
}

TEST_F(ParseMailTest, BiggestHeaderBlockOfTheCorpus) {
    const std::string raw = ReadFixture("phishpot__sample-3750.eml");
    const ParsedMail mail = ParseMail(raw);
    EXPECT_EQ(mail.subject,
              "Hear every word in conversations, without spending thousands of dollars");
    ExpectAddress(mail.from, "Audien Atom",
                  "rudyard_aspray_28299@asdhbsvjldmopsfjij4.geonational.live");
    ASSERT_EQ(mail.to.size(), 1u);
    ExpectAddress(mail.to[0], "", "__LinkEWPlaF9yH6@aol.com");
    ASSERT_EQ(mail.cc.size(), 1u);
    EXPECT_EQ(mail.date, 1724615725);
    // 288 CRLF header lines, copied byte for byte.
    ASSERT_EQ(mail.headers.size(), 28999u);
    EXPECT_EQ(mail.headers, raw.substr(0, 28999));
    EXPECT_EQ(raw.substr(28999, 2), "\r\n");
}

TEST_F(ParseMailTest, VeryLongHeaderLine) {
    // DKIM-Signature h= list on one 15 KB physical line.
    const std::string raw = ReadFixture("rspamd__dkim_huge_hlist.eml");
    const ParsedMail mail = ParseMail(raw);
    EXPECT_EQ(mail.subject, "dkim huge header list");
    ExpectAddress(mail.from, "", "test@example.com");
    EXPECT_EQ(mail.message_id, "huge-hlist@example.com");
    EXPECT_EQ(mail.date, 1704067200);
    EXPECT_EQ(mail.headers.size(), 15677u);
    EXPECT_EQ(mail.headers, raw.substr(0, 15677));
}

TEST_F(ParseMailTest, MultipartWithoutBoundary) {
    const ParsedMail mail = ParseMail(ReadFixture("enmime-mail__multipart-wo-boundary.raw.eml"));
    EXPECT_EQ(mail.subject, "Delivery Status Notification (Failure)");
    ExpectAddress(mail.from, "", "Mailer-Daemon@example.com");
    EXPECT_EQ(mail.message_id, "444A6F676F-A9A1C1F7-799A-4D89-B97E-8057E132FBFB@YSHSERVER");
    EXPECT_TRUE(mail.attachments.empty());
}

TEST_F(ParseMailTest, BadBoundaryStillFindsTheAttachment) {
    const ParsedMail mail = ParseMail(ReadFixture("rspamd__badboundary.eml"));
    EXPECT_EQ(mail.subject, "Test message");
    EXPECT_EQ(mail.date, 1569513152);
    ASSERT_EQ(mail.attachments.size(), 1u);
    ExpectAttachment(mail.attachments[0], "Transparent.gif", "image/gif", 42);
}

TEST_F(ParseMailTest, NulBytesInBinaryBody) {
    const ParsedMail mail = ParseMail(ReadFixture("stalwart-thirdparty__005.eml"));
    EXPECT_EQ(mail.subject, "");
    EXPECT_TRUE(mail.attachments.empty());
    EXPECT_EQ(mail.headers, "Content-Type: multipart/mixed; boundary=\"1\"\nMIME-Version: 1.0\n");
}

TEST_F(ParseMailTest, MboxFromLineAndForwardedMessage) {
    const ParsedMail mail = ParseMail(ReadFixture("mimetools__mp-msg-rfc822.msg.eml"));
    EXPECT_EQ(mail.subject, "[Fwd: Re: 34Mbit/s Netz]");
    ExpectAddress(mail.from, "Juergen Specht", "specht@kulturbox.de");
    ASSERT_EQ(mail.to.size(), 3u);
    ExpectAddress(mail.to[2], "", "101762.2307@compuserve.com");
    EXPECT_EQ(mail.date, 835252517);
    // The "From specht@kulturbox.de  Thu Jun 20 ..." separator is not a header.
    EXPECT_TRUE(mail.headers.starts_with("Date: Thu, 20 Jun 1996 08:35:17 +0200\n"));
    // Inline message/rfc822 without a name: not an attachment.
    EXPECT_TRUE(mail.attachments.empty());
}

TEST_F(ParseMailTest, NestedMultipartsAndNamedMessagePart) {
    const ParsedMail mail = ParseMail(ReadFixture("mimetools__multi-nested.msg.eml"));
    EXPECT_EQ(mail.subject, "A complex nested multipart example");
    ExpectAddress(mail.from, "Lord John Whorfin", "whorfin@yoyodyne.com");
    ASSERT_EQ(mail.attachments.size(), 3u);
    // Inline images with a filename count; so does the attached message.
    ExpectAttachment(mail.attachments[0], "3d-vise.gif", "image/gif", 419);
    ExpectAttachment(mail.attachments[1], "3d-eye.gif", "image/gif", 357);
    // 274 = its bytes between the part header and the closing boundary.
    ExpectAttachment(mail.attachments[2], "/evil/filename", "message/rfc822", 274);
}

TEST_F(ParseMailTest, AttachedMessagesWithNames) {
    const ParsedMail mail = ParseMail(ReadFixture("stalwart-thirdparty__015.eml"));
    EXPECT_EQ(mail.subject, "Re: (#5290765) Proxmox Shop E-Mails");
    ExpectAddress(mail.from, "Jonas Sterr - ProxForge", "jsterr@proxforge.de");
    EXPECT_EQ(mail.message_id, "7da78721a8a234894af702fe25fc64a5@proxforge.de");
    ASSERT_EQ(mail.attachments.size(), 3u);
    ExpectAttachment(mail.attachments[0], "training-mail.txt", "message/rfc822", 2189);
    ExpectAttachment(mail.attachments[1], "office-reply.txt", "message/rfc822", 2382);
    ExpectAttachment(mail.attachments[2], "shop-mail.txt", "message/rfc822", 1157);
}

TEST_F(ParseMailTest, MixedLineEndings) {
    const std::string raw = ReadFixture("crymap__enron_farmer-d_entex_1.eml");
    const ParsedMail mail = ParseMail(raw);
    EXPECT_EQ(mail.subject, "Entex apr 3 noms");
    ExpectAddress(mail.from, "", "tom.acton@enron.com");
    ASSERT_EQ(mail.to.size(), 1u);
    ExpectAddress(mail.to[0], "", "daren.farmer@enron.com");
    EXPECT_EQ(mail.message_id, "7832395.1075845109475.JavaMail.evans@thyme");
    EXPECT_EQ(mail.date, 986248020);
    EXPECT_EQ(mail.headers, raw.substr(0, 502));
}

}  // namespace
}  // namespace rqwatch::mime
