#include "http/content_disposition.hpp"

#include <gtest/gtest.h>

namespace rqwatch::http {
namespace {

TEST(AttachmentDispositionTest, AsciiNameAndUtf8Name) {
    EXPECT_EQ(AttachmentDisposition("invoice.pdf", "f"),
              "attachment; filename=\"invoice.pdf\"; filename*=UTF-8''invoice.pdf");
    EXPECT_EQ(AttachmentDisposition("Grüße.txt", "f"),
              "attachment; filename=\"Gr____e.txt\"; filename*=UTF-8''Gr%C3%BC%C3%9Fe.txt");
}

TEST(AttachmentDispositionTest, HostileNamesCannotBreakOutOrTraverse) {
    EXPECT_EQ(AttachmentDisposition("a\"; filename=x.html", "f"),
              "attachment; filename=\"a__ filename_x.html\"; "
              "filename*=UTF-8''a%22%3B%20filename%3Dx.html");
    EXPECT_EQ(AttachmentDisposition("../../etc/passwd", "f"),
              "attachment; filename=\".._.._etc_passwd\"; "
              "filename*=UTF-8''..%2F..%2Fetc%2Fpasswd");
    EXPECT_EQ(AttachmentDisposition("a\r\nSet-Cookie: x", "f"),
              "attachment; filename=\"a__Set-Cookie_ x\"; "
              "filename*=UTF-8''a%0D%0ASet-Cookie%3A%20x");
}

TEST(AttachmentDispositionTest, EmptyOrDotNamesGetTheFallback) {
    EXPECT_EQ(AttachmentDisposition("", "attachment-7-0"),
              "attachment; filename=\"attachment-7-0\"; filename*=UTF-8''attachment-7-0");
    EXPECT_EQ(AttachmentDisposition("..", "f"), "attachment; filename=\"f\"; filename*=UTF-8''f");
}

}  // namespace
}  // namespace rqwatch::http
