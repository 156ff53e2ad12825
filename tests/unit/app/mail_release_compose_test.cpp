// What a release hands to the relay: the quarantined bytes with the added
// header lines in front (original), or a new mail around them (attachment).

#include <gtest/gtest.h>

#include "app/mail_release.hpp"

namespace rqwatch::app {
namespace {

MailRecord Mail() {
    MailRecord m;
    m.id = 42;
    m.subject = "invoice";
    m.mime_from = "Sender <s@example.org>";
    m.mail_from = "s@example.org";
    m.message_id = "m1@example.org";
    return m;
}

TEST(ComposeReleaseTest, OriginalIsTheFileWithTheTraceAndBypassInFront) {
    const std::string raw = "Subject: x\r\n\r\n.dot\r\nbody\r\n";
    ReleaseOptions o{ReleaseMode::kOriginal, "q@example.org", ""};
    EXPECT_EQ(ComposeRelease(o, Mail(), raw, "a@example.org", "by admin; at T; id 42", 0),
              "X-Rqwatch-Released: by admin; at T; id 42\r\n" + raw);
    o.bypass_header = "X-Bypass: yes";
    EXPECT_EQ(ComposeRelease(o, Mail(), raw, "a@example.org", "t", 0),
              "X-Rqwatch-Released: t\r\nX-Bypass: yes\r\n" + raw);
    // A file with bare LF line ends gets LF header lines, nothing else changes.
    const std::string lf = "Subject: x\n\nbody\n";
    EXPECT_EQ(ComposeRelease(o, Mail(), lf, "a@example.org", "t", 0),
              "X-Rqwatch-Released: t\nX-Bypass: yes\n" + lf);
}

TEST(ComposeReleaseTest, AttachmentWrapsTheOriginalAsMessageRfc822) {
    const std::string raw = "Subject: x\n\nbody\n";
    ReleaseOptions o{ReleaseMode::kAttachment, "q@example.org", "X-Bypass: yes"};
    MailRecord m = Mail();
    m.subject = "evil\r\nBcc: victim@example.org";
    const std::string out = ComposeRelease(o, m, raw, "a@example.org", "t", 0);
    const std::string head = out.substr(0, out.find("\r\n\r\n"));
    EXPECT_NE(head.find("From: <q@example.org>\r\nTo: <a@example.org>\r\n"), std::string::npos);
    EXPECT_NE(head.find("Subject: Released: evil  Bcc: victim@example.org\r\n"),
              std::string::npos);  // no header injection through the subject
    EXPECT_EQ(head.find("\r\nBcc:"), std::string::npos);
    EXPECT_NE(head.find("X-Rqwatch-Released: t\r\nX-Bypass: yes\r\n"), std::string::npos);
    EXPECT_NE(head.find("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"), std::string::npos);
    EXPECT_NE(out.find("Content-Type: message/rfc822"), std::string::npos);
    // The original inside with CRLF line ends, then the closing boundary.
    const auto inner = out.find("Subject: x\r\n\r\nbody\r\n--rqwatch-");
    EXPECT_NE(inner, std::string::npos);
    EXPECT_TRUE(out.ends_with("--\r\n"));
    // A non-ASCII subject is not put into the header raw.
    m.subject = "Grüße";
    const std::string out2 = ComposeRelease(o, m, raw, "a@example.org", "t", 0);
    EXPECT_NE(out2.find("Subject: Released quarantined message\r\n"), std::string::npos);
}

}  // namespace
}  // namespace rqwatch::app
