// ParseMail on synthetic hostile and malformed input: limits, odd syntax,
// and the guarantee that every returned string is valid UTF-8.

#include <glib.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "fixture.hpp"
#include "mime/parse_mail.hpp"

namespace rqwatch::mime {
namespace {

using namespace std::string_literals;
using testing::ReadFixture;

bool IsUtf8(const std::string& s) {
    return g_utf8_validate(s.data(), static_cast<gssize>(s.size()), nullptr);
}

void ExpectAllUtf8(const ParsedMail& mail) {
    EXPECT_TRUE(IsUtf8(mail.subject));
    EXPECT_TRUE(IsUtf8(mail.headers));
    EXPECT_TRUE(IsUtf8(mail.message_id));
    if (mail.from) {
        EXPECT_TRUE(IsUtf8(mail.from->name));
        EXPECT_TRUE(IsUtf8(mail.from->address));
    }
    for (const auto* list : {&mail.to, &mail.cc}) {
        for (const auto& address : *list) {
            EXPECT_TRUE(IsUtf8(address.name));
            EXPECT_TRUE(IsUtf8(address.address));
        }
    }
    for (const auto& attachment : mail.attachments) {
        EXPECT_TRUE(IsUtf8(attachment.filename));
        EXPECT_TRUE(IsUtf8(attachment.content_type));
    }
}

std::string WithHeader(const std::string& header) {
    return "From: a@example.org\nTo: b@example.org\n" + header + "\n\nbody\n";
}

// A message/rfc822 part (named `name`) wrapping `inner`.
std::string AttachedMessage(const std::string& name, const std::string& inner) {
    return "--outer\nContent-Type: message/rfc822; name=\"" + name +
           "\"\nContent-Disposition: attachment\n\n" + inner + "\n";
}

class HostileTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() { InitMime(); }
};

TEST_F(HostileTest, EmptyAndDegenerateInputs) {
    for (const std::string& raw :
         {""s, "\n"s, "\r\n\r\n"s, "From \n"s, "From "s, "\0\0\0"s, "no colon here"s, ":\n:\n"s,
          "Subject:"s, "Content-Type: multipart/mixed; boundary=x\n\n--x\n--x--"s}) {
        const ParsedMail mail = ParseMail(raw);
        ExpectAllUtf8(mail);
        EXPECT_TRUE(mail.attachments.empty());
    }
    EXPECT_EQ(ParseMail("").headers, "");
    // Only a header block, no empty line: the whole input is the header block.
    const ParsedMail headers_only = ParseMail("Subject: hi\r\nFrom: x@y.z");
    EXPECT_EQ(headers_only.subject, "hi");
    EXPECT_EQ(headers_only.headers, "Subject: hi\r\nFrom: x@y.z");
}

TEST_F(HostileTest, SubjectControlCharactersBecomeSingleSpaces) {
    EXPECT_EQ(ParseMail(WithHeader("Subject: a\tb\x01"
                                   "c  d\x7f"))
                  .subject,
              "a b c d");
    EXPECT_EQ(ParseMail(WithHeader("Subject:   folded\r\n   over\r\n\tthree lines  ")).subject,
              "folded over three lines");
    EXPECT_EQ(ParseMail(WithHeader("Subject: =?UTF-8?Q?a=0D=0Ab=09c?=")).subject, "a b c");
}

TEST_F(HostileTest, QueueIdHeaderMustBeAlphanumeric) {
    EXPECT_EQ(ParseMail(WithHeader("X-Rspamd-Queue-Id: 4F2A1B3C9D")).queue_id_header, "4F2A1B3C9D");
    EXPECT_EQ(ParseMail(WithHeader("X-Rspamd-Queue-Id:   abc123  ")).queue_id_header, "abc123");
    EXPECT_EQ(ParseMail(WithHeader("x-rspamd-queue-id: lowercase1")).queue_id_header, "lowercase1");
    EXPECT_EQ(ParseMail(WithHeader("X-Rspamd-Queue-Id: ab-cd")).queue_id_header, "");
    EXPECT_EQ(ParseMail(WithHeader("X-Rspamd-Queue-Id: ab cd")).queue_id_header, "");
    EXPECT_EQ(ParseMail(WithHeader("X-Rspamd-Queue-Id: ../../etc")).queue_id_header, "");
    EXPECT_EQ(ParseMail(WithHeader("X-Rspamd-Queue-Id: ")).queue_id_header, "");
    EXPECT_EQ(ParseMail(WithHeader("X-Rspamd-Queue-Id: " + std::string(64, 'A'))).queue_id_header,
              std::string(64, 'A'));
    EXPECT_EQ(ParseMail(WithHeader("X-Rspamd-Queue-Id: " + std::string(65, 'A'))).queue_id_header,
              "");
}

TEST_F(HostileTest, DatesAndMessageIds) {
    EXPECT_EQ(ParseMail(WithHeader("Date: Thu, 01 Jan 1970 00:00:10 +0000")).date, 10);
    EXPECT_EQ(ParseMail(WithHeader("Date: Mon, 1 Jan 2024 01:00:00 +0100")).date, 1704067200);
    EXPECT_FALSE(ParseMail(WithHeader("Date: not a date at all")).date.has_value());
    EXPECT_FALSE(ParseMail(WithHeader("Date:")).date.has_value());
    EXPECT_FALSE(ParseMail(WithHeader("X-Other: 1")).date.has_value());

    EXPECT_EQ(ParseMail(WithHeader("Message-ID: <id-1@example.org>")).message_id,
              "id-1@example.org");
    EXPECT_EQ(ParseMail(WithHeader("Message-ID:\r\n <folded@example.org>")).message_id,
              "folded@example.org");
    EXPECT_EQ(ParseMail(WithHeader("Message-ID: <>")).message_id, "");
}

TEST_F(HostileTest, AdjacentPaddedBase64WordsDecodeFully) {
    // GMime 3.2.13 alone returns "Confirm the transact" (jstedfast/gmime#133).
    const ParsedMail mail = ParseMail(
        "From: =?UTF-8?B?U3NzxZsgTGHFgmFsYQ==?= =?UTF-8?B?bGFsYQ==?= <s@example.org>\n"
        "Subject: =?utf-8?B?Q29uZmlybSB0aGUgdHJhbnNhY3Q=?= =?utf-8?B?aW9u?=\n"
        "To: =?utf-8?B?b2LD?=\n =?utf-8?B?pHI=?= <obaer@example.org>\n\nbody\n");
    EXPECT_EQ(mail.subject, "Confirm the transaction");
    ASSERT_TRUE(mail.from.has_value());
    EXPECT_EQ(mail.from->name, "Sssś Lałalalala");
    ASSERT_EQ(mail.to.size(), 1u);
    EXPECT_EQ(mail.to[0].name, "obär");  // "ä" split across the two words
}

TEST_F(HostileTest, GroupsAreFlattened) {
    const ParsedMail mail = ParseMail(
        "From: Team: \"Ann Example\" <ann@example.org>, bob@example.org;\n"
        "To: undisclosed-recipients:;\n"
        "Cc: friends: =?ISO-8859-1?Q?J=F6rg?= <joerg@example.de>;, carl@example.org\n"
        "\nbody\n");
    ASSERT_TRUE(mail.from.has_value());
    EXPECT_EQ(mail.from->name, "Ann Example");
    EXPECT_EQ(mail.from->address, "ann@example.org");
    EXPECT_TRUE(mail.to.empty());
    ASSERT_EQ(mail.cc.size(), 2u);
    EXPECT_EQ(mail.cc[0].name, "Jörg");
    EXPECT_EQ(mail.cc[0].address, "joerg@example.de");
    EXPECT_EQ(mail.cc[1].name, "");
    EXPECT_EQ(mail.cc[1].address, "carl@example.org");
}

TEST_F(HostileTest, RawLatin1DisplayNameAndUtf8AddrSpec) {
    const ParsedMail mail = ParseMail(
        "From: J\xfcrgen M\xfcller <juergen@example.de>\n"
        "To: \"Bj\xc3\xb6rn\" <bj\xc3\xb6rn@b\xc3\xbc"
        "cher.example>\n\nbody\n");
    ASSERT_TRUE(mail.from.has_value());
    EXPECT_EQ(mail.from->name, "Jürgen Müller");
    EXPECT_EQ(mail.from->address, "juergen@example.de");
    ASSERT_EQ(mail.to.size(), 1u);
    EXPECT_EQ(mail.to[0].name, "Björn");
    EXPECT_EQ(mail.to[0].address, "björn@bücher.example");
    EXPECT_EQ(mail.headers,
              "From: Jürgen Müller <juergen@example.de>\n"
              "To: \"BjÃ¶rn\" <bjÃ¶rn@bÃ¼cher.example>\n");
}

TEST_F(HostileTest, TwoHundredKilobyteHeaderLine) {
    const std::string long_subject(200 * 1024, 'x');
    const ParsedMail mail = ParseMail(WithHeader("Subject: " + long_subject));
    EXPECT_EQ(mail.subject, long_subject);
    EXPECT_EQ(mail.to.size(), 1u);

    std::string encoded_words;
    for (int i = 0; i < 20000; ++i) encoded_words += "=?UTF-8?Q?=C3=BC?= ";
    EXPECT_EQ(ParseMail(WithHeader("Subject: " + encoded_words)).subject.size(), 40000u);
}

TEST_F(HostileTest, HeaderBlockIsCappedAtOneMebibyte) {
    std::string raw = "Subject: big\n";
    while (raw.size() < 2 * 1024 * 1024) raw += "X-Filler: " + std::string(1000, 'f') + "\n";
    raw += "\nbody\n";
    const ParsedMail mail = ParseMail(raw);
    EXPECT_EQ(mail.subject, "big");
    EXPECT_LE(mail.headers.size(), 1024u * 1024u);
    EXPECT_GT(mail.headers.size(), 1000u * 1024u);
    EXPECT_TRUE(mail.headers.ends_with("f\n"));

    // One 2 MB line of multibyte characters: cut without splitting one.
    std::string one_line_raw = "Subject: ";
    while (one_line_raw.size() < 2 * 1024 * 1024) one_line_raw += "日本";
    const ParsedMail one_line = ParseMail(one_line_raw);
    EXPECT_LE(one_line.headers.size(), 1024u * 1024u);
    EXPECT_GT(one_line.headers.size(), 1024u * 1024u - 4);
    EXPECT_TRUE(IsUtf8(one_line.headers));
    EXPECT_TRUE(one_line.headers.ends_with("本") || one_line.headers.ends_with("日"));
}

TEST_F(HostileTest, NulBytesInHeadersAndFileNames) {
    const std::string raw =
        "From: a@b.example\nSubject: nul\0here\nContent-Type: multipart/mixed; boundary=q\n\n"
        "--q\nContent-Type: text/plain; name=\"a\0b.txt\"\n\n\0\0\n--q--\n"s;
    const ParsedMail mail = ParseMail(raw);
    EXPECT_EQ(mail.subject, "nul here");
    EXPECT_EQ(mail.headers.find('\0'), std::string::npos);
    ASSERT_EQ(mail.attachments.size(), 1u);
    EXPECT_EQ(mail.attachments[0].filename, "a b.txt");
    EXPECT_EQ(mail.attachments[0].size, 2u);  // the two NUL body bytes still count
}

TEST_F(HostileTest, MboxFromLineIsSkippedWithAnyLineEnding) {
    const ParsedMail lf = ParseMail(
        "From someone@example.org Sat Jan  3 01:05:34 1996\n"
        "Subject: mbox\n\nbody\n");
    EXPECT_EQ(lf.subject, "mbox");
    EXPECT_EQ(lf.headers, "Subject: mbox\n");
    const ParsedMail crlf = ParseMail(
        "From someone@example.org Sat Jan  3 01:05:34 1996\r\n"
        "Subject: mbox\r\n\r\nbody\r\n");
    EXPECT_EQ(crlf.subject, "mbox");
    EXPECT_EQ(crlf.headers, "Subject: mbox\r\n");
    // "From:" is a header, not a separator.
    EXPECT_EQ(ParseMail("From: x@example.org\nSubject: s\n\n").headers,
              "From: x@example.org\nSubject: s\n");
}

TEST_F(HostileTest, MixedLineEndingsInHeaderBlock) {
    const ParsedMail mail = ParseMail("Subject: one\r\nTo: t@example.org\nX: y\r\n\nbody");
    EXPECT_EQ(mail.subject, "one");
    EXPECT_EQ(mail.headers, "Subject: one\r\nTo: t@example.org\nX: y\r\n");
    ASSERT_EQ(mail.to.size(), 1u);
}

TEST_F(HostileTest, AttachmentSelectionAndContentTypes) {
    const ParsedMail mail = ParseMail(
        "Content-Type: multipart/mixed; boundary=b\n\n"
        "--b\nContent-Type: text/plain\n\nbody text, not an attachment\n"
        "--b\nContent-Type: text/html\n\n<p>also body</p>\n"
        "--b\nContent-Type: APPLICATION/PDF; name=\"Upper.PDF\"\n"
        "Content-Transfer-Encoding: base64\n\nJVBERi0=\n"
        "--b\nContent-Type: application/octet-stream\nContent-Disposition: ATTACHMENT\n\nabc\n"
        "--b\nContent-Type: text/plain\nContent-Disposition: inline; filename=notes.txt\n\n12345\n"
        "--b\nContent-Type: image/png\nContent-Disposition: attachment;\n"
        " filename*0*=UTF-8''%E6%97%A5%E6%9C%AC;\n filename*1=.png\n"
        "Content-Transfer-Encoding: base64\n\n!!!!QUJD\n"
        "--b\nContent-Type: text/plain; name=\"=?ISO-8859-1?Q?Gr=FC=DFe.txt?=\"\n"
        "Content-Transfer-Encoding: quoted-printable\n\nbad =ZZ qp=4\n"
        "--b--\n");
    ASSERT_EQ(mail.attachments.size(), 5u);
    EXPECT_EQ(mail.attachments[0].filename, "Upper.PDF");
    EXPECT_EQ(mail.attachments[0].content_type, "application/pdf");
    EXPECT_EQ(mail.attachments[0].size, 5u);  // "%PDF-"
    EXPECT_EQ(mail.attachments[1].filename, "");
    EXPECT_EQ(mail.attachments[1].content_type, "application/octet-stream");
    EXPECT_EQ(mail.attachments[1].size, 3u);
    EXPECT_EQ(mail.attachments[2].filename, "notes.txt");
    EXPECT_EQ(mail.attachments[2].size, 5u);
    EXPECT_EQ(mail.attachments[3].filename, "日本.png");
    EXPECT_EQ(mail.attachments[3].content_type, "image/png");
    EXPECT_EQ(mail.attachments[3].size, 3u);  // invalid base64 bytes are skipped
    EXPECT_EQ(mail.attachments[4].filename, "Grüße.txt");
    EXPECT_GT(mail.attachments[4].size, 0u);
    EXPECT_LE(mail.attachments[4].size, 13u);
}

// Long enough for the block-wise counter (128-byte blocks plus a tail), with
// garbage bytes of every kind spread through the blocks: the size must be
// what a full decode gives.
TEST_F(HostileTest, LongBase64AttachmentSizeIsExact) {
    std::string data;
    for (int i = 0; i < 3001; ++i) data += static_cast<char>((i * 131 + 7) % 256);
    gchar* encoded = g_base64_encode(reinterpret_cast<const guchar*>(data.data()), data.size());
    std::string body;
    const std::string garbage = "\x80\xff!*- \t\x01~";
    for (std::size_t i = 0, n = 0; encoded[i] != '\0'; ++i) {
        body += encoded[i];
        if (i % 61 == 60) body += garbage[n++ % garbage.size()];
        if (i % 76 == 75) body += "\r\n";
    }
    g_free(encoded);
    const ParsedMail mail = ParseMail(
        "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n"
        "--b\r\nContent-Type: application/octet-stream; name=x.bin\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n" + body + "\r\n--b--\r\n");
    ASSERT_EQ(mail.attachments.size(), 1u);
    EXPECT_EQ(mail.attachments[0].size, data.size());
}

TEST_F(HostileTest, AttachmentsOfAttachedMessagesCount) {
    const std::string inner =
        "Subject: inner\nContent-Type: multipart/mixed; boundary=inner\n\n"
        "--inner\nContent-Type: text/plain\n\nhi\n"
        "--inner\nContent-Type: text/csv; name=data.csv\n\na,b\n1,2\n"
        "--inner--";
    const std::string raw =
        "Subject: outer\nContent-Type: multipart/mixed; boundary=outer\n\n"
        "--outer\nContent-Type: text/plain\n\nsee attached\n" +
        AttachedMessage("forwarded.eml", inner) + "--outer--\n";
    const ParsedMail mail = ParseMail(raw);
    EXPECT_EQ(mail.subject, "outer");
    ASSERT_EQ(mail.attachments.size(), 2u);
    EXPECT_EQ(mail.attachments[0].filename, "forwarded.eml");
    EXPECT_EQ(mail.attachments[0].content_type, "message/rfc822");
    // Counted by re-serialising the attached message: GMime ends the inner
    // multipart with a line break that belongs to the outer boundary.
    EXPECT_NEAR(static_cast<double>(mail.attachments[0].size), static_cast<double>(inner.size()),
                1);
    EXPECT_EQ(mail.attachments[1].filename, "data.csv");
    EXPECT_EQ(mail.attachments[1].content_type, "text/csv");
    EXPECT_EQ(mail.attachments[1].size, 7u);  // "a,b\n1,2": the last \n is the boundary's
}

TEST_F(HostileTest, NestingDepthIsBounded) {
    // 60 messages inside each other, each carrying one named attachment.
    std::string message = "Subject: leaf\n\nleaf\n";
    for (int level = 59; level >= 0; --level) {
        message = "Subject: level " + std::to_string(level) +
                  "\nContent-Type: multipart/mixed; boundary=outer\n\n"
                  "--outer\nContent-Type: text/plain; name=f" +
                  std::to_string(level) + ".txt\n\nx\n" +
                  AttachedMessage("m" + std::to_string(level) + ".eml", message) + "--outer--";
    }
    const ParsedMail mail = ParseMail(message);
    EXPECT_EQ(mail.subject, "level 0");
    ASSERT_FALSE(mail.attachments.empty());
    EXPECT_EQ(mail.attachments[0].filename, "f0.txt");
    EXPECT_EQ(mail.attachments[1].filename, "m0.eml");
    EXPECT_LT(mail.attachments.size(), 30u);
    EXPECT_GT(mail.attachments.size(), 10u);
}

TEST_F(HostileTest, DeeplyNestedMultipartsFinishQuickly) {
    std::string raw = "Subject: deep\nContent-Type: multipart/mixed; boundary=b0\n\n";
    constexpr int kDepth = 5000;
    for (int i = 1; i < kDepth; ++i) {
        raw += "--b" + std::to_string(i - 1) + "\nContent-Type: multipart/mixed; boundary=b" +
               std::to_string(i) + "\n\n";
    }
    raw += "--b" + std::to_string(kDepth - 1) + "\nContent-Type: text/plain; name=x.txt\n\nx\n";
    const auto start = std::chrono::steady_clock::now();
    const ParsedMail mail = ParseMail(raw);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
    EXPECT_EQ(mail.subject, "deep");
    EXPECT_TRUE(mail.attachments.empty());  // below the depth limit
}

TEST_F(HostileTest, AttachmentCountIsCapped) {
    std::string raw = "Subject: many\nContent-Type: multipart/mixed; boundary=z\n\n";
    for (int i = 0; i < 1500; ++i) {
        raw += "--z\nContent-Type: application/octet-stream; name=f" + std::to_string(i) +
               ".bin\nContent-Transfer-Encoding: base64\n\nQUJD\n";
    }
    raw += "--z--\n";
    const ParsedMail mail = ParseMail(raw);
    ASSERT_EQ(mail.attachments.size(), 1000u);
    EXPECT_EQ(mail.attachments.back().filename, "f999.bin");
    EXPECT_EQ(mail.attachments.back().size, 3u);
}

TEST_F(HostileTest, MutatedFixturesNeverBreakTheContract) {
    // Deterministic byte flips and truncations of real messages.
    std::uint32_t state = 12345;
    const auto next = [&state] {
        state = state * 1664525u + 1013904223u;
        return state >> 8;
    };
    for (const char* name : {"harness__attachment.eml", "mimetools__multi-nested.msg.eml",
                             "eicar__dev-eicar-com-attachment.eml", "mimetools__intl.msg.eml",
                             "stalwart-thirdparty__015.eml"}) {
        const std::string original = ReadFixture(name);
        for (int round = 0; round < 40; ++round) {
            std::string raw = original;
            for (int flips = 0; flips < 8; ++flips) {
                raw[next() % raw.size()] = static_cast<char>(next() & 0xFF);
            }
            if (round % 4 == 0) raw.resize(next() % raw.size());
            ExpectAllUtf8(ParseMail(raw));
        }
    }
}

TEST_F(HostileTest, ConcurrentParsingGivesTheSameResults) {
    const std::vector<std::string> names = {
        "harness__attachment.eml", "harness__nonascii_subject.eml", "mimetools__intl.msg.eml",
        "sa-spam__00313.fab744bfd5a128fca39b69df9811c086.eml", "stalwart-thirdparty__015.eml"};
    std::vector<std::string> raws;
    std::vector<ParsedMail> expected;
    for (const auto& name : names) {
        raws.push_back(ReadFixture(name));
        expected.push_back(ParseMail(raws.back()));
    }
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 25; ++round) {
                for (std::size_t i = 0; i < raws.size(); ++i) {
                    const ParsedMail mail = ParseMail(raws[i]);
                    if (mail.subject != expected[i].subject ||
                        mail.headers != expected[i].headers ||
                        mail.attachments.size() != expected[i].attachments.size() ||
                        DecodeHeaderValue("=?ISO-8859-1?Q?M=FCnchen?=") != "München") {
                        ++mismatches[t];
                    }
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

}  // namespace
}  // namespace rqwatch::mime
